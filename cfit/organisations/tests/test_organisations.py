import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from cfit.accounts.tests.factories import UserFactory
from cfit.organisations import services
from cfit.organisations.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
)
from cfit.organisations.tests.factories import OrganisationFactory, member_of

pytestmark = pytest.mark.django_db


def test_whoever_registers_an_organisation_becomes_its_administrator(outsider):
    organisation = services.organisation_register(
        by=outsider, name="City of Delft", country="NL", kind="local_government"
    )
    membership = Membership.objects.get(user=outsider)
    assert membership.organisation == organisation
    assert membership.role == MembershipRole.ADMIN
    assert membership.status == MembershipStatus.ACTIVE


def test_the_same_name_in_the_same_country_is_refused_whatever_its_case(outsider):
    OrganisationFactory(name="City of Delft", country="NL")
    with pytest.raises(ValidationError) as error:
        services.organisation_register(
            by=outsider, name="city of delft", country="NL", kind="local_government"
        )
    assert "already registered in this country" in str(error.value)
    assert Organisation.objects.filter(name__iexact="city of delft").count() == 1


def test_the_same_name_in_another_country_is_allowed(outsider):
    OrganisationFactory(name="Ministry of Finance", country="NL")
    services.organisation_register(
        by=outsider,
        name="Ministry of Finance",
        country="BE",
        kind="national_government",
    )
    assert Organisation.objects.filter(name="Ministry of Finance").count() == 2


def test_a_request_to_join_is_sent_to_the_administrators_who_accept_it(
    outsider, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory()
    admin = member_of(organisation, email="admin@org.example")
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_request(
            organisation=organisation, by=outsider, message="I work in IT"
        )
    assert mail.outbox[-1].to == [admin.email]
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decide(membership=membership, by=admin, accept=True)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    assert mail.outbox[-1].to == [outsider.email]


def test_only_an_administrator_may_accept_a_request(outsider):
    organisation = OrganisationFactory()
    plain_member = member_of(organisation, admin=False)
    membership = services.membership_request(organisation=organisation, by=outsider)
    with pytest.raises(PermissionDenied):
        services.membership_decide(membership=membership, by=plain_member, accept=True)


def test_a_person_already_in_an_organisation_cannot_ask_to_join_another(procurer_a):
    with pytest.raises(ValidationError):
        services.membership_request(organisation=OrganisationFactory(), by=procurer_a)


def test_the_last_administrator_cannot_leave_or_step_down(procurer_a):
    membership = Membership.objects.get(user=procurer_a)
    with pytest.raises(ValidationError):
        services.membership_remove(membership=membership, by=procurer_a)
    with pytest.raises(ValidationError):
        services.membership_set_role(
            membership=membership, by=procurer_a, role=MembershipRole.MEMBER
        )


def test_an_administrator_may_make_a_member_administrator(procurer_a, organisation_a):
    colleague = member_of(organisation_a, admin=False)
    membership = Membership.objects.get(user=colleague)
    services.membership_set_role(
        membership=membership, by=procurer_a, role=MembershipRole.ADMIN
    )
    membership.refresh_from_db()
    assert membership.role == MembershipRole.ADMIN


def test_an_administrator_of_another_organisation_may_not_edit(
    procurer_b, organisation_a
):
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            organisation=organisation_a,
            by=procurer_b,
            name="Taken over",
            country="NL",
            kind="company",
            website="",
        )


def test_the_secretariat_may_edit_any_organisation(secretariat, organisation_a):
    services.organisation_update(
        organisation=organisation_a,
        by=secretariat,
        name="City of Alphen a/d Rijn",
        country="NL",
        kind="local_government",
        website="",
    )
    organisation_a.refresh_from_db()
    assert organisation_a.name == "City of Alphen a/d Rijn"


def test_a_person_acts_for_one_organisation_at_a_time():
    user = UserFactory()
    first, second = OrganisationFactory(), OrganisationFactory()
    Membership.objects.create(
        organisation=first, user=user, status=MembershipStatus.ACTIVE
    )
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            organisation=second, user=user, status=MembershipStatus.ACTIVE
        )
