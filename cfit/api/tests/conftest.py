import pytest

from cfit.api.models import TokenScope
from cfit.api.services import token_create
from cfit.monitoring.tests.factories import (
    PurchaseLineFactory,
    PurchaseReportFactory,
    ReportingPeriodFactory,
)


@pytest.fixture(autouse=True)
def fresh_cache(db):
    """Rate limits are counted in the cache: every test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def period(db):
    return ReportingPeriodFactory(year=2025)


@pytest.fixture
def report_a(organisation_a, period):
    report = PurchaseReportFactory(organisation=organisation_a, year=2025)
    PurchaseLineFactory(report=report, quantity=25, country_of_use="NL")
    return report


@pytest.fixture
def report_b(organisation_b, period):
    report = PurchaseReportFactory(organisation=organisation_b, year=2025)
    PurchaseLineFactory(report=report, quantity=7, country_of_use="BE")
    return report


def _token(user, organisation, scope):
    _token_object, raw = token_create(
        user=user,
        organisation=organisation,
        name=f"{scope} token",
        scope=scope,
        days=30,
    )
    return raw


@pytest.fixture
def token_a(procurer_a, organisation_a):
    """A read-and-write token of organisation A's procurer."""
    return _token(procurer_a, organisation_a, TokenScope.READ_WRITE)


@pytest.fixture
def read_token_a(procurer_a, organisation_a):
    return _token(procurer_a, organisation_a, TokenScope.READ)


@pytest.fixture
def token_b(procurer_b, organisation_b):
    return _token(procurer_b, organisation_b, TokenScope.READ_WRITE)


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}
