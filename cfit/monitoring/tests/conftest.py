import pytest

from .factories import (
    PurchaseLineFactory,
    PurchaseReportFactory,
    ReportingPeriodFactory,
    buyer_group_of,
)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def period(db):
    return ReportingPeriodFactory(year=2025)


@pytest.fixture
def group(coordinating_organisation, organisation_a):
    """Organisation A is a member of the coordinator's buyer group; B is not."""
    return buyer_group_of(coordinating_organisation, organisation_a)


@pytest.fixture
def report_a(organisation_a, period, group):
    report = PurchaseReportFactory(organisation=organisation_a, year=2025)
    PurchaseLineFactory(report=report, quantity=25)
    return report
