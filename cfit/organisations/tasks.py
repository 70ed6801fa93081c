"""Emails about organisations and signatures, sent in the background."""

from django.tasks import task
from django.urls import reverse

from cfit.lib.mail import send_templated_mail

from .models import Membership, MembershipRole, MembershipStatus, Signature


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
    signature = Signature.objects.select_related("organisation").get(pk=signature_id)
    _send(
        "signature_decided",
        {
            "signature": signature,
            "url": reverse(
                "organisations:detail", kwargs={"slug": signature.organisation.slug}
            ),
        },
        _admin_emails(signature.organisation_id),
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
