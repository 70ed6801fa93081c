"""Reads about organisations, memberships and signatures, and who may do what."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from cfit.accounts.models import User
from cfit.accounts.standing import remembered
from cfit.dashboards.caching import cached
from cfit.lib.countries import country_name

from .models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    PactText,
    Signature,
    SignatureRole,
    SignatureStatus,
)

AnyUser = User | AnonymousUser


def membership_for_user(user: AnyUser) -> Membership | None:
    """The person's active membership, or None. A person acts for one organisation."""
    if not user.is_authenticated:
        return None
    # Asked on every page (layout, access checks): kept with the person's standing.
    return remembered(
        user,
        "membership",
        lambda: (
            Membership.objects.select_related("organisation")
            .filter(user=user, status=MembershipStatus.ACTIVE)
            .first()
        ),
    )


def organisation_for_user(user: AnyUser) -> Organisation | None:
    membership = membership_for_user(user)
    return membership.organisation if membership else None


def is_secretariat(user: AnyUser) -> bool:
    """Who is the Pact's secretariat: the one check, used by every page and service."""
    if not user.is_authenticated:
        return False
    # Asked on every page (the second factor's rule): kept with the person's standing.
    return remembered(
        user, "secretariat", lambda: user.has_perm("organisations.review_signature")
    )


def require_secretariat(user: AnyUser) -> None:
    """Raise 404 (as for anything a person may not see) unless `user` is secretariat."""
    if not is_secretariat(user):
        raise Http404


def is_organisation_admin(user: AnyUser, organisation: Organisation) -> bool:
    membership = membership_for_user(user)
    return bool(
        membership
        and membership.organisation_id == organisation.pk
        and membership.role == MembershipRole.ADMIN
    )


def is_organisation_member(user: AnyUser, organisation: Organisation) -> bool:
    membership = membership_for_user(user)
    return bool(membership and membership.organisation_id == organisation.pk)


def can_edit_organisation(user: AnyUser, organisation: Organisation) -> bool:
    return is_organisation_admin(user, organisation) or is_secretariat(user)


def has_open_request(user: AnyUser) -> Membership | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("organisation")
        .filter(user=user, status=MembershipStatus.REQUESTED)
        .first()
    )


def current_pact_text() -> PactText | None:
    return PactText.objects.filter(is_current=True).first()


def signatories(
    *, country: str = "", role: str = "", kind: str = ""
) -> QuerySet[Signature]:
    """Approved signatures, the only ones the public sees, filtered as asked."""
    signatures = Signature.objects.approved().select_related("organisation")
    if country:
        signatures = signatures.filter(organisation__country=country)
    if role:
        signatures = signatures.filter(role=role)
    if kind:
        signatures = signatures.filter(organisation__kind=kind)
    return signatures.order_by("organisation__name", "role")


@dataclass(frozen=True)
class CountryCount:
    country: str
    name: str
    organisations: int
    procuring: int
    coordinating: int


def signatory_counts_by_country() -> list[CountryCount]:
    """How many organisations have signed, per country, most first."""
    rows = (
        Signature.objects.approved()
        .values("organisation__country")
        .annotate(
            organisations=Count("organisation", distinct=True),
            procuring=Count(
                "organisation", distinct=True, filter=Q(role=SignatureRole.PROCURING)
            ),
            coordinating=Count(
                "organisation",
                distinct=True,
                filter=Q(role=SignatureRole.COORDINATING),
            ),
        )
    )
    counts = [
        CountryCount(
            country=row["organisation__country"],
            name=country_name(row["organisation__country"]),
            organisations=row["organisations"],
            procuring=row["procuring"],
            coordinating=row["coordinating"],
        )
        for row in rows
    ]
    return sorted(counts, key=lambda c: (-c.organisations, c.name))


@dataclass(frozen=True)
class PactSummary:
    organisations: int
    countries: int
    procuring: int
    coordinating: int


def pact_summary() -> PactSummary:
    approved = Signature.objects.approved()
    return PactSummary(
        organisations=approved.values("organisation").distinct().count(),
        countries=approved.values("organisation__country").distinct().count(),
        procuring=approved.filter(role=SignatureRole.PROCURING).count(),
        coordinating=approved.filter(role=SignatureRole.COORDINATING).count(),
    )


def public_signatory_figures(
    *, fingerprint: str = ""
) -> tuple[PactSummary, list[CountryCount]]:
    """The Pact summary and the counts per country, as the home page and the public
    dashboard show them: read once per change of the Pact's data (its fingerprint moves
    with every signature decided and every organisation edited). Pass the
    `fingerprint` when the request has read it already."""
    return cached(
        "signatories",
        "all",
        lambda: (pact_summary(), signatory_counts_by_country()),
        fingerprint=fingerprint,
    )


def pending_signatures() -> QuerySet[Signature]:
    return (
        Signature.objects.pending()
        .select_related("organisation", "submitted_by", "pact_text")
        .order_by("submitted_at")
    )


def organisations_with_approved_role(role: str) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        signatures__role=role, signatures__status=SignatureStatus.APPROVED
    ).distinct()


def roles_to_sign(organisation: Organisation) -> list[str]:
    """The roles the organisation can still sign in: none pending or approved in it."""
    taken = set(
        organisation.signatures.filter(
            status__in=[SignatureStatus.PENDING, SignatureStatus.APPROVED]
        ).values_list("role", flat=True)
    )
    return [role for role in SignatureRole.values if role not in taken]
