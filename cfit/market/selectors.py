"""Reads of the market side, and who may do what there.

A market party's people act for their party only: nothing here ever hands them an
organisation's own data. Figures built from monitoring data go through the publication
rule of cfit.dashboards.privacy.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cfit.criteria.models import Criterion
from cfit.dashboards.privacy import (
    MINIMUM_ORGANISATIONS,
    Cell,
    is_publishable,
    protect_cells,
)
from cfit.groups.models import BuyerGroup, WorkingGroup
from cfit.groups.selectors import is_working_group_member, manages_group
from cfit.lib.countries import country_name
from cfit.monitoring.models import DemandForecast, PurchaseLine
from cfit.organisations.models import MembershipRole, MembershipStatus
from cfit.organisations.selectors import (
    AnyUser,
    is_secretariat,
    organisation_for_user,
)

from .models import (
    Answer,
    ConsultationResponse,
    Endorsement,
    MarketConsultation,
    MarketParty,
    MarketPartyKind,
    MarketPartyMembership,
    QuestionKind,
    ResponseStatus,
    StatementOfDemand,
    StatementStatus,
    TenderInterest,
)

# Readiness per criterion is shown once this many market parties answered in closed
# consultations. The same anonymity rule as the Pact's public figures (one home:
# cfit.dashboards.privacy), applied to market parties instead of organisations: a
# count from fewer parties would point at one of them.
MINIMUM_READINESS_ANSWERS = MINIMUM_ORGANISATIONS


# Who is who --------------------------------------------------------------------------


def market_membership_for_user(user: AnyUser) -> MarketPartyMembership | None:
    """The person's active membership of a market party, or None (remembered per request)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_cfit_market_membership"):
        membership = (
            MarketPartyMembership.objects.select_related("party")
            .filter(user=user, status=MembershipStatus.ACTIVE)
            .first()
        )
        setattr(user, "_cfit_market_membership", membership)  # noqa: B010
    cached: MarketPartyMembership | None = getattr(user, "_cfit_market_membership")  # noqa: B009
    return cached


def party_for_user(user: AnyUser) -> MarketParty | None:
    membership = market_membership_for_user(user)
    return membership.party if membership else None


def verified_party_for_user(user: AnyUser) -> MarketParty | None:
    party = party_for_user(user)
    return party if party is not None and party.is_verified else None


def is_party_member(user: AnyUser, party: MarketParty) -> bool:
    membership = market_membership_for_user(user)
    return bool(membership and membership.party_id == party.pk)


def is_party_admin(user: AnyUser, party: MarketParty) -> bool:
    membership = market_membership_for_user(user)
    return bool(
        membership
        and membership.party_id == party.pk
        and membership.role == MembershipRole.ADMIN
    )


def open_party_request(user: AnyUser) -> MarketPartyMembership | None:
    if not user.is_authenticated:
        return None
    return (
        MarketPartyMembership.objects.select_related("party")
        .filter(user=user, status=MembershipStatus.REQUESTED)
        .first()
    )


def is_pact_member(user: AnyUser) -> bool:
    """A person of a registered organisation (a buyer), as opposed to the market."""
    return organisation_for_user(user) is not None


# Consultations -----------------------------------------------------------------------


def organiser_groups_for(user: AnyUser) -> QuerySet[BuyerGroup]:
    """Buyer groups for which the person may run a consultation."""
    if is_secretariat(user):
        return BuyerGroup.objects.all()
    organisation = organisation_for_user(user)
    if organisation is None:
        return BuyerGroup.objects.none()
    return BuyerGroup.objects.filter(coordinator=organisation)


def organiser_working_groups_for(user: AnyUser) -> QuerySet[WorkingGroup]:
    if is_secretariat(user):
        return WorkingGroup.objects.public()
    if not user.is_authenticated:
        return WorkingGroup.objects.none()
    return WorkingGroup.objects.public().filter(memberships__user_id=user.pk)


def can_run_consultations(user: AnyUser) -> bool:
    return (
        is_secretariat(user)
        or organiser_groups_for(user).exists()
        or organiser_working_groups_for(user).exists()
    )


def is_organiser(user: AnyUser, consultation: MarketConsultation) -> bool:
    """The secretariat, the buyer group's coordinator, the working group's members."""
    if not user.is_authenticated:
        return False
    if is_secretariat(user) or consultation.created_by_id == user.pk:
        return True
    group = consultation.organiser_group
    if group is not None and manages_group(user, group):
        return True
    working_group = consultation.organiser_working_group
    return working_group is not None and is_working_group_member(user, working_group)


