"""Emails about organisations and signatures, sent in the background."""

from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext_lazy

from cfit.accounts.models import User
from cfit.groups.services import notify
from cfit.lib.mail import send_templated_mail

from .models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Signature,
    SignatureRole,
    SignatureStatus,
)


def _admin_emails(organisation_id: int) -> list[str]:
    return list(
        Membership.objects.filter(
            organisation_id=organisation_id,
            status=MembershipStatus.ACTIVE,
            role=MembershipRole.ADMIN,
        ).values_list("user__email", flat=True)
    )


def _send(template: str, context: dict[str, object], to: list[str]) -> None:
    send_templated_mail("organisations/email/" + template, context, to)


@task()
def notify_signature_decided(*, signature_id: int) -> None:
    """Tell the organisation's administrators the decision, and what comes next."""
    signature = Signature.objects.select_related("organisation").get(pk=signature_id)
    organisation = signature.organisation
    if signature.status == SignatureStatus.APPROVED:
        text = gettext_lazy(
            "The signature of %(organisation)s as %(role)s is approved. Welcome to the "
            "Pact! Next: join a buyer group."
        )
    else:
        text = gettext_lazy(
            "The signature of %(organisation)s as %(role)s was not approved."
        )
    notify(
        recipients=User.objects.filter(
            memberships__organisation=organisation,
            memberships__status=MembershipStatus.ACTIVE,
            memberships__role=MembershipRole.ADMIN,
        ),
        kind="signature.decided",
        # The role's name in the reader's language too.
        text=lambda: (
            text
            % {"organisation": organisation.name, "role": signature.get_role_display()}
        ),
        url=reverse("organisations:detail", kwargs={"slug": organisation.slug}),
        email_template="organisations/email/signature_decided",
        context={
            "signature": signature,
            "procuring": signature.role == SignatureRole.PROCURING,
            "first_year": signature.first_reporting_year,
            "groups_url": reverse("groups:list"),
        },
    )


@task()
def notify_join_request(*, membership_id: int) -> None:
    membership = Membership.objects.select_related("organisation", "user").get(
        pk=membership_id
    )
    _send(
        "join_request",
        {
            "membership": membership,
            "url": reverse(
                "organisations:members", kwargs={"slug": membership.organisation.slug}
            ),
        },
        _admin_emails(membership.organisation_id),
    )


@task()
def notify_membership_decided(*, membership_id: int) -> None:
    membership = Membership.objects.select_related("organisation", "user").get(
        pk=membership_id
    )
    _send(
        "membership_decided",
        {"membership": membership, "url": reverse("accounts:home")},
        [membership.user.email],
    )
