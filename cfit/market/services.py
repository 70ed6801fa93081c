"""Writes about market parties, statements of demand, the tender calendar and the roadmap.

Consultations have their own module, cfit.market.consultations.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cfit.accounts.models import User
from cfit.criteria.models import Criterion, ProductGroup
from cfit.groups.models import BuyerGroup, WorkingGroup
from cfit.groups.services import notify as notify_people
from cfit.groups.services import people_of, secretariat_people
from cfit.lib.translations import translation_store
from cfit.monitoring.models import DemandForecast
from cfit.organisations.models import MembershipRole, MembershipStatus
from cfit.organisations.selectors import (
    is_organisation_admin,
    is_secretariat,
    membership_for_user,
    organisation_for_user,
)

from . import selectors
from .models import (
    CalendarEntry,
    Endorsement,
    MarketConsultation,
    MarketParty,
    MarketPartyMembership,
    MarketPartyStatus,
    Milestone,
    Pledge,
    StatementOfDemand,
    StatementStatus,
    TenderInterest,
)


def _unique_slug(model: type[MarketParty] | type[StatementOfDemand], text: str) -> str:
    base = slugify(text)[:200] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _forget_cached_membership(user: User) -> None:
    if hasattr(user, "_cfit_market_membership"):
        del user._cfit_market_membership


def party_people(party: MarketParty, *, admins_only: bool = False) -> list[User]:
    memberships = party.memberships.filter(status=MembershipStatus.ACTIVE)
    if admins_only:
        memberships = memberships.filter(role=MembershipRole.ADMIN)
    return [m.user for m in memberships.select_related("user")]


def _refuse_if_taken(by: User) -> None:
    """A person speaks either for a buyer or for the market, and for one party at a time."""
    if membership_for_user(by):
        raise ValidationError(
            _(
                "You belong to an organisation of the Pact. A market party needs its own "
                "account, so that buyers' data and the market's answers stay apart."
            )
        )
    if selectors.market_membership_for_user(by):
        raise ValidationError(_("You already belong to a market party."))


# Market parties ------------------------------------------------------------------


@transaction.atomic
def market_party_register(
    *,
    by: User,
    name: str,
    country: str,
    kind: str,
    website: str = "",
    product_groups: Iterable[ProductGroup] = (),
    is_demo: bool = False,
) -> MarketParty:
    """Register a market party; its registrant becomes its administrator and the
    secretariat is asked to verify it."""
    _refuse_if_taken(by)
    name = " ".join(name.split())
    if MarketParty.objects.filter(name__iexact=name, country=country).exists():
        raise ValidationError(
            {"name": _("A market party with this name is already registered here.")}
        )
    party = MarketParty.objects.create(
        name=name,
        slug=_unique_slug(MarketParty, f"{name}-{country}"),
        country=country,
        kind=kind,
        website=website,
        is_demo=is_demo,
    )
    party.product_groups.set(list(product_groups))
    MarketPartyMembership.objects.filter(
        user=by, status=MembershipStatus.REQUESTED
    ).delete()
    MarketPartyMembership.objects.create(
        party=party,
        user=by,
        role=MembershipRole.ADMIN,
        status=MembershipStatus.ACTIVE,
        decided_at=timezone.now(),
    )
    _forget_cached_membership(by)
    url = reverse("market:party-review")
    transaction.on_commit(
        lambda: notify_people(
            recipients=secretariat_people(),
            kind="market_party.registered",
            text=_("%(name)s asks to take part as a market party.") % {"name": name},
            url=url,
        )
    )
    return party


@transaction.atomic
def market_party_decide(
    *, party: MarketParty, by: User, verify: bool, reason: str = ""
) -> MarketParty:
    """The secretariat verifies a market party, or refuses it with a reason."""
    if not is_secretariat(by):
        raise PermissionDenied
    if party.status != MarketPartyStatus.PENDING:
        raise ValidationError(_("This market party has already been decided on."))
    if not verify and not reason.strip():
        raise ValidationError({"reason": _("Say why the market party is refused.")})
    party.status = MarketPartyStatus.VERIFIED if verify else MarketPartyStatus.REFUSED
    party.refusal_reason = "" if verify else reason.strip()
    party.decided_by = by
    party.decided_at = timezone.now()
    party.save()
    text = (
        _("%(name)s is verified: you can now answer market consultations.")
        if verify
        else _("%(name)s was not verified: %(reason)s")
    ) % {"name": party.name, "reason": party.refusal_reason}
    admins = party_people(party, admins_only=True)
    url = party.get_absolute_url()
    transaction.on_commit(
        lambda: notify_people(
            recipients=admins,
            kind="market_party.decided",
            text=text,
            url=url,
            email_template="email/notice",
        )
    )
    return party


@transaction.atomic
def party_membership_request(
    *, party: MarketParty, by: User, message: str = ""
) -> MarketPartyMembership:
    """Ask to join a market party; its administrators are told."""
    _refuse_if_taken(by)
    if MarketPartyMembership.objects.filter(
        user=by, status=MembershipStatus.REQUESTED
    ).exists():
        raise ValidationError(
            _(
                "You have already asked to join a market party. Wait for an answer first."
            )
        )
    membership = MarketPartyMembership.objects.create(
        party=party, user=by, message=message.strip()
    )
    admins = party_people(party, admins_only=True)
    url = reverse("market:party-members", kwargs={"slug": party.slug})
    text = _("%(person)s asks to join %(party)s.") % {
        "person": by.display_name,
        "party": party.name,
    }
    transaction.on_commit(
        lambda: notify_people(
            recipients=admins,
            kind="market_party.join_request",
            text=text,
            url=url,
            email_template="email/notice",
        )
    )
    return membership


@transaction.atomic
def party_membership_decide(
    *, membership: MarketPartyMembership, by: User, accept: bool
) -> MarketPartyMembership:
    """An administrator of the party accepts or declines a request to join."""
    if not selectors.is_party_admin(by, membership.party):
        raise PermissionDenied
    if membership.status != MembershipStatus.REQUESTED:
        raise ValidationError(_("This request has already been answered."))
    if accept and (
        membership_for_user(membership.user)
        or MarketPartyMembership.objects.filter(
            user=membership.user, status=MembershipStatus.ACTIVE
        ).exists()
    ):
        raise ValidationError(
            _("This person has meanwhile joined another organisation or market party.")
        )
    membership.status = MembershipStatus.ACTIVE if accept else MembershipStatus.DECLINED
    membership.decided_by = by
    membership.decided_at = timezone.now()
    membership.save()
    text = (
        _("You are now a member of %(party)s.")
        if accept
        else _("Your request to join %(party)s was declined.")
    ) % {"party": membership.party.name}
    person = membership.user
    transaction.on_commit(
        lambda: notify_people(
            recipients=[person],
            kind="market_party.join_decided",
            text=text,
            url=reverse("accounts:home"),
            email_template="email/notice",
        )
    )
    return membership


def _other_admins(membership: MarketPartyMembership) -> int:
    return (
        MarketPartyMembership.objects.filter(
            party=membership.party,
            status=MembershipStatus.ACTIVE,
            role=MembershipRole.ADMIN,
        )
        .exclude(pk=membership.pk)
        .count()
    )


@transaction.atomic
def party_membership_set_role(
    *, membership: MarketPartyMembership, by: User, role: str
) -> MarketPartyMembership:
    """Make a member an administrator or back; a party keeps at least one."""
    if not selectors.is_party_admin(by, membership.party):
        raise PermissionDenied
    if membership.status != MembershipStatus.ACTIVE or role not in MembershipRole:
        raise ValidationError(_("Only members can be given a role."))
    if role != MembershipRole.ADMIN and _other_admins(membership) == 0:
        raise ValidationError(_("A market party needs at least one administrator."))
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def party_membership_remove(*, membership: MarketPartyMembership, by: User) -> None:
    """Remove a member (an administrator), or leave (the member themself)."""
    if not (
        by.pk == membership.user_id or selectors.is_party_admin(by, membership.party)
    ):
        raise PermissionDenied
    if membership.role == MembershipRole.ADMIN and _other_admins(membership) == 0:
        raise ValidationError(
            _(
                "A market party needs at least one administrator. Name another one first."
            )
        )
    membership.delete()
    _forget_cached_membership(by)


# Statements of demand --------------------------------------------------------------


def _check_drafter(
    by: User, group: BuyerGroup | None, working_group: WorkingGroup | None
) -> None:
    if group is None and working_group is None and not is_secretariat(by):
        raise ValidationError(
            _("Choose the buyer group or working group that drafts it.")
        )
    if group is not None and group not in selectors.organiser_groups_for(by):
        raise PermissionDenied
    if (
        working_group is not None
        and working_group not in selectors.organiser_working_groups_for(by)
    ):
        raise PermissionDenied


@transaction.atomic
def statement_save(
    *,
    by: User,
    statement: StatementOfDemand | None = None,
    title: str,
    text: str,
    from_year: int,
    level: str,
    criteria: Iterable[Criterion],
    product_groups: Iterable[ProductGroup],
    drafted_by_group: BuyerGroup | None = None,
    drafted_by_working_group: WorkingGroup | None = None,
    is_demo: bool = False,
    original_language: str = "en",
) -> StatementOfDemand:
    """Draft a statement of demand, or change a draft."""
    criteria, product_groups = list(criteria), list(product_groups)
    if statement is not None and not selectors.can_edit_statement(by, statement):
        raise PermissionDenied
    if statement is not None and statement.status != StatementStatus.DRAFT:
        raise ValidationError(_("A published statement no longer changes."))
    _check_drafter(by, drafted_by_group, drafted_by_working_group)
    if not criteria:
        raise ValidationError({"criteria": _("Name at least one criterion.")})
    if not product_groups:
        raise ValidationError(
            {"product_groups": _("Choose at least one product group.")}
        )
    if statement is None:
        statement = StatementOfDemand(
            slug=_unique_slug(StatementOfDemand, title), created_by=by, is_demo=is_demo
        )
    statement.title = " ".join(title.split())
    statement.text = text.strip()
    statement.from_year = from_year
    statement.level = level
    statement.original_language = original_language
    statement.drafted_by_group = drafted_by_group
    statement.drafted_by_working_group = drafted_by_working_group
    statement.save()
    statement.criteria.set(criteria)
    statement.product_groups.set(product_groups)
    return statement


@transaction.atomic
def statement_publish(*, statement: StatementOfDemand, by: User) -> StatementOfDemand:
    """Publish a statement: anyone can read it and organisations can endorse it."""
    if not selectors.can_edit_statement(by, statement):
        raise PermissionDenied
    if statement.status != StatementStatus.DRAFT:
        raise ValidationError(_("This statement is already published."))
    statement.status = StatementStatus.PUBLISHED
    statement.published_on = timezone.localdate()
    statement.save(update_fields=["status", "published_on"])
    return statement


@transaction.atomic
def statement_endorse(
    *,
    statement: StatementOfDemand,
    by: User,
    pledges: Mapping[ProductGroup, int | None],
    at: datetime | None = None,
) -> Endorsement:
    """An organisation's administrator endorses a statement, with optional pledges."""
    organisation = organisation_for_user(by)
    if organisation is None or not is_organisation_admin(by, organisation):
        raise PermissionDenied
    if statement.status != StatementStatus.PUBLISHED:
        raise ValidationError(_("Only a published statement can be endorsed."))
    allowed = set(statement.product_groups.all())
    for product_group, devices in pledges.items():
        if devices is None:
            continue
        if product_group not in allowed:
            raise ValidationError(_("Pledge only for the statement's product groups."))
        if not isinstance(devices, int) or isinstance(devices, bool) or devices < 0:
            raise ValidationError(
                _("A pledge is a whole number of devices, 0 or more.")
            )
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(
                statement=statement,
                organisation=organisation,
                endorsed_by=by,
                endorsed_at=at or timezone.now(),
            )
    except IntegrityError:
        raise ValidationError(
            _("Your organisation already endorses this statement.")
        ) from None
    Pledge.objects.bulk_create(
        [
            Pledge(endorsement=endorsement, product_group=group, devices_per_year=n)
            for group, n in pledges.items()
            if n is not None
        ]
    )
    return endorsement


