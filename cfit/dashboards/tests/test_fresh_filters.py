"""The dashboards' filter form is drawn once and kept (views._respond): its choices
still follow a change at once, whichever door made it."""

import pytest
from django.urls import reverse

from cfit.groups.services import buyer_group_create
from cfit.monitoring.tests.factories import product_group

pytestmark = pytest.mark.django_db


def filters_shown(client) -> str:
    response = client.get(reverse("dashboards:pact"))
    assert response.status_code == 200
    return response.text.split('id="filters"', 1)[1].split("</form>", 1)[0]


def test_a_buyer_group_set_up_by_a_coordinator_can_be_chosen_at_once(
    client, three_laptop_buyers, coordinator, django_capture_on_commit_callbacks
):
    assert "Northern Buyers" not in filters_shown(client)
    with django_capture_on_commit_callbacks(execute=True):
        buyer_group_create(by=coordinator, name="Northern Buyers", kind="thematic")
    assert "Northern Buyers" in filters_shown(client)


def test_a_product_group_renamed_in_the_admin_can_be_chosen_under_its_new_name(
    client, admin_change, three_laptop_buyers
):
    laptop = product_group("laptop")
    assert laptop.name in filters_shown(client)
    admin_change(
        reverse("admin:criteria_productgroup_change", args=[laptop.pk]),
        name="Notebook computers",
    )
    assert "Notebook computers" in filters_shown(client)
