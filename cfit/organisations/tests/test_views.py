import pytest
from django.urls import reverse

from cfit.organisations.models import Signature, SignatureStatus
from cfit.organisations.tests.factories import (
    OrganisationFactory,
    SignatureFactory,
    signatory,
)

pytestmark = pytest.mark.django_db


def test_the_public_list_shows_approved_signatories_only(client):
    signatory(name="Approved City")
    SignatureFactory(organisation=OrganisationFactory(name="Pending Town"))
    SignatureFactory(
        organisation=OrganisationFactory(name="Refused Village"),
        status=SignatureStatus.REFUSED,
    )
    response = client.get(reverse("organisations:signatories"))
    assert response.status_code == 200
    assert "Approved City" in response.text
    assert "Pending Town" not in response.text
    assert "Refused Village" not in response.text


def test_the_public_list_filters_by_country_role_and_kind(client):
    signatory(name="Dutch City", country="NL", kind="local_government")
    signatory(
        name="Belgian Ministry",
        country="BE",
        kind="national_government",
        role="coordinating",
    )
    url = reverse("organisations:signatories")
    assert "Belgian Ministry" not in client.get(url, {"country": "NL"}).text
    assert "Dutch City" not in client.get(url, {"role": "coordinating"}).text
    assert "Belgian Ministry" in client.get(url, {"kind": "national_government"}).text


def test_the_public_list_counts_signatories_per_country(client):
    for n in range(3):
        signatory(name=f"Dutch {n}", country="NL")
    response = client.get(reverse("organisations:signatories"))
    counts = {
        row.country: row.organisations for row in response.context["country_counts"]
    }
    assert counts == {"NL": 3}


def test_a_filter_change_by_htmx_returns_only_the_results(client):
    signatory(name="Dutch City", country="NL")
    response = client.get(
        reverse("organisations:signatories"),
        {"country": "NL"},
        headers={"HX-Request": "true"},
    )
    assert 'id="results"' in response.text
    assert "<footer" not in response.text


def test_an_organisation_without_approved_signature_is_not_public(client):
    organisation = OrganisationFactory()
    SignatureFactory(organisation=organisation)
    assert client.get(organisation.get_absolute_url()).status_code == 404


def test_the_public_page_of_a_signatory_hides_its_pending_signatures(client):
    organisation = signatory(name="Both Roles City")
    SignatureFactory(
        organisation=organisation, role="coordinating", signatory_name="Pending Person"
    )
    response = client.get(organisation.get_absolute_url())
    assert response.status_code == 200
    assert "Pending Person" not in response.text


@pytest.mark.parametrize(
    "name",
    ["organisations:members", "organisations:edit", "organisations:sign"],
)
def test_members_pages_are_404_for_an_outsider_and_another_organisation(
    client, name, organisation_a, outsider, procurer_b
):
    url = reverse(name, kwargs={"slug": organisation_a.slug})
    for person in (outsider, procurer_b):
        client.force_login(person)
        assert client.get(url).status_code == 404


def test_members_pages_redirect_a_visitor_to_sign_in(client, organisation_a):
    response = client.get(
        reverse("organisations:members", kwargs={"slug": organisation_a.slug})
    )
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_review_page_is_404_for_everyone_but_the_secretariat(
    client, procurer_a, coordinator, secretariat
):
    signature = SignatureFactory()
    for person in (procurer_a, coordinator):
        client.force_login(person)
        assert client.get(reverse("organisations:review-list")).status_code == 404
        assert (
            client.get(
                reverse("organisations:review-detail", args=[signature.pk])
            ).status_code
            == 404
        )
    client.force_login(secretariat)
    assert client.get(reverse("organisations:review-list")).status_code == 200


def test_a_procurer_cannot_approve_by_posting_to_the_review_page(client, procurer_a):
    signature = SignatureFactory()
    client.force_login(procurer_a)
    response = client.post(
        reverse("organisations:review-detail", args=[signature.pk]),
        {"decision": "approve"},
    )
    assert response.status_code == 404
    signature.refresh_from_db()
    assert signature.status == SignatureStatus.PENDING


def test_refusing_without_a_reason_redisplays_the_form_with_the_error(
    client, secretariat
):
    signature = SignatureFactory()
    client.force_login(secretariat)
    response = client.post(
        reverse("organisations:review-detail", args=[signature.pk]),
        {"decision": "refuse", "reason": ""},
    )
    assert response.status_code == 200
    assert "This field is required" in response.text
    signature.refresh_from_db()
    assert signature.status == SignatureStatus.PENDING


def test_a_duplicate_organisation_is_refused_with_the_form_shown_again(
    client, outsider
):
    OrganisationFactory(name="City of Delft", country="NL")
    client.force_login(outsider)
    response = client.post(
        reverse("organisations:register"),
        {
            "name": "City of Delft",
            "country": "NL",
            "kind": "local_government",
            "website": "",
        },
    )
    assert response.status_code == 200
    assert "already registered in this country" in response.text
    assert 'value="City of Delft"' in response.text


def test_a_role_already_signed_is_not_offered_and_refused_if_sent(
    client, organisation_a, procurer_a
):
    # Organisation A signed as procurer: the form offers only coordinating.
    client.force_login(procurer_a)
    url = reverse("organisations:sign", kwargs={"slug": organisation_a.slug})
    assert 'value="procuring"' not in client.get(url).text
    response = client.post(
        url,
        {
            "role": "procuring",
            "signatory_name": "A B",
            "signatory_title": "CPO",
            "agree": "on",
        },
    )
    assert response.status_code == 200
    assert "field--error" in response.text
    assert organisation_a.signatures.filter(role="procuring").count() == 1


def test_with_both_roles_signed_the_sign_page_sends_back_with_a_message(
    client, organisation_a, procurer_a
):
    SignatureFactory(organisation=organisation_a, role="coordinating")
    client.force_login(procurer_a)
    response = client.get(
        reverse("organisations:sign", kwargs={"slug": organisation_a.slug}),
        follow=True,
    )
    assert "signed (or asked to sign) in both roles" in response.text
    assert Signature.objects.filter(organisation=organisation_a).count() == 2


def test_every_page_carries_a_content_security_policy(client):
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_the_country_filter_offers_only_countries_with_signatories(client):
    signatory(name="Dutch City", country="NL")
    signatory(name="Belgian Ministry", country="BE")
    choices = dict(
        client.get(reverse("organisations:signatories"))
        .context["form"]
        .fields["country"]
        .choices
    )
    assert set(choices) == {"", "NL", "BE"}
    assert choices["BE"] == "Belgium"