@transaction.atomic
def endorsement_withdraw(*, endorsement: Endorsement, by: User) -> Endorsement:
    """Withdraw an endorsement; the row stays, so the statement's history shows it."""
    if not (is_organisation_admin(by, endorsement.organisation) or is_secretariat(by)):
        raise PermissionDenied
    if endorsement.withdrawn_at is not None:
        raise ValidationError(_("This endorsement is already withdrawn."))
    endorsement.withdrawn_at = timezone.now()
    endorsement.withdrawn_by = by
    endorsement.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return endorsement


# The tender calendar ------------------------------------------------------------------


@transaction.atomic
def calendar_entry_save(
    *,
    forecast: DemandForecast,
    by: User,
    open_to_joint_procurement: bool,
    aligned_criteria: bool,
    show_name: bool,
    note: str = "",
) -> CalendarEntry:
    """The owner of a planned tender opens it to other members, or closes it again."""
    if organisation_for_user(by) != forecast.organisation:
        raise PermissionDenied
    entry, _created = CalendarEntry.objects.get_or_create(forecast=forecast)
    entry.open_to_joint_procurement = open_to_joint_procurement
    entry.aligned_criteria = aligned_criteria
    entry.show_name = show_name
    entry.note = note.strip()
    entry.updated_at = timezone.now()
    entry.save()
    return entry


