import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from cfit.organisations import services
from cfit.organisations.models import (
    SignatureRole,
    SignatureStateError,
    SignatureStatus,
)
from cfit.organisations.tests.factories import (
    OrganisationFactory,
    SignatureFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


def test_a_new_signature_waits_for_the_secretariat():
    organisation = OrganisationFactory()
    admin = member_of(organisation)
    signature = services.signature_submit(
        organisation=organisation,
        by=admin,
        role=SignatureRole.PROCURING,
        signatory_name="Ada Lovelace",
        signatory_title="Chief Procurement Officer",
    )
    assert signature.status == SignatureStatus.PENDING
    assert signature.pact_text.version == "2022-12"


def test_the_secretariat_approves_a_pending_signature_and_the_admins_are_told(
    secretariat, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory()
    admin = member_of(organisation, email="admin@city.example")
    signature = SignatureFactory(organisation=organisation)
    with django_capture_on_commit_callbacks(execute=True):
        services.signature_approve(signature=signature, by=secretariat)
    signature.refresh_from_db()
    assert signature.status == SignatureStatus.APPROVED
    assert signature.approved_on is not None
    assert signature.decided_by == secretariat
    assert [m.to for m in mail.outbox] == [[admin.email]]
    assert "signed the Pact" in mail.outbox[0].subject


def test_a_refusal_needs_a_reason(secretariat):
    signature = SignatureFactory()
    with pytest.raises(ValidationError):
        services.signature_refuse(signature=signature, by=secretariat, reason="  ")
    signature.refresh_from_db()
    assert signature.status == SignatureStatus.PENDING


def test_a_refused_signature_keeps_its_reason(secretariat):
    signature = SignatureFactory()
    services.signature_refuse(
        signature=signature, by=secretariat, reason="Unknown organisation"
    )
    signature.refresh_from_db()
    assert signature.status == SignatureStatus.REFUSED
    assert signature.refusal_reason == "Unknown organisation"


@pytest.mark.parametrize(
    "status",
    [SignatureStatus.APPROVED, SignatureStatus.REFUSED, SignatureStatus.WITHDRAWN],
)
def test_only_a_pending_signature_can_be_approved_or_refused(status, secretariat):
    signature = SignatureFactory(status=status)
    with pytest.raises(SignatureStateError):
        signature.approve(by=secretariat)
    with pytest.raises(SignatureStateError):
        signature.refuse(by=secretariat, reason="x")


@pytest.mark.parametrize("status", [SignatureStatus.PENDING, SignatureStatus.APPROVED])
def test_an_open_signature_can_be_withdrawn(status):
    organisation = OrganisationFactory()
    admin = member_of(organisation)
    signature = SignatureFactory(organisation=organisation, status=status)
    services.signature_withdraw(signature=signature, by=admin)
    signature.refresh_from_db()
    assert signature.status == SignatureStatus.WITHDRAWN
    assert signature.withdrawn_at is not None


def test_a_refused_signature_cannot_be_withdrawn():
    signature = SignatureFactory(status=SignatureStatus.REFUSED)
    with pytest.raises(SignatureStateError):
        signature.withdraw()


def test_a_second_pending_signature_in_the_same_role_is_refused():
    organisation = OrganisationFactory()
    admin = member_of(organisation)
    SignatureFactory(organisation=organisation, role=SignatureRole.PROCURING)
    with pytest.raises(ValidationError) as error:
        services.signature_submit(
            organisation=organisation,
            by=admin,
            role=SignatureRole.PROCURING,
            signatory_name="B",
            signatory_title="C",
        )
    assert "already signed" in str(error.value)
    assert organisation.signatures.count() == 1


def test_an_organisation_may_sign_in_both_roles():
    organisation = OrganisationFactory()
    admin = member_of(organisation)
    for role in SignatureRole.values:
        services.signature_submit(
            organisation=organisation,
            by=admin,
            role=role,
            signatory_name="A",
            signatory_title="B",
        )
    assert organisation.signatures.count() == 2


def test_after_withdrawing_an_organisation_may_sign_again():
    organisation = OrganisationFactory()
    admin = member_of(organisation)
    SignatureFactory(organisation=organisation, status=SignatureStatus.WITHDRAWN)
    services.signature_submit(
        organisation=organisation,
        by=admin,
        role=SignatureRole.PROCURING,
        signatory_name="A",
        signatory_title="B",
    )
    assert organisation.signatures.filter(status=SignatureStatus.PENDING).count() == 1


def test_only_the_secretariat_may_approve(procurer_a, coordinator):
    signature = SignatureFactory()
    for person in (procurer_a, coordinator):
        with pytest.raises(PermissionDenied):
            services.signature_approve(signature=signature, by=person)
    signature.refresh_from_db()
    assert signature.status == SignatureStatus.PENDING


def test_an_ordinary_member_may_not_sign_for_the_organisation():
    organisation = OrganisationFactory()
    member = member_of(organisation, admin=False)
    with pytest.raises(PermissionDenied):
        services.signature_submit(
            organisation=organisation,
            by=member,
            role=SignatureRole.PROCURING,
            signatory_name="A",
            signatory_title="B",
        )


def test_a_member_of_another_organisation_may_not_withdraw(procurer_b):
    signature = SignatureFactory(status=SignatureStatus.APPROVED)
    with pytest.raises(PermissionDenied):
        services.signature_withdraw(signature=signature, by=procurer_b)
