import io

import pytest
from django.core.management import call_command

from cfit.api.models import OpenDataConsent

from .test_ocds_out import _validate

pytestmark = pytest.mark.django_db


def test_demo_organisations_publish_planned_tenders_as_valid_ocds(client):
    call_command("load_demo", stdout=io.StringIO())
    assert OpenDataConsent.objects.filter(publish_planned_tenders=True).exists()
    package = client.get("/api/v1/ocds/planned-tenders").json()
    assert package["releases"]
    _validate(package)
    assert all(r["tender"]["hasSustainability"] for r in package["releases"])
