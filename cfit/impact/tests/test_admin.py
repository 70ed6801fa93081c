"""A FactorSet that has been current cannot be changed in the admin."""

import pytest
from django.urls import reverse

from cfit.impact.factorsets import SHIPPED_FILE, read_data, store_factorset
from cfit.impact.models import FactorSet

pytestmark = pytest.mark.django_db


def test_the_secretariat_edits_a_new_factorset_but_not_one_that_was_current(
    client, secretariat
):
    data = read_data(SHIPPED_FILE)
    data["version"] = "2026-1"
    new = store_factorset(data)
    client.force_login(secretariat)
    url = reverse("admin:impact_factorset_change", args=[new.pk])
    assert b'name="_save"' in client.get(url).content
    new.made_current_at = new.created_at
    new.save()
    assert b'name="_save"' not in client.get(url).content


def test_someone_outside_the_secretariat_has_no_factorset_admin(client, procurer_a):
    client.force_login(procurer_a)
    current = FactorSet.objects.current()
    response = client.get(reverse("admin:impact_factorset_change", args=[current.pk]))
    assert response.status_code == 302


def test_the_factorset_current_since_installation_is_locked(client, secretariat):
    client.force_login(secretariat)
    current = FactorSet.objects.current()
    url = reverse("admin:impact_factorset_change", args=[current.pk])
    assert b'name="_save"' not in client.get(url).content


def test_the_secretariat_copies_a_factorset_as_a_new_editable_version(
    client, secretariat
):
    client.force_login(secretariat)
    current = FactorSet.objects.current()
    client.post(
        reverse("admin:impact_factorset_changelist"),
        {"action": "copy_as_new_version", "_selected_action": [current.pk]},
    )
    copy = FactorSet.objects.get(version="2025-1-copy1")
    assert not copy.is_current and not copy.is_locked
    assert copy.electricity.count() == current.electricity.count()
    assert copy.products.get(product_group__code="laptop").gwp_kg == 181
