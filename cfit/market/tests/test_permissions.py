"""A market party never sees any organisation's own data: every monitoring address and
every members' page answers a market party's person with 404 or a redirect, never data."""

import pytest
from django.urls import get_resolver, reverse

from cfit.monitoring.tests.factories import (
    DemandForecastFactory,
    PurchaseLineFactory,
    PurchaseReportFactory,
)

# Addresses anyone may read (the blank template), and the reports index, which shows
# each signed-in person their own organisation's reports: none for a market party.
PUBLIC = {"monitoring:template"}
OWN_ONLY = {"/reports/"}


@pytest.fixture
def own_data(organisation_a, group, procurer_a):
    report = PurchaseReportFactory(organisation=organisation_a, year=2025)
    line = PurchaseLineFactory(report=report, quantity=77, tender_reference="SECRET-77")
    forecast = DemandForecastFactory(organisation=organisation_a, title="Secret tender")
    return {"report": report, "line": line, "forecast": forecast}


def _kwargs(pattern_kwargs, data, organisation, group):
    values = {
        "slug": organisation.slug,
        "year": 2025,
        "pk": data["line"].pk,
    }
    return {name: values[name] for name in pattern_kwargs}


def monitoring_urls(data, organisation, group):
    urls = []
    namespace = get_resolver().namespace_dict["monitoring"][1]
    for name in {n for n in namespace.reverse_dict if isinstance(n, str)}:
        if f"monitoring:{name}" in PUBLIC:
            continue
        params = namespace.reverse_dict.getlist(name)[0][0][0][1]
        kwargs = _kwargs(params, data, organisation, group)
        if name.startswith("forecast") and "pk" in kwargs:
            kwargs["pk"] = data["forecast"].pk
        urls.append(reverse(f"monitoring:{name}", kwargs=kwargs))
    return urls


def members_pages(data, organisation, group):
    slug = organisation.slug
    return [
        reverse("organisations:members", kwargs={"slug": slug}),
        reverse("organisations:edit", kwargs={"slug": slug}),
        reverse("organisations:sign", kwargs={"slug": slug}),
        reverse("organisations:review-list"),
        reverse("groups:members", kwargs={"slug": group.slug}),
        reverse("groups:requests", kwargs={"slug": group.slug}),
        reverse("groups:edit", kwargs={"slug": group.slug}),
        reverse("groups:create"),
        reverse("dashboards:organisation", kwargs={"slug": slug}),
        reverse("dashboards:organisation-lines", kwargs={"slug": slug}),
        reverse("dashboards:group", kwargs={"slug": group.slug}),
        reverse("impact:organisation", kwargs={"slug": slug}),
        reverse("impact:group", kwargs={"slug": group.slug}),
        reverse("impact:report", kwargs={"pk": data["report"].pk}),
        reverse("market:calendar-entry", kwargs={"pk": data["forecast"].pk}),
    ]


def test_a_market_party_never_sees_an_organisations_own_data(
    client, party_person, own_data, organisation_a, group, procurer_a
):
    # The organisation's own people see the data at these addresses.
    client.force_login(procurer_a)
    own_report = client.get(own_data["report"].get_absolute_url())
    assert b"SECRET-77" in own_report.content
    client.force_login(party_person)
    urls = monitoring_urls(own_data, organisation_a, group) + members_pages(
        own_data, organisation_a, group
    )
    assert len(urls) > 30  # every monitoring address was found
    for url in urls:
        response = client.get(url)
        if response.status_code == 405:  # a form's target: try what the form sends
            response = client.post(url, {})
        allowed = (200, 302, 404) if url in OWN_ONLY else (302, 404)
        assert response.status_code in allowed, f"{url} answered {response.status_code}"
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"] or response[
                "Location"
            ] == reverse("accounts:home"), url
        assert b"SECRET-77" not in response.content, url
        assert b"Secret tender" not in response.content, url


def test_a_market_party_sees_the_calendar_without_names_of_organisations(
    client, party_person, own_data
):
    client.force_login(party_person)
    page = client.get(reverse("market:calendar"))
    assert page.status_code == 200
    assert b"Secret tender" not in page.content
    assert b"City of Alphen" not in page.content
    assert b"500" in page.content  # the volume is shown
