"""Market tests: a verified refurbisher (party_person is its administrator), and a buyer
group coordinated by the coordinator persona with organisation A as member."""

import pytest

from cfit.groups.tests.factories import BuyerGroupFactory, BuyerGroupMembershipFactory

from .factories import party_with_person


@pytest.fixture
def party_and_person(secretariat):
    return party_with_person(
        secretariat, name="Renewed Devices", email="market@example.org"
    )


@pytest.fixture
def party(party_and_person):
    return party_and_person[0]


@pytest.fixture
def party_person(party_and_person):
    return party_and_person[1]


@pytest.fixture
def group(coordinating_organisation, organisation_a):
    group = BuyerGroupFactory(
        name="Dutch buyer group",
        slug="dutch-buyer-group",
        coordinator=coordinating_organisation,
    )
    BuyerGroupMembershipFactory(group=group, organisation=organisation_a)
    return group


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
