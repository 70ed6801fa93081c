"""Who may see and do what with examples, news and events; search; the next events.

Everything a person may see goes through `examples_visible_to`, `news_visible_to` and
`events_visible_to`: lists, search, the criterion and buyer group pages and the feeds.
"""

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.utils import timezone

from cfit.groups.models import BuyerGroup
from cfit.groups.selectors import (
    coordinates_organisation,
    groups_coordinated_by,
    groups_of,
    is_signatory_person,
)
from cfit.impact.selectors import ImpactResult, impact_by
from cfit.lib.translations import reader_language
from cfit.monitoring.models import PurchaseLine
from cfit.monitoring.selectors import report_access
from cfit.organisations.models import Organisation
from cfit.organisations.selectors import (
    AnyUser,
    is_organisation_member,
    is_secretariat,
    organisation_for_user,
)

from .documents import search_words
from .models import (
    LANGUAGE_SEARCH_CONFIGS,
    PUBLISHABLE_EFFECTS,
    Audience,
    Event,
    EventQuerySet,
    EventRegistration,
    ExampleStatus,
    GoodExample,
    NewsItem,
    RegistrationStatus,
    Visibility,
)

# Who is who ---------------------------------------------------------------------------


def is_pact_member(user: AnyUser) -> bool:
    """Someone of a signatory organisation, or the secretariat: reads members-only pages."""
    return is_secretariat(user) or is_signatory_person(user)


def can_write_example(user: AnyUser) -> bool:
    """People of a signatory organisation share examples for it."""
    return is_signatory_person(user)


def can_review_example(user: AnyUser, example: GoodExample) -> bool:
    """The secretariat, or a coordinator of a buyer group the author's organisation is in."""
    return is_secretariat(user) or bool(
        user.is_authenticated and coordinates_organisation(user, example.organisation)
    )


def can_withdraw_example(user: AnyUser, example: GoodExample) -> bool:
    """Its organisation (or the secretariat) takes it back to draft to change it."""
    return example.status != ExampleStatus.DRAFT and (
        is_organisation_member(user, example.organisation) or is_secretariat(user)
    )


def can_edit_example(user: AnyUser, example: GoodExample) -> bool:
    """People of the example's organisation, while it is a draft."""
    return example.status == ExampleStatus.DRAFT and is_organisation_member(
        user, example.organisation
    )


def can_see_example(user: AnyUser, example: GoodExample) -> bool:
    if example.status == ExampleStatus.PUBLISHED:
        return example.visibility == Visibility.PUBLIC or is_pact_member(user)
    return is_organisation_member(user, example.organisation) or can_review_example(
        user, example
    )


def examples_visible_to(user: AnyUser) -> QuerySet[GoodExample]:
    """Published examples the person may read: public ones, and members-only for members."""
    examples = GoodExample.objects.published()
    if not is_pact_member(user):
        examples = examples.filter(visibility=Visibility.PUBLIC)
    return examples


def examples_to_review(user: AnyUser) -> QuerySet[GoodExample]:
    examples = GoodExample.objects.filter(status=ExampleStatus.IN_REVIEW)
    if is_secretariat(user):
        return examples
    coordinated = groups_coordinated_by(user)
    return examples.filter(
        organisation__group_memberships__group__in=coordinated,
        organisation__group_memberships__status="active",
    ).distinct()


def examples_of_organisation(
    organisation: Organisation | None,
) -> QuerySet[GoodExample]:
    if organisation is None:
        return GoodExample.objects.none()
    return GoodExample.objects.filter(organisation=organisation).order_by("-updated_at")


def group_examples(user: AnyUser, group: BuyerGroup) -> QuerySet[GoodExample]:
    """Published examples of the group's member organisations that the person may read."""
    from cfit.groups.selectors import member_organisations_of

    return examples_visible_to(user).filter(
        organisation__in=member_organisations_of(group)
    )


def criterion_examples(user: AnyUser, criterion: Any) -> QuerySet[GoodExample]:
    """Published examples that used any version of the criterion, for its page."""
    return (
        examples_visible_to(user)
        .filter(criteria_used__version__criterion=criterion)
        .distinct()
    )


