"""What exists in dashboard tests: a few signatories with submitted reports."""

from decimal import Decimal

import pytest

from cfit.monitoring.models import ReportStatus
from cfit.monitoring.tests.factories import (
    PurchaseLineFactory,
    PurchaseReportFactory,
    buyer_group_of,
    product_group,
)
from cfit.organisations.tests.factories import signatory


def report_with(organisation, *lines, year=2025, status=ReportStatus.ACCEPTED):
    """A report of the organisation with lines given as dicts of PurchaseLine fields."""
    report = PurchaseReportFactory(organisation=organisation, year=year, status=status)
    for fields in lines:
        fields = dict(fields)
        if isinstance(fields.get("product_group"), str):
            fields["product_group"] = product_group(fields["product_group"])
        PurchaseLineFactory(report=report, **fields)
    return report


@pytest.fixture
def three_laptop_buyers(organisation_a, organisation_b, db):
    """A, B and C bought laptops in 2025 (10, 20, 30); only A and B bought smartphones."""
    organisation_c = signatory(
        name="Province of Ceres", slug="province-of-ceres", country="NL"
    )
    report_with(
        organisation_a,
        {"quantity": 10, "expected_lifetime_years": Decimal("5"), "has_ecolabel": True},
        {"product_group": "smartphone", "quantity": 7, "condition": "refurbished"},
    )
    report_with(
        organisation_b,
        {
            "quantity": 20,
            "expected_lifetime_years": Decimal("4"),
            "country_of_use": "BE",
        },
        {"product_group": "smartphone", "quantity": 11, "country_of_use": "BE"},
    )
    report_with(
        organisation_c,
        {"quantity": 30, "applies_base_criteria": True, "condition": "refurbished"},
    )
    return organisation_a, organisation_b, organisation_c


@pytest.fixture
def group_of_a_and_b(coordinating_organisation, organisation_a, organisation_b):
    return buyer_group_of(
        coordinating_organisation, organisation_a, organisation_b, slug="west"
    )
