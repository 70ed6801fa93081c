import io

import pytest
from django.core.management import call_command

from cfit.monitoring.models import (
    DemandForecast,
    PurchaseLine,
    PurchaseReport,
    ReportStatus,
)

pytestmark = pytest.mark.django_db


def test_demo_reports_are_plausible_and_loading_twice_changes_nothing():
    call_command("load_demo", stdout=io.StringIO())
    counts = (
        PurchaseReport.objects.count(),
        PurchaseLine.objects.count(),
        DemandForecast.objects.count(),
    )
    call_command("load_demo", stdout=io.StringIO())
    assert (
        PurchaseReport.objects.count(),
        PurchaseLine.objects.count(),
        DemandForecast.objects.count(),
    ) == counts
    statuses = list(PurchaseReport.objects.values_list("status", flat=True))
    assert statuses.count(ReportStatus.ACCEPTED) > len(statuses) / 2
    assert ReportStatus.DRAFT in statuses
    own = PurchaseReport.objects.filter(organisation__slug="demo-02").order_by("year")
    assert [r.status for r in own] == ["accepted", "accepted", "submitted"]
    assert len({r.year for r in PurchaseReport.objects.all()}) == 3
    assert PurchaseLine.objects.filter(applies_base_criteria=True).exists()
    assert PurchaseLine.objects.filter(has_ecolabel=True).exists()
