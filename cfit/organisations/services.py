"""Writes about organisations, memberships and signatures."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cfit.accounts.models import User
from cfit.accounts.standing import forget_on
from cfit.dashboards.caching import figures_changed
from cfit.lib.rows import lock_and_reload
from cfit.security.models import SecurityAction
from cfit.security.services import audit_record

from .models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    PactText,
    Signature,
    SignatureStateError,
    SignatureStatus,
)
from .selectors import (
    current_pact_text,
    is_organisation_admin,
    is_secretariat,
    membership_for_user,
)
from .tasks import (
    notify_join_request,
    notify_membership_decided,
    notify_signature_decided,
)


def _unique_slug(name: str, country: str) -> str:
    base = slugify(f"{name}-{country}")[:200] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _forget_cached_membership(user: User) -> None:
    forget_on(user)


def _check_unique_name(
    *, name: str, country: str, exclude_pk: int | None = None
) -> None:
    clash = Organisation.objects.filter(name__iexact=name.strip(), country=country)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(
            {
                "name": _(
                    "An organisation with this name is already registered in this country."
                )
            }
        )


@transaction.atomic
def organisation_register(
    *, by: User, name: str, country: str, kind: str, website: str = ""
) -> Organisation:
    """Register a new organisation; the person who registers it becomes its administrator."""
    if membership_for_user(by):
        raise ValidationError(_("You already belong to an organisation."))
    _check_unique_name(name=name, country=country)
    organisation = Organisation.objects.create(
        name=name.strip(),
        slug=_unique_slug(name, country),
        country=country,
        kind=kind,
        website=website,
    )
    # A person with an open request elsewhere stops waiting once they register their own.
    Membership.objects.filter(user=by, status=MembershipStatus.REQUESTED).delete()
    Membership.objects.create(
        organisation=organisation,
        user=by,
        role=MembershipRole.ADMIN,
        status=MembershipStatus.ACTIVE,
        decided_at=timezone.now(),
    )
    _forget_cached_membership(by)
    return organisation


@transaction.atomic
def organisation_update(
    *,
    organisation: Organisation,
    by: User,
    name: str,
    country: str,
    kind: str,
    website: str,
) -> Organisation:
    """Change an organisation's details (its administrators or the secretariat)."""
    transaction.on_commit(figures_changed)
    if not (is_organisation_admin(by, organisation) or is_secretariat(by)):
        raise PermissionDenied
    _check_unique_name(name=name, country=country, exclude_pk=organisation.pk)
    organisation.name = name.strip()
    organisation.country = country
    organisation.kind = kind
    organisation.website = website
    organisation.save()
    return organisation


@transaction.atomic
def membership_request(
    *, organisation: Organisation, by: User, message: str = ""
) -> Membership:
    """Ask to join an organisation; its administrators are told."""
    if membership_for_user(by):
        raise ValidationError(_("You already belong to an organisation."))
    if Membership.objects.filter(user=by, status=MembershipStatus.REQUESTED).exists():
        raise ValidationError(
            _(
                "You have already asked to join an organisation. Wait for an answer first."
            )
        )
    membership = Membership.objects.create(
        organisation=organisation, user=by, message=message.strip()
    )
    transaction.on_commit(
        lambda: notify_join_request.enqueue(membership_id=membership.pk)
    )
    return membership


@transaction.atomic
def membership_decide(*, membership: Membership, by: User, accept: bool) -> Membership:
    """An administrator accepts or declines a request to join."""
    if not is_organisation_admin(by, membership.organisation):
        raise PermissionDenied
    lock_and_reload(membership, "status")
    if membership.status != MembershipStatus.REQUESTED:
        raise ValidationError(_("This request has already been answered."))
    if (
        accept
        and Membership.objects.filter(
            user=membership.user, status=MembershipStatus.ACTIVE
        ).exists()
    ):
        raise ValidationError(
            _("This person has meanwhile joined another organisation.")
        )
    membership.status = MembershipStatus.ACTIVE if accept else MembershipStatus.DECLINED
    membership.decided_by = by
    membership.decided_at = timezone.now()
    membership.save()
    audit_record(
        action=SecurityAction.MEMBERSHIP_ACCEPTED
        if accept
        else SecurityAction.MEMBERSHIP_DECLINED,
        actor=by,
        target=membership.organisation,
        details=membership.user.email,
    )
    transaction.on_commit(
        lambda: notify_membership_decided.enqueue(membership_id=membership.pk)
    )
    return membership


def _other_admins(membership: Membership) -> int:
    return (
        Membership.objects.filter(
            organisation=membership.organisation,
            status=MembershipStatus.ACTIVE,
            role=MembershipRole.ADMIN,
        )
        .exclude(pk=membership.pk)
        .count()
    )