# Search -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExampleFilters:
    """What the search page was asked, as read from the URL by the filter form."""

    q: str = ""
    product_group: str = ""
    criterion: str = ""
    level: str = ""
    country: str = ""
    language: str = ""
    year: int | None = None
    condition: str = ""
    procedure: str = ""


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _text_search(examples: QuerySet[GoodExample], q: str) -> QuerySet[GoodExample]:
    """Examples matching every word of `q`, best first.

    PostgreSQL: full-text search, each example with the configuration of its language
    (stemming, so "batteries" finds "battery"), ranked by SearchRank.
    SQLite: every word must appear as a whole word; a match in the title ranks first.
    For one word in the form it is written, both give the same examples.
    """
    if _is_postgresql():
        from django.contrib.postgres.search import SearchQuery, SearchRank

        # One branch per configuration, each with a constant query, so that the GIN
        # index on the stored vectors serves every branch.
        matches = Q()
        for config in sorted(set(LANGUAGE_SEARCH_CONFIGS.values()) | {"simple"}):
            codes = [c for c, name in LANGUAGE_SEARCH_CONFIGS.items() if name == config]
            language = (
                Q(language__in=codes)
                if config != "simple"
                else (
                    Q(language__in=codes)
                    | ~Q(language__in=list(LANGUAGE_SEARCH_CONFIGS))
                )
            )
            matches |= language & Q(search_vector=SearchQuery(q, config=config))
        # Translations are parsed in their own language: the reader's words too.
        reader_config = LANGUAGE_SEARCH_CONFIGS.get(reader_language(), "simple")
        matches |= Q(search_vector=SearchQuery(q, config=reader_config))
        config_of_row = Case(
            *[
                When(language=code, then=Value(name))
                for code, name in LANGUAGE_SEARCH_CONFIGS.items()
            ],
            default=Value("simple"),
        )
        rank = SearchRank(F("search_vector"), SearchQuery(q, config=config_of_row))
        return (
            examples.filter(matches)
            .annotate(rank=rank)
            .order_by("-rank", "-published_at")
        )
    words = search_words(q).split()
    for word in words:
        examples = examples.filter(search_document__contains=f" {word} ")
    title_match = Q()
    for word in words:
        title_match &= Q(title__icontains=word)
    return examples.annotate(
        rank=Case(
            When(title_match, then=Value(1.0)),
            default=Value(0.5),
            output_field=FloatField(),
        )
    ).order_by("-rank", "-published_at")


def search_examples(user: AnyUser, filters: ExampleFilters) -> QuerySet[GoodExample]:
    """The examples the person may read that match the words and every filter."""
    examples = examples_visible_to(user)
    if filters.product_group:
        examples = examples.filter(product_groups__code=filters.product_group)
    if filters.criterion:
        examples = examples.filter(
            criteria_used__version__criterion__code=filters.criterion
        )
    if filters.level:
        examples = examples.filter(criteria_used__version__level=filters.level)
    if filters.country:
        examples = examples.filter(organisation__country=filters.country)
    if filters.language:
        examples = examples.filter(language=filters.language)
    if filters.year:
        examples = examples.filter(year=filters.year)
    if filters.condition:
        examples = examples.filter(condition=filters.condition)
    if filters.procedure:
        examples = examples.filter(procedure=filters.procedure)
    # The joins above can repeat a row; keep one of each before ranking.
    examples = GoodExample.objects.filter(pk__in=examples.values("pk"))
    examples = examples.select_related("organisation").prefetch_related(
        "product_groups"
    )
    if filters.q.strip():
        return _text_search(examples, filters.q.strip())
    return examples.order_by("-published_at", "-pk")


# Effects ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicEffect:
    label: str
    unit: str
    value: float


def example_impact(example: GoodExample) -> ImpactResult:
    """The computed effects of the purchase lines the example is linked to."""
    lines = PurchaseLine.objects.filter(good_examples=example)
    return impact_by(lines, keys=["product_group", "condition"])


def can_see_example_lines(user: AnyUser, example: GoodExample) -> bool:
    """The lines behind the effects: the organisation, its coordinators, the secretariat."""
    return report_access(user, example.organisation).can_see


