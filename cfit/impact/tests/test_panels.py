"""The impact panel on pages of other areas: the report and the organisation."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from cfit.impact.selectors import pact_impact
from cfit.monitoring.tests.factories import PurchaseLineFactory, PurchaseReportFactory

pytestmark = pytest.mark.django_db


def test_the_report_page_shows_its_effects_with_the_factorset_version(
    client, organisation_a, procurer_a
):
    report = PurchaseReportFactory(organisation=organisation_a, year=2025)
    PurchaseLineFactory(report=report, quantity=1000, expected_lifetime_years=6)
    client.force_login(procurer_a)
    response = client.get(
        reverse("monitoring:report", kwargs={"slug": organisation_a.slug, "year": 2025})
    )
    page = response.content.decode()
    assert "Carbon and raw materials" in page
    assert "90,500" in page
    assert "computed with FactorSet 2025-1" in page
    assert reverse("impact:methodology") in page


def test_the_organisation_page_shows_its_effects_to_members_only(
    client, organisation_a, procurer_a, procurer_b
):
    report = PurchaseReportFactory(organisation=organisation_a)
    PurchaseLineFactory(report=report, quantity=1000, expected_lifetime_years=6)
    url = reverse("organisations:detail", args=[organisation_a.slug])
    client.force_login(procurer_a)
    assert "90,500" in client.get(url).content.decode()
    client.force_login(procurer_b)
    page = client.get(url).content.decode()
    assert "Carbon and raw materials" not in page


def test_the_pact_panel_stays_empty_under_three_organisations():
    template = Template('{% include "impact/pact_panel.html" %}')

    def rendered():
        return template.render(Context({"pact_impact": pact_impact()}))

    PurchaseLineFactory(report__status="accepted")
    assert "Carbon" not in rendered()
    PurchaseLineFactory(report__status="accepted")
    PurchaseLineFactory(report__status="submitted")
    assert "Carbon and raw materials" in rendered()
