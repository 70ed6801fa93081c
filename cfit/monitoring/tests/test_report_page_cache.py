"""The report page keeps its effects and its BASE criteria in the cache, and shows every
change at once: to the report's lines (its version) and to the criteria base."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cfit.criteria.tests.factories import approved_version
from cfit.impact import selectors as impact_selectors
from cfit.monitoring import services
from cfit.monitoring.models import PurchaseReport

from .factories import product_group

pytestmark = pytest.mark.django_db


def _page(client, report: PurchaseReport) -> str:  # type: ignore[no-untyped-def]
    url = reverse(
        "monitoring:report",
        kwargs={"slug": report.organisation.slug, "year": report.year},
    )
    return client.get(url).text


def _add_line(report: PurchaseReport, by, quantity: int) -> None:  # type: ignore[no-untyped-def]
    services.line_create(
        report=report,
        by=by,
        values={
            "product_group": product_group("laptop"),
            "quantity": quantity,
            "condition": "new",
            "country_of_use": "NL",
            "expected_lifetime_years": Decimal("6"),
        },
        ecolabels=[],
        criteria=[],
    )


def test_the_effects_panel_shows_a_line_added_through_the_services_at_once(
    client, procurer_a, report_a
):
    client.force_login(procurer_a)
    assert "25 devices, computed with FactorSet" in _page(client, report_a)
    _add_line(report_a, procurer_a, 1000)
    assert "1,025 devices, computed with FactorSet" in _page(client, report_a)


def test_the_effects_are_computed_once_per_version_of_the_report(
    procurer_a, report_a, monkeypatch
):
    computed = []
    real_impact_by = impact_selectors.impact_by

    def counting_impact_by(*args, **kwargs):  # type: ignore[no-untyped-def]
        computed.append(1)
        return real_impact_by(*args, **kwargs)

    monkeypatch.setattr(impact_selectors, "impact_by", counting_impact_by)
    for _ in range(2):
        impact_selectors.report_impact(PurchaseReport.objects.get(pk=report_a.pk))
    assert len(computed) == 1
    _add_line(report_a, procurer_a, 10)
    result = impact_selectors.report_impact(PurchaseReport.objects.get(pk=report_a.pk))
    assert len(computed) == 2
    assert result.total.devices == 35


def test_a_new_base_criterion_shows_as_missing_on_the_report_at_once(
    client, procurer_a, report_a, secretariat
):
    client.force_login(procurer_a)
    assert "TEST-01" not in _page(client, report_a)
    approved_version(secretariat, title="Warranty for test laptops", level="base")
    assert "TEST-01" in _page(client, report_a)
