"""A coordinating signatory links an existing self-organised group to itself, if the
group's founding members accept."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cfit.groups import selectors, services
from cfit.groups.models import Notice
from cfit.groups.tests.factories import BuyerGroupFactory, BuyerGroupMembershipFactory


@pytest.fixture
def self_organised(organisation_a):
    group = BuyerGroupFactory(name="Dutch procurers", slug="dutch-procurers")
    BuyerGroupMembershipFactory(
        group=group, organisation=organisation_a, is_founding_member=True
    )
    return group


def test_the_founders_accept_an_offer_and_the_group_is_coordinated(
    self_organised, coordinator, procurer_a, coordinating_organisation
):
    services.group_coordination_offer(group=self_organised, by=coordinator)
    assert Notice.objects.filter(recipient=procurer_a, text__contains="offers")
    services.group_coordination_decide(group=self_organised, by=procurer_a, accept=True)
    self_organised.refresh_from_db()
    assert self_organised.coordinator == coordinating_organisation
    assert selectors.manages_group(coordinator, self_organised)
    assert not selectors.manages_group(procurer_a, self_organised)
    assert Notice.objects.filter(recipient=coordinator, text__contains="accepted")


def test_a_declined_offer_leaves_the_group_self_organised(
    self_organised, coordinator, procurer_a
):
    services.group_coordination_offer(group=self_organised, by=coordinator)
    services.group_coordination_decide(
        group=self_organised, by=procurer_a, accept=False
    )
    self_organised.refresh_from_db()
    assert self_organised.is_self_organised
    assert self_organised.coordination_offered_by is None


def test_a_coordinator_of_another_country_cannot_offer(self_organised, coordinator):
    self_organised.country = "BE"
    self_organised.save()
    assert not selectors.can_offer_coordination(coordinator, self_organised)


def test_a_procurer_cannot_offer_to_coordinate(self_organised, procurer_b):
    assert not selectors.can_offer_coordination(procurer_b, self_organised)


def test_only_founders_answer_an_offer(self_organised, coordinator, procurer_b):
    services.group_coordination_offer(group=self_organised, by=coordinator)
    with pytest.raises(PermissionDenied):
        services.group_coordination_decide(
            group=self_organised, by=coordinator, accept=True
        )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("outsider", 404),
        ("procurer_b", 404),
        ("procurer_a", 302),
        ("coordinator", 404),
        ("secretariat", 404),
    ],
)
def test_the_answer_to_an_offer_is_only_for_the_founders(
    client, request, self_organised, coordinator, persona, expected
):
    services.group_coordination_offer(group=self_organised, by=coordinator)
    client.force_login(request.getfixturevalue(persona))
    url = reverse("groups:coordination-decide", kwargs={"slug": self_organised.slug})
    assert client.post(url, {"decision": "accept"}).status_code == expected


def test_the_offer_through_the_group_page(client, self_organised, coordinator):
    client.force_login(coordinator)
    page = client.get(self_organised.get_absolute_url()).content.decode()
    assert "Offer to coordinate this group" in page
    client.post(
        reverse("groups:coordination-offer", kwargs={"slug": self_organised.slug})
    )
    self_organised.refresh_from_db()
    assert self_organised.coordination_offered_by is not None
    # A second offer while one waits is not possible.
    response = client.post(
        reverse("groups:coordination-offer", kwargs={"slug": self_organised.slug})
    )
    assert response.status_code == 404
