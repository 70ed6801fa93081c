"""GET never writes: every download of member data either answers a GET without
writing anything, or is a POST (recorded in the audit log) and a GET is refused."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cfit.groups.tests.factories import BuyerGroupFactory, BuyerGroupMembershipFactory
from cfit.market.tests.factories import open_consultation
from cfit.monitoring.tests.factories import PurchaseLineFactory
from cfit.security.models import SecurityAction, SecurityEvent

pytestmark = pytest.mark.django_db


def _writes(queries: CaptureQueriesContext) -> list[str]:
    """Statements that change data, the shared cache's own table aside."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "cfit_cache" not in q["sql"]
    ]


@pytest.fixture
def doors(organisation_a, coordinating_organisation, coordinator):
    line = PurchaseLineFactory(
        report__organisation=organisation_a, report__status="accepted"
    )
    group = BuyerGroupFactory(slug="west", coordinator=coordinating_organisation)
    BuyerGroupMembershipFactory(group=group, organisation=organisation_a)
    consultation = open_consultation(coordinator, group=group)
    report = {"slug": organisation_a.slug, "year": line.report.year}
    organisation_page = reverse("dashboards:organisation", args=[organisation_a.slug])
    group_page = reverse("dashboards:group", args=["west"])
    return {
        # Audited downloads: POST only (a button), refused on a GET.
        "posted": [
            (reverse("monitoring:export-csv", kwargs=report), {}),
            (reverse("monitoring:export-xlsx", kwargs=report), {}),
            (reverse("market:answers-xlsx", kwargs={"pk": consultation.pk}), {}),
            (organisation_page, {"download": "csv"}),
            (organisation_page, {"download": "xlsx"}),
            (group_page, {"download": "csv"}),
            (group_page, {"download": "xlsx"}),
        ],
    }


def test_no_download_of_member_data_writes_on_a_get(client, coordinator, doors):
    client.force_login(coordinator)
    events = SecurityEvent.objects.count()
    for url, data in doors["posted"]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, data)
        assert response.status_code == 405, url
        assert _writes(queries) == [], url
    assert SecurityEvent.objects.count() == events


def test_each_audited_download_is_recorded_once_on_its_post(client, coordinator, doors):
    client.force_login(coordinator)
    for url, data in doors["posted"]:
        response = client.post(url, data)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment"), url
    assert SecurityEvent.objects.filter(
        action=SecurityAction.MEMBER_DATA_EXPORTED, actor=coordinator
    ).count() == len(doors["posted"])