def in_audience(party: MarketParty | None, consultation: MarketConsultation) -> bool:
    return bool(
        party is not None
        and party.is_verified
        and consultation.is_published
        and (
            not consultation.audience_kinds or party.kind in consultation.audience_kinds
        )
    )


def can_see_consultation(user: AnyUser, consultation: MarketConsultation) -> bool:
    """Organisers always; the audience once it is sent; everyone once a summary is out."""
    if consultation.summary_published_at is not None:
        return True
    return is_organiser(user, consultation) or in_audience(
        party_for_user(user), consultation
    )


def consultations_for_party(party: MarketParty) -> list[MarketConsultation]:
    """Consultations sent to the party that are open now or open soon."""
    now = timezone.now()
    found = MarketConsultation.objects.filter(is_published=True, closes_at__gt=now)
    return [c for c in found if in_audience(party, c)]


def consultations_run_by(user: AnyUser) -> list[MarketConsultation]:
    if not user.is_authenticated:
        return []
    found = MarketConsultation.objects.select_related(
        "organiser_group", "organiser_working_group"
    )
    if not is_secretariat(user):
        found = found.filter(
            Q(created_by_id=user.pk)
            | Q(organiser_group__in=organiser_groups_for(user))
            | Q(organiser_working_group__in=organiser_working_groups_for(user))
        )
    return list(found.distinct())


def published_summaries() -> QuerySet[MarketConsultation]:
    return MarketConsultation.objects.filter(
        summary_published_at__isnull=False
    ).order_by("-summary_published_at")


def response_of(
    party: MarketParty | None, consultation: MarketConsultation
) -> ConsultationResponse | None:
    if party is None:
        return None
    return ConsultationResponse.objects.filter(
        consultation=consultation, party=party
    ).first()


def submitted_responses(
    consultation: MarketConsultation,
) -> QuerySet[ConsultationResponse]:
    return consultation.responses.filter(
        status=ResponseStatus.SUBMITTED
    ).select_related("party")


def respondent_label(
    consultation: MarketConsultation, response: ConsultationResponse, number: int
) -> str:
    """A party's name where answers are attributed; else a number and its kind only."""
    if consultation.answers_attributed:
        return response.party.name
    return f"#{number} ({response.party.get_kind_display()})"


@dataclass(frozen=True)
class QuestionAnswers:
    question: object
    rows: list[tuple[str, Answer | None]]


def answers_side_by_side(
    consultation: MarketConsultation, *, attributed: bool
) -> list[QuestionAnswers]:
    """Per question, every submitted answer with who gave it (or a number when not)."""
    responses = list(submitted_responses(consultation))
    answers = {
        (a.response_id, a.question_id): a
        for a in Answer.objects.filter(response__in=responses).select_related(
            "question"
        )
    }
    labels = [
        response.party.name
        if attributed
        else respondent_label(consultation, response, number)
        for number, response in enumerate(responses, start=1)
    ]
    return [
        QuestionAnswers(
            question=question,
            rows=[
                (label, answers.get((response.pk, question.pk)))
                for label, response in zip(labels, responses, strict=True)
            ],
        )
        for question in consultation.questions.select_related("criterion")
    ]


# Market readiness per criterion ------------------------------------------------------


@dataclass(frozen=True)
class KindReadiness:
    label: str
    parties: int
    today: int
    later: int


@dataclass
class Readiness:
    parties: int
    today: int = 0
    by_year: list[tuple[int, int]] = field(default_factory=list)
    not_expected: int = 0
    by_kind: list[KindReadiness] = field(default_factory=list)

    @property
    def later(self) -> int:
        return sum(n for _year, n in self.by_year)