def public_effects(example: GoodExample, impact: ImpactResult) -> list[PublicEffect]:
    """Only the totals the author chose to show to everyone."""
    if impact.is_empty:
        return []
    shown = []
    for key in example.published_effects:
        if key not in PUBLISHABLE_EFFECTS:
            continue
        label, unit = PUBLISHABLE_EFFECTS[key]
        value = (
            float(impact.total.devices)
            if key == "devices"
            else float(getattr(impact.total.saving, key))
        )
        shown.append(PublicEffect(label=str(label), unit=unit, value=value))
    return shown


def linkable_lines(organisation: Organisation) -> QuerySet[PurchaseLine]:
    """Lines of the organisation's submitted or accepted reports, to link to an example."""
    return (
        PurchaseLine.objects.filter(
            report__organisation=organisation,
            report__status__in=["submitted", "accepted"],
        )
        .select_related("report", "product_group")
        .order_by("-report__year", "pk")
    )


# News and events ----------------------------------------------------------------------


def _audience_filter(user: AnyUser) -> Q:
    if is_secretariat(user):
        return Q()
    visible = Q(audience=Audience.PUBLIC)
    if is_pact_member(user):
        visible |= Q(audience=Audience.MEMBERS)
    organisation = organisation_for_user(user)
    groups = (
        list(groups_of(organisation).values_list("pk", flat=True))
        if organisation
        else []
    )
    groups += list(groups_coordinated_by(user).values_list("pk", flat=True))
    if groups:
        visible |= Q(audience=Audience.GROUP, group__in=groups)
    return visible


def news_visible_to(user: AnyUser) -> QuerySet[NewsItem]:
    return NewsItem.objects.filter(_audience_filter(user)).filter(
        published_at__lte=timezone.now()
    )


def events_visible_to(user: AnyUser) -> EventQuerySet:
    return Event.objects.filter(_audience_filter(user))


def can_see_audience(user: AnyUser, item: NewsItem | Event) -> bool:
    return type(item).objects.filter(pk=item.pk).filter(_audience_filter(user)).exists()


def next_events(user: AnyUser, *, limit: int = 3) -> list[Event]:
    """The next events the person may see, for the home page."""
    return list(events_visible_to(user).upcoming().order_by("starts_at")[:limit])


def can_translate_item(user: AnyUser, item: GoodExample | NewsItem | Event) -> bool:
    """Who may add a translation: the example's organisation, the news item's author,
    the event's organiser, and the secretariat."""
    if not user.is_authenticated:
        return False
    if is_secretariat(user):
        return True
    if isinstance(item, GoodExample):
        return is_organisation_member(user, item.organisation)
    if isinstance(item, NewsItem):
        return item.author_id == user.pk
    return item.organiser_id == user.pk


def can_post_news_and_events(user: AnyUser) -> bool:
    """The secretariat and the coordinators of buyer groups."""
    return is_secretariat(user) or groups_coordinated_by(user).exists()


def groups_for_poster(user: AnyUser) -> QuerySet[BuyerGroup]:
    """The groups a person may address news or an event to."""
    if is_secretariat(user):
        return BuyerGroup.objects.all()
    return groups_coordinated_by(user)


@dataclass(frozen=True)
class EventPlaces:
    registered: int
    waiting: int
    left: int | None  # None: no limit

    @property
    def is_full(self) -> bool:
        return self.left is not None and self.left <= 0


def event_places(event: Event) -> EventPlaces:
    registrations = event.registrations.exclude(status=RegistrationStatus.CANCELLED)
    registered = registrations.filter(status=RegistrationStatus.REGISTERED).count()
    waiting = registrations.filter(status=RegistrationStatus.WAITING).count()
    left = None if event.capacity is None else max(0, event.capacity - registered)
    return EventPlaces(registered=registered, waiting=waiting, left=left)


def registration_of(user: AnyUser, event: Event) -> EventRegistration | None:
    if not user.is_authenticated:
        return None
    return (
        event.registrations.filter(user_id=user.pk)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )


def waiting_position(registration: EventRegistration) -> int:
    """1 for the first person on the waiting list."""
    return (
        EventRegistration.objects.filter(
            event_id=registration.event_id,
            status=RegistrationStatus.WAITING,
            created_at__lte=registration.created_at,
        )
        .exclude(pk__gt=registration.pk, created_at=registration.created_at)
        .count()
    )
