import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cfit.accounts.tests.factories import UserFactory
from cfit.groups.models import Notice
from cfit.market import services
from cfit.market.models import MarketPartyStatus
from cfit.organisations.models import MembershipStatus

from .factories import party_with_person


def test_a_company_registers_and_the_secretariat_verifies_it(
    client, secretariat, django_capture_on_commit_callbacks
):
    person = UserFactory()
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("market:party-register"),
            {"name": "Second Life IT", "country": "BE", "kind": "refurbisher"},
        )
    assert response.status_code == 302
    assert Notice.objects.filter(recipient=secretariat, text__contains="Second Life IT")
    party = person.market_memberships.get().party
    assert party.status == MarketPartyStatus.PENDING
    # Not public until verified.
    client.logout()
    assert client.get(party.get_absolute_url()).status_code == 404
    client.force_login(secretariat)
    page = client.get(reverse("market:party-review"))
    assert b"Second Life IT" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("market:party-review"), {"party": party.pk, "decision": "verify"}
        )
    party.refresh_from_db()
    assert party.is_verified
    assert Notice.objects.filter(recipient=person, text__contains="verified")
    client.logout()
    assert client.get(party.get_absolute_url()).status_code == 200


def test_a_refusal_needs_a_reason(secretariat):
    party, _person = party_with_person(secretariat, name="Dubious", verified=False)
    with pytest.raises(ValidationError):
        services.market_party_decide(party=party, by=secretariat, verify=False)
    services.market_party_decide(
        party=party, by=secretariat, verify=False, reason="Not a real company"
    )
    assert party.status == MarketPartyStatus.REFUSED


def test_only_the_secretariat_reviews_market_parties(client, procurer_a, party_person):
    for person in (procurer_a, party_person):
        client.force_login(person)
        assert client.get(reverse("market:party-review")).status_code == 404


def test_a_colleague_joins_a_market_party_as_one_joins_an_organisation(
    client, party, party_person
):
    colleague = UserFactory()
    client.force_login(colleague)
    client.post(
        reverse("market:party-request-join", kwargs={"slug": party.slug}),
        {"message": "I run the workshop."},
    )
    membership = colleague.market_memberships.get()
    assert membership.status == MembershipStatus.REQUESTED
    # The colleague cannot see the members' page yet; the administrator can, and accepts.
    members_url = reverse("market:party-members", kwargs={"slug": party.slug})
    assert client.get(members_url).status_code == 404
    client.force_login(party_person)
    assert colleague.email.encode() in client.get(members_url).content
    client.post(
        reverse(
            "market:party-member-decide",
            kwargs={"slug": party.slug, "pk": membership.pk},
        ),
        {"decision": "accept"},
    )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE


def test_a_person_of_a_signatory_cannot_also_speak_for_a_market_party(
    procurer_a, party
):
    with pytest.raises(ValidationError, match="own account"):
        services.market_party_register(
            by=procurer_a, name="Side business", country="NL", kind="reseller"
        )
    with pytest.raises(ValidationError, match="own account"):
        services.party_membership_request(party=party, by=procurer_a)


def test_a_party_keeps_at_least_one_administrator(party, party_person):
    membership = party_person.market_memberships.get()
    with pytest.raises(ValidationError):
        services.party_membership_set_role(
            membership=membership, by=party_person, role="member"
        )