@transaction.atomic
def membership_set_role(*, membership: Membership, by: User, role: str) -> Membership:
    """Make a member an administrator or back; an organisation keeps at least one."""
    if not is_organisation_admin(by, membership.organisation):
        raise PermissionDenied
    if membership.status != MembershipStatus.ACTIVE:
        raise ValidationError(_("Only members can be given a role."))
    if role != MembershipRole.ADMIN and _other_admins(membership) == 0:
        raise ValidationError(_("An organisation needs at least one administrator."))
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        action=SecurityAction.MEMBERSHIP_ROLE,
        actor=by,
        target=membership.organisation,
        details=_("%(person)s is now: %(role)s")
        % {"person": membership.user.email, "role": membership.get_role_display()},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    """Remove a member (an administrator), or leave (the member themself)."""
    if not (
        by.pk == membership.user_id
        or is_organisation_admin(by, membership.organisation)
    ):
        raise PermissionDenied
    if membership.role == MembershipRole.ADMIN and _other_admins(membership) == 0:
        raise ValidationError(
            _(
                "An organisation needs at least one administrator. Name another one first."
            )
        )
    audit_record(
        action=SecurityAction.MEMBERSHIP_REMOVED,
        actor=by,
        target=membership.organisation,
        details=membership.user.email,
    )
    membership.delete()


@transaction.atomic
def signature_submit(
    *,
    organisation: Organisation,
    by: User,
    role: str,
    signatory_name: str,
    signatory_title: str,
    pact_text: PactText | None = None,
) -> Signature:
    """Sign the Pact for an organisation in one role; it waits for the secretariat."""
    if not is_organisation_admin(by, organisation):
        raise PermissionDenied
    pact_text = pact_text or current_pact_text()
    if pact_text is None:
        raise ValidationError(_("The Pact text is not published yet."))
    if Signature.objects.filter(
        organisation=organisation,
        role=role,
        status__in=[SignatureStatus.PENDING, SignatureStatus.APPROVED],
    ).exists():
        raise ValidationError(
            {
                "role": _(
                    "Your organisation has already signed, or asked to sign, in this role."
                )
            }
        )
    try:
        with transaction.atomic():
            return Signature.objects.create(
                organisation=organisation,
                role=role,
                signatory_name=signatory_name.strip(),
                signatory_title=signatory_title.strip(),
                pact_text=pact_text,
                submitted_by=by,
            )
    except IntegrityError:  # two people signing at the same moment
        raise ValidationError(
            {
                "role": _(
                    "Your organisation has already signed, or asked to sign, in this role."
                )
            }
        ) from None


@transaction.atomic
def signature_approve(*, signature: Signature, by: User) -> Signature:
    """Approve a pending signature and tell the organisation's administrators."""
    transaction.on_commit(figures_changed)
    if not is_secretariat(by):
        raise PermissionDenied
    lock_and_reload(signature, "status")
    try:
        signature.approve(by=by)
    except SignatureStateError:
        raise ValidationError(
            _("Only a signature that waits for approval can be approved.")
        ) from None
    audit_record(
        action=SecurityAction.SIGNATURE_APPROVED,
        actor=by,
        target=signature.organisation,
        details=signature.get_role_display(),
    )
    transaction.on_commit(
        lambda: notify_signature_decided.enqueue(signature_id=signature.pk)
    )
    return signature


@transaction.atomic
def signature_refuse(*, signature: Signature, by: User, reason: str) -> Signature:
    """Refuse a pending signature with a reason the organisation is told."""
    transaction.on_commit(figures_changed)
    if not is_secretariat(by):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the signature is refused.")})
    lock_and_reload(signature, "status")
    try:
        signature.refuse(by=by, reason=reason)
    except SignatureStateError:
        raise ValidationError(
            _("Only a signature that waits for approval can be refused.")
        ) from None
    audit_record(
        action=SecurityAction.SIGNATURE_REFUSED,
        actor=by,
        target=signature.organisation,
        details=reason,
    )
    transaction.on_commit(
        lambda: notify_signature_decided.enqueue(signature_id=signature.pk)
    )
    return signature


@transaction.atomic
def signature_withdraw(*, signature: Signature, by: User) -> Signature:
    """The organisation withdraws its signature (or its request to sign)."""
    transaction.on_commit(figures_changed)
    if not (is_organisation_admin(by, signature.organisation) or is_secretariat(by)):
        raise PermissionDenied
    lock_and_reload(signature, "status")
    try:
        signature.withdraw()
    except SignatureStateError:
        raise ValidationError(_("This signature can no longer be withdrawn.")) from None
    return signature