def criterion_readiness(criterion: Criterion) -> Readiness | None:
    """What market parties said about meeting the criterion, in closed consultations.

    None until at least MINIMUM_READINESS_ANSWERS parties answered. A party that answered
    several consultations counts once, with its latest answer.
    """
    answers = (
        Answer.objects.filter(
            question__kind=QuestionKind.CRITERION,
            question__criterion=criterion,
            response__status=ResponseStatus.SUBMITTED,
            response__consultation__is_published=True,
            response__consultation__closes_at__lte=timezone.now(),
        )
        .filter(Q(meets_today__isnull=False) | Q(expected_year__isnull=False))
        .select_related("response__party")
        .order_by("response__consultation__closes_at", "pk")
    )
    latest = {answer.response.party_id: answer for answer in answers}
    if not is_publishable(len(latest), minimum=MINIMUM_READINESS_ANSWERS):
        return None
    readiness = Readiness(parties=len(latest))
    years: Counter[int] = Counter()
    per_kind: dict[str, dict[str, int]] = defaultdict(Counter)
    for answer in latest.values():
        kind = per_kind[answer.response.party.kind]
        kind["parties"] += 1
        if answer.meets_today:
            readiness.today += 1
            kind["today"] += 1
        elif answer.expected_year:
            years[answer.expected_year] += 1
            kind["later"] += 1
        else:
            readiness.not_expected += 1
    readiness.by_year = sorted(years.items())
    readiness.by_kind = _kinds_shown(per_kind)
    return readiness


def _kinds_shown(per_kind: dict[str, dict[str, int]]) -> list[KindReadiness]:
    """Counts per kind of party, with kinds of too few parties merged (publication rule)."""
    labels = dict(MarketPartyKind.choices)
    cells = [
        Cell(
            group="all",
            key=kind,
            organisations=counts["parties"],
            values={
                "parties": counts["parties"],
                "today": counts["today"],
                "later": counts["later"],
            },
        )
        for kind, counts in sorted(per_kind.items())
    ]
    shown: list[KindReadiness] = []
    parties = sum(counts["parties"] for counts in per_kind.values())
    for group in protect_cells(
        cells,
        minimum=MINIMUM_READINESS_ANSWERS,
        group_organisations={"all": parties},
    ):
        for cell in group.shown:
            shown.append(
                KindReadiness(
                    label=str(labels[str(cell.key)]),
                    parties=int(cell.values["parties"]),
                    today=int(cell.values["today"]),
                    later=int(cell.values["later"]),
                )
            )
        if group.merged is not None:
            shown.append(
                KindReadiness(
                    label="",
                    parties=int(group.merged["parties"]),
                    today=int(group.merged["today"]),
                    later=int(group.merged["later"]),
                )
            )
    return shown


# Statements of demand ----------------------------------------------------------------


def can_draft_statements(user: AnyUser) -> bool:
    return can_run_consultations(user)


def can_edit_statement(user: AnyUser, statement: StatementOfDemand) -> bool:
    if is_secretariat(user) or (
        user.is_authenticated and statement.created_by_id == user.pk
    ):
        return True
    if statement.drafted_by_group and manages_group(user, statement.drafted_by_group):
        return True
    working_group = statement.drafted_by_working_group
    return working_group is not None and is_working_group_member(user, working_group)


def can_see_statement(user: AnyUser, statement: StatementOfDemand) -> bool:
    return statement.status == StatementStatus.PUBLISHED or can_edit_statement(
        user, statement
    )


@dataclass(frozen=True)
class PledgeTotal:
    product_group: str
    devices_per_year: int


def pledged_volume(statement: StatementOfDemand) -> list[PledgeTotal]:
    rows = (
        Endorsement.objects.active()
        .filter(statement=statement)
        .values("pledges__product_group__name")
        .annotate(total=Sum("pledges__devices_per_year"))
        .filter(total__isnull=False)
        .order_by("pledges__product_group__name")
    )
    return [
        PledgeTotal(
            product_group=row["pledges__product_group__name"],
            devices_per_year=row["total"],
        )
        for row in rows
    ]


def endorsers_reported_lines(statement: StatementOfDemand) -> QuerySet[PurchaseLine]:
    """The purchase lines that count for a statement: what its active endorsers reported,
    in counted reports of the years since the statement applies, of its product groups.

    Which reports count is PurchaseLine.objects.counted(), the rule of every figure.
    """
    endorsers = Endorsement.objects.active().filter(statement=statement)
    since = (
        statement.published_on.year if statement.published_on else statement.from_year
    )
    return PurchaseLine.objects.counted().filter(
        report__organisation__in=endorsers.values("organisation"),
        report__year__gte=since,
        product_group__in=statement.product_groups.all(),
    )


@dataclass(frozen=True)
class ReportedShare:
    organisations: int
    devices: int
    devices_meeting: int

    @property
    def publishable(self) -> bool:
        return is_publishable(self.organisations)

    @property
    def percent(self) -> Decimal:
        if not self.devices:
            return Decimal(0)
        return (Decimal(self.devices_meeting) * 100 / self.devices).quantize(
            Decimal("0.1")
        )


