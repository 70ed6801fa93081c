"""A person's standing (secretariat, membership, coordinated organisations, unread
notices) is read once and kept, and a change through any door is seen on the next
request: the services, the admin, and plain writes as a command or the shell makes."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cfit.accounts.tests.factories import UserFactory
from cfit.groups import services as group_services
from cfit.groups.models import GroupMembershipStatus, Notice
from cfit.groups.selectors import coordinates_organisation
from cfit.monitoring.tests.factories import PurchaseReportFactory, buyer_group_of
from cfit.organisations import services as organisation_services
from cfit.organisations.models import Membership

pytestmark = pytest.mark.django_db

SECRETARIAT_LINK = '<a href="/secretariat/'


def _home(client) -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.text


def _report_status(client, report) -> int:  # type: ignore[no-untyped-def]
    url = reverse(
        "monitoring:report",
        kwargs={"slug": report.organisation.slug, "year": report.year},
    )
    return client.get(url).status_code


def test_the_standing_is_read_in_one_round_trip_once_kept(client, procurer_a):
    client.force_login(procurer_a)
    _home(client)
    with CaptureQueriesContext(connection) as captured:
        _home(client)
    read = " ".join(query["sql"] for query in captured.captured_queries)
    assert "auth_permission" not in read
    assert "organisations_membership" not in read
    assert "groups_notice" not in read


def test_a_person_put_in_the_secretariat_through_the_admin_must_set_up_a_second_factor(
    client, outsider, admin_change
):
    client.force_login(outsider)
    assert _home(client)
    admin_change(
        reverse("admin:accounts_user_change", args=[outsider.pk]),
        groups=[Group.objects.get(name="Secretariat").pk],
        # The form shows the date and the time in two fields.
        date_joined_0=outsider.date_joined.strftime("%Y-%m-%d"),
        date_joined_1=outsider.date_joined.strftime("%H:%M:%S"),
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_a_person_taken_out_of_the_secretariat_by_a_command_loses_its_pages_at_once(
    client, secretariat
):
    client.force_login(secretariat)
    assert SECRETARIAT_LINK in _home(client)
    secretariat.groups.remove(Group.objects.get(name="Secretariat"))
    assert SECRETARIAT_LINK not in _home(client)


def test_a_permission_taken_from_the_secretariat_group_is_seen_at_once(
    client, secretariat
):
    client.force_login(secretariat)
    assert SECRETARIAT_LINK in _home(client)
    Group.objects.get(name="Secretariat").permissions.remove(
        Permission.objects.get(codename="review_signature")
    )
    assert SECRETARIAT_LINK not in _home(client)


def test_a_person_made_superuser_in_the_shell_is_asked_for_a_second_factor(
    client, outsider
):
    client.force_login(outsider)
    assert _home(client)
    outsider.is_superuser = True
    outsider.save()
    assert client.get(reverse("home")).status_code == 302


def test_an_accepted_request_to_join_shows_the_organisation_on_the_next_page(
    client, organisation_a, procurer_a, django_capture_on_commit_callbacks
):
    newcomer = UserFactory()
    client.force_login(newcomer)
    assert organisation_a.name not in _home(client)
    with django_capture_on_commit_callbacks(execute=True):
        request = organisation_services.membership_request(
            organisation=organisation_a, by=newcomer
        )
        organisation_services.membership_decide(
            membership=request, by=procurer_a, accept=True
        )
    assert organisation_a.name in _home(client)


def test_a_membership_deleted_in_the_admin_is_gone_on_the_next_page(
    client, admin_client, organisation_a, procurer_a
):
    client.force_login(procurer_a)
    assert organisation_a.name in _home(client)
    membership = Membership.objects.get(user=procurer_a)
    admin_client.post(
        reverse("admin:organisations_membership_delete", args=[membership.pk]),
        {"post": "yes"},
    )
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert organisation_a.name not in _home(client)


def test_an_organisation_renamed_in_the_shell_shows_its_new_name(
    client, organisation_a, procurer_a
):
    client.force_login(procurer_a)
    assert organisation_a.name in _home(client)
    organisation_a.name = "City of Alphen aan den Rijn"
    organisation_a.save()
    assert "City of Alphen aan den Rijn" in _home(client)


def test_notices_sent_and_read_through_the_services_move_the_count_at_once(
    client, procurer_a, django_capture_on_commit_callbacks
):
    client.force_login(procurer_a)
    assert "unread" not in _home(client)
    with django_capture_on_commit_callbacks(execute=True):
        group_services.notify(
            recipients=[procurer_a], kind="test", text="Something happened", url="/"
        )
    assert "Notices (1<span" in _home(client)
    with django_capture_on_commit_callbacks(execute=True):
        group_services.notices_mark_read(user=procurer_a)
    assert "unread" not in _home(client)


def test_a_notice_written_directly_counts_at_once(client, procurer_a):
    client.force_login(procurer_a)
    assert "unread" not in _home(client)
    Notice.objects.create(recipient=procurer_a, text="From a command", url="/")
    assert "Notices (1<span" in _home(client)


def test_a_coordinator_sees_a_report_from_the_moment_the_organisation_joins(
    client, coordinating_organisation, coordinator, organisation_a
):
    report = PurchaseReportFactory(organisation=organisation_a, year=2025)
    group = buyer_group_of(coordinating_organisation)
    client.force_login(coordinator)
    assert _report_status(client, report) == 404
    group.memberships.create(
        organisation=organisation_a, status=GroupMembershipStatus.ACTIVE
    )
    assert _report_status(client, report) == 200


def test_a_coordinator_loses_a_report_when_the_organisation_leaves_the_group(
    client, coordinating_organisation, coordinator, organisation_a, procurer_a
):
    report = PurchaseReportFactory(organisation=organisation_a, year=2025)
    group = buyer_group_of(coordinating_organisation, organisation_a)
    client.force_login(coordinator)
    assert _report_status(client, report) == 200
    group_services.group_leave(group=group, by=procurer_a)
    assert _report_status(client, report) == 404


def test_nothing_is_kept_for_a_visitor(organisation_a):
    assert not coordinates_organisation(AnonymousUser(), organisation_a)
    assert cache.get("standing:None") is None


def test_a_data_migration_that_changes_rights_is_seen_after_migrate(
    client, secretariat
):
    client.force_login(secretariat)
    assert SECRETARIAT_LINK in _home(client)
    # As a data migration does it: through a historical model, which sends no signal.
    historical = MigrationExecutor(connection).loader.project_state().apps
    group = historical.get_model("auth", "Group").objects.get(name="Secretariat")
    group.permissions.clear()
    call_command("migrate", verbosity=0)
    assert SECRETARIAT_LINK not in _home(client)
