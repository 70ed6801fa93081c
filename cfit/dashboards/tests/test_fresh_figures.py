"""A dashboard moves as soon as what it shows changes, whichever door changed it."""

import pytest
from django.urls import reverse

from cfit.groups.models import BuyerGroupMembership, GroupMembershipStatus
from cfit.groups.services import group_leave

pytestmark = pytest.mark.django_db


def devices_shown(client, slug="west"):
    response = client.get(reverse("dashboards:group", args=[slug]))
    assert response.status_code == 200
    return response.context["dashboard"].totals.devices


def test_a_member_leaving_changes_the_group_dashboard_at_once(
    client,
    three_laptop_buyers,
    group_of_a_and_b,
    coordinator,
    procurer_b,
    django_capture_on_commit_callbacks,
):
    client.force_login(coordinator)
    # A: 10 laptops and 7 smartphones; B: 20 laptops and 11 smartphones.
    assert devices_shown(client) == 10 + 7 + 20 + 11
    with django_capture_on_commit_callbacks(execute=True):
        group_leave(group=group_of_a_and_b, by=procurer_b)
    assert devices_shown(client) == 10 + 7


def test_a_membership_changed_in_the_admin_changes_the_group_dashboard_at_once(
    client,
    admin_client,
    three_laptop_buyers,
    group_of_a_and_b,
    coordinator,
    organisation_b,
    django_capture_on_commit_callbacks,
):
    client.force_login(coordinator)
    assert devices_shown(client) == 10 + 7 + 20 + 11
    membership = BuyerGroupMembership.objects.get(
        group=group_of_a_and_b, organisation=organisation_b
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:groups_buyergroupmembership_change", args=[membership.pk]),
            {
                "organisation": organisation_b.pk,
                "group": group_of_a_and_b.pk,
                "status": GroupMembershipStatus.LEFT,
                "is_founding_member": "",
                "requested_at_0": "2025-01-01",
                "requested_at_1": "10:00:00",
                "_save": "Save",
            },
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert devices_shown(client) == 10 + 7
