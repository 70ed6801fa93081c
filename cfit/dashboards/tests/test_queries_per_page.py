"""The pages of the HTTP benchmark (bench/bench_http.py) ask the database a fixed number
of questions, however many rows they show: a query per row (N+1) fails here.

Not a timed test: each page is loaded once to fill the caches, as under load, then
counted with twice as many rows behind it; the count must not grow and must stay
under the page's budget.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cfit.dashboards.tests.conftest import report_with
from cfit.monitoring.models import ReportStatus
from cfit.monitoring.tests.factories import PurchaseLineFactory, ecolabel
from cfit.organisations.tests.factories import signatory

pytestmark = pytest.mark.django_db

# The most queries each page may make with warm caches (signed in for the report).
BUDGET = {
    # The Pact's summary and counts per country come from the cache (one reading).
    "home": 13,
    "signatories": 9,
    # The filter form's choices too, and its options are read once.
    "public_dashboard": 15,
    # The form and results come from the cache while the criteria base is unchanged.
    "criteria_search": 8,
    # The effects panel, the BASE criteria and the rows of the lines come from the
    # cache (report version); who the person is, from their kept standing.
    "report_page": 13,
}


def _more_rows(numbers: range, report) -> None:  # type: ignore[no-untyped-def]
    """More signatories with accepted reports, and more lines on `report`."""
    label = ecolabel()
    for number in numbers:
        organisation = signatory(
            name=f"Municipality {number}",
            slug=f"municipality-{number}",
            country="DE",
        )
        report_with(organisation, {"quantity": 5 + number}, year=2025)
        line = PurchaseLineFactory(report=report, quantity=number + 1)
        line.ecolabels.add(label)


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    client.get(url)  # fills the caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def test_the_benchmarked_pages_make_a_fixed_number_of_queries(
    client, procurer_a, organisation_a
):
    report = report_with(organisation_a, status=ReportStatus.DRAFT)
    client.force_login(procurer_a)
    pages = {
        "home": reverse("home"),
        "signatories": reverse("organisations:signatories"),
        "public_dashboard": reverse("dashboards:pact"),
        "criteria_search": reverse("criteria:list") + "?q=battery",
        "report_page": reverse(
            "monitoring:report", kwargs={"slug": organisation_a.slug, "year": 2025}
        ),
    }
    _more_rows(range(3), report)
    before = {name: _count(client, url) for name, url in pages.items()}
    _more_rows(range(3, 9), report)
    after = {name: _count(client, url) for name, url in pages.items()}
    assert after == before, "a page asks once per row"
    over = {name: n for name, n in after.items() if n > BUDGET[name]}
    assert not over, f"pages over their query budget: {over}"