def reported_share(statement: StatementOfDemand) -> ReportedShare:
    """How many of the devices the endorsers reported were bought with every criterion
    the statement names."""
    lines = endorsers_reported_lines(statement)
    criterion_ids = list(statement.criteria.values_list("pk", flat=True))
    totals = lines.aggregate(
        devices=Sum("quantity"),
        organisations=Count("report__organisation", distinct=True),
    )
    meeting = (
        lines.annotate(
            named=Count("criteria", filter=Q(criteria__in=criterion_ids), distinct=True)
        )
        .filter(named=len(criterion_ids))
        .values("pk")
    )
    devices_meeting = (
        PurchaseLine.objects.filter(pk__in=meeting).aggregate(n=Sum("quantity"))["n"]
        if criterion_ids
        else 0
    )
    return ReportedShare(
        organisations=totals["organisations"] or 0,
        devices=totals["devices"] or 0,
        devices_meeting=devices_meeting or 0,
    )


# The tender calendar ------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarRow:
    year: int
    quarter: int | None
    product_group: str
    country: str
    level: str
    devices: int
    tenders: int
    names: list[str]

    @property
    def period(self) -> str:
        if not self.quarter:
            return str(self.year)
        # The same words as the calendar page: "Q2", "T2" in French and Spanish.
        return f"{self.year} " + _("Q%(quarter)s") % {"quarter": self.quarter}


def calendar_rows(*, from_year: int | None = None) -> list[CalendarRow]:
    """Planned tenders summed by quarter, product group, country and level.

    Names appear only for organisations that chose to show them.
    """
    forecasts = DemandForecast.objects.select_related(
        "organisation", "product_group", "calendar_entry"
    )
    if from_year:
        forecasts = forecasts.filter(year__gte=from_year)
    level_labels = dict(DemandForecast._meta.get_field("level").choices or [])
    cells: dict[tuple, dict] = {}
    for forecast in forecasts:
        key = (
            forecast.year,
            forecast.quarter or 0,
            forecast.product_group.sort_order,
            str(forecast.product_group),
            forecast.organisation.country,
            forecast.level,
        )
        cell = cells.setdefault(key, {"devices": 0, "tenders": 0, "names": set()})
        cell["devices"] += forecast.quantity
        cell["tenders"] += 1
        entry = getattr(forecast, "calendar_entry", None)
        if entry is not None and entry.show_name:
            cell["names"].add(forecast.organisation.name)
    return [
        CalendarRow(
            year=year,
            quarter=quarter or None,
            product_group=group,
            country=country_name(country),
            level=str(level_labels.get(level, level)),
            devices=cell["devices"],
            tenders=cell["tenders"],
            names=sorted(cell["names"]),
        )
        for (year, quarter, _order, group, country, level), cell in sorted(
            cells.items()
        )
    ]


def open_tenders(*, exclude_organisation_id: int | None = None) -> list[DemandForecast]:
    """Planned tenders their organisation opened to joint procurement or aligned criteria."""
    forecasts = (
        DemandForecast.objects.filter(
            Q(calendar_entry__open_to_joint_procurement=True)
            | Q(calendar_entry__aligned_criteria=True)
        )
        .select_related("organisation", "product_group", "calendar_entry")
        .order_by("year", "quarter", "title")
    )
    if exclude_organisation_id:
        forecasts = forecasts.exclude(organisation_id=exclude_organisation_id)
    return list(forecasts)


def own_tenders(organisation_id: int) -> list[DemandForecast]:
    return list(
        DemandForecast.objects.filter(organisation_id=organisation_id)
        .select_related("product_group", "calendar_entry")
        .prefetch_related("interests__organisation")
    )


def interested_forecast_ids(organisation_id: int, forecasts: Iterable[int]) -> set[int]:
    return set(
        TenderInterest.objects.filter(
            organisation_id=organisation_id, forecast_id__in=list(forecasts)
        ).values_list("forecast_id", flat=True)
    )


def can_translate_market_text(
    user: AnyUser, item: MarketConsultation | StatementOfDemand
) -> bool:
    """Organisers translate a consultation; its editors translate a statement."""
    if isinstance(item, MarketConsultation):
        return is_organiser(user, item)
    return can_edit_statement(user, item)
