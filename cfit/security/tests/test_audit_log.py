"""The security log: what is recorded, and who may read it."""

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings

from cfit.accounts.tests.factories import PASSWORD, SecretariatFactory, UserFactory
from cfit.monitoring.tests.factories import PurchaseLineFactory
from cfit.organisations import services as organisation_services
from cfit.organisations.models import MembershipRole
from cfit.organisations.tests.factories import MembershipFactory, SignatureFactory
from cfit.security.models import SecurityAction, SecurityEvent
from cfit.security.services import audit_record

pytestmark = pytest.mark.django_db


def _actions():
    return list(SecurityEvent.objects.newest_first().values_list("action", flat=True))


def test_a_sign_in_and_a_refused_one_are_recorded_with_the_address_typed(
    client, procurer_a
):
    client.post("/accounts/login/", {"login": "Nobody@Example.org", "password": "x"})
    client.post("/accounts/login/", {"login": procurer_a.email, "password": PASSWORD})
    signed_in, refused = SecurityEvent.objects.newest_first()
    assert (signed_in.action, signed_in.actor) == (SecurityAction.SIGN_IN, procurer_a)
    assert refused.action == SecurityAction.SIGN_IN_FAILED
    assert (refused.actor, refused.actor_label) == (None, "nobody@example.org")
    assert refused.ip_address == "127.0.0.1"


@override_settings(AXES_FAILURE_LIMIT=2)
def test_a_lockout_is_recorded(client, procurer_a):
    for _attempt in range(3):
        client.post("/accounts/login/", {"login": procurer_a.email, "password": "x"})
    events = SecurityEvent.objects.filter(action=SecurityAction.LOCKED_OUT)
    assert events.exists()
    assert {event.actor for event in events} == {procurer_a}


def test_role_and_membership_changes_are_recorded(organisation_a, procurer_a):
    colleague = MembershipFactory(organisation=organisation_a)
    organisation_services.membership_set_role(
        membership=colleague, by=procurer_a, role=MembershipRole.ADMIN
    )
    organisation_services.membership_remove(membership=colleague, by=procurer_a)
    assert _actions() == [
        SecurityAction.MEMBERSHIP_REMOVED,
        SecurityAction.MEMBERSHIP_ROLE,
    ]
    role = SecurityEvent.objects.get(action=SecurityAction.MEMBERSHIP_ROLE)
    assert role.details == f"{colleague.user.email} is now: Administrator"
    assert role.target_label == str(organisation_a)


def test_signature_decisions_are_recorded(secretariat):
    approved, refused = SignatureFactory(), SignatureFactory()
    organisation_services.signature_approve(signature=approved, by=secretariat)
    organisation_services.signature_refuse(
        signature=refused, by=secretariat, reason="Not a public buyer."
    )
    assert _actions() == [
        SecurityAction.SIGNATURE_REFUSED,
        SecurityAction.SIGNATURE_APPROVED,
    ]
    assert SecurityEvent.objects.first().actor == secretariat


def test_an_export_of_an_organisations_purchases_is_recorded(
    client, procurer_a, organisation_a
):
    line = PurchaseLineFactory(report__organisation=organisation_a)
    client.force_login(procurer_a)
    client.post(f"/reports/{organisation_a.slug}/{line.report.year}/export.xlsx")
    event = SecurityEvent.objects.get(action=SecurityAction.MEMBER_DATA_EXPORTED)
    assert event.actor == procurer_a
    assert event.details == f"Purchases of {line.report.year}, as XLSX"


def test_giving_someone_the_secretariat_role_in_the_administration_is_recorded(
    client,
):
    administrator = SecretariatFactory(email="admin@sbg.example", is_superuser=True)
    person = UserFactory(email="new.colleague@sbg.example")
    group = Group.objects.get(name="Secretariat")
    client.force_login(administrator)
    response = client.post(
        f"/admin/accounts/user/{person.pk}/change/",
        {
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "is_active": "on",
            "groups": [group.pk],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302
    event = SecurityEvent.objects.get(action=SecurityAction.ACCESS_CHANGED)
    assert event.actor == administrator and event.target_label == person.email
    assert event.details == "groups: Secretariat"


def test_the_secretariat_reads_and_filters_the_log_in_words(client, secretariat):
    audit_record(action=SecurityAction.SIGN_IN, actor=secretariat)
    audit_record(
        action=SecurityAction.SIGN_IN_FAILED,
        actor=None,
        actor_label="guess@evil.example",
    )
    client.force_login(secretariat)
    page = client.get("/secretariat/audit/").content.decode()
    table = page[page.index("<tbody>") :]
    assert "Sign-in refused: wrong address or password" in table
    assert "sign_in.failed" not in table
    filtered = client.get("/secretariat/audit/", {"action": "sign_in"})
    assert "guess@evil.example" not in filtered.content.decode()
    by_person = client.get("/secretariat/audit/", {"person": "evil"})
    assert "guess@evil.example" in by_person.content.decode()
    assert "1 event" in by_person.content.decode()


def test_no_one_but_the_secretariat_reads_the_log(client, procurer_a, coordinator):
    assert client.get("/secretariat/audit/").status_code == 302  # to sign in
    for person in (procurer_a, coordinator):
        client.force_login(person)
        assert client.get("/secretariat/audit/").status_code == 404
