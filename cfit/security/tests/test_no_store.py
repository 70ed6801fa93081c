"""Pages and downloads for a signed-in person are not kept by browsers or proxies."""

import pytest

from cfit.monitoring.tests.factories import PurchaseLineFactory

pytestmark = pytest.mark.django_db


def _cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


def test_every_page_a_signed_in_person_sees_is_marked_no_store(client, procurer_a):
    client.force_login(procurer_a)
    for url in ("/", "/me/", "/me/profile/", "/reports/", "/criteria/"):
        assert "no-store" in _cache_control(client.get(url)), url


def test_a_private_download_is_marked_no_store(client, procurer_a, organisation_a):
    line = PurchaseLineFactory(report__organisation=organisation_a)
    client.force_login(procurer_a)
    url = f"/reports/{organisation_a.slug}/{line.report.year}/export.csv"
    response = client.post(url)
    assert response.status_code == 200
    assert {"no-store", "private"} <= _cache_control(response)


def test_public_pages_for_visitors_stay_cacheable(client):
    for url in ("/", "/criteria/", "/signatories/"):
        assert "no-store" not in _cache_control(client.get(url)), url