@transaction.atomic
def tender_interest_express(
    *, forecast: DemandForecast, by: User, message: str = ""
) -> TenderInterest:
    """Another member tells the owner of an open tender that it is interested."""
    organisation = organisation_for_user(by)
    if organisation is None:
        raise PermissionDenied
    entry = getattr(forecast, "calendar_entry", None)
    if entry is None or not entry.is_open:
        raise ValidationError(_("This tender is not open to other members."))
    if forecast.organisation_id == organisation.pk:
        raise ValidationError(_("This is your own organisation's tender."))
    try:
        with transaction.atomic():
            interest = TenderInterest.objects.create(
                forecast=forecast, organisation=organisation, by=by, message=message
            )
    except IntegrityError:
        raise ValidationError(
            _("Your organisation has already expressed interest in this tender.")
        ) from None
    owners = people_of([forecast.organisation_id])
    text = _("%(organisation)s is interested in your planned tender %(title)s.") % {
        "organisation": organisation.name,
        "title": forecast.title,
    }
    url = reverse("market:calendar")
    transaction.on_commit(
        lambda: notify_people(
            recipients=owners,
            kind="tender.interest",
            text=text,
            url=url,
            email_template="email/notice",
        )
    )
    return interest


# The roadmap ------------------------------------------------------------------------


@transaction.atomic
def milestone_save(*, milestone: Milestone, by: User) -> Milestone:
    """Store a roadmap milestone (the secretariat keeps the roadmap)."""
    if not is_secretariat(by):
        raise PermissionDenied
    milestone.full_clean(exclude=["consultations", "criterion_versions", "statements"])
    milestone.save()
    return milestone


def market_translation_save(
    *,
    item: MarketConsultation | StatementOfDemand,
    language: str,
    texts: dict[str, str],
    by: User,
) -> None:
    """Store a translation of a consultation (by its organisers) or a statement of
    demand (by those who may edit it)."""
    if not selectors.can_translate_market_text(by, item):
        raise PermissionDenied
    translation_store(item, language, texts)
