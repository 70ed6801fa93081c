"""Reads about the criteria base, the tender builder and usage, and who may do what."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.db.models import Count, Prefetch, Q, QuerySet

from cfit.lib.translations import CONTENT_LANGUAGES
from cfit.organisations.models import Organisation
from cfit.organisations.selectors import AnyUser

from .caching import cached_with_base
from .models import (
    KIND_HEADINGS,
    KIND_ORDER,
    Criterion,
    CriterionKind,
    CriterionLevel,
    CriterionParameter,
    CriterionVersion,
    Ecolabel,
    TenderSelection,
    UsageEvent,
    VersionStatus,
    levels_up_to,
)
from .search import has_text_search, text_search_match


def can_draft(user: AnyUser) -> bool:
    """The secretariat, or a criteria working group member given the permission."""
    return bool(user.is_authenticated and user.has_perm("criteria.draft_criterion"))


def can_approve(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.has_perm("criteria.approve_criterion"))


def can_see_drafts(user: AnyUser) -> bool:
    return can_draft(user) or can_approve(user)


def can_see_usage(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.has_perm("criteria.view_criteria_usage"))


def _with_details(versions: QuerySet[CriterionVersion]) -> QuerySet[CriterionVersion]:
    return versions.select_related("criterion").prefetch_related(
        "product_groups",
        "ecolabels",
        "translations",
        "product_groups__translations",
        "ecolabels__translations",
        Prefetch(
            "parameters",
            queryset=CriterionParameter.objects.order_by(
                "sort_order", "pk"
            ).prefetch_related("translations"),
        ),
    )


def current_versions() -> QuerySet[CriterionVersion]:
    """The approved version of every criterion in the base, by code."""
    return _with_details(CriterionVersion.objects.approved()).order_by(
        "criterion__code"
    )


SEARCHED_FIELDS = [
    "title",
    "tender_text",
    "rationale",
    "verification",
    "criterion__code",
    "source_reference",
]


def search_versions(
    *,
    q: str = "",
    product_group: str = "",
    category: str = "",
    kind: str = "",
    level: str = "",
    source: str = "",
    ecolabel: str = "",
) -> QuerySet[CriterionVersion]:
    """Current criteria matching every word of the query and every filter chosen.

    Each word may appear in the code, title, tender text, rationale, verification or
    source reference. On PostgreSQL the texts are searched in every language they
    are written or translated in, with stemming (cfit.criteria.search); on SQLite
    each word must appear inside the original texts.
    """
    # Only what the list shows: the title in the reader's language and the groups.
    versions = (
        CriterionVersion.objects.approved()
        .select_related("criterion")
        .prefetch_related("product_groups", "translations")
        .order_by("criterion__code")
    )
    words = q.split()[:10]
    if words and has_text_search():
        versions = versions.filter(
            text_search_match(" ".join(words))
            | reduce(
                and_,
                (
                    Q(criterion__code__icontains=word)
                    | Q(source_reference__icontains=word)
                    for word in words
                ),
            )
        )
    elif words:
        versions = versions.filter(
            reduce(
                and_,
                (
                    reduce(
                        or_, (Q(**{f"{f}__icontains": word}) for f in SEARCHED_FIELDS)
                    )
                    for word in words
                ),
            )
        )
    if product_group:
        versions = versions.filter(product_groups__code=product_group)
    if category:
        versions = versions.filter(category=category)
    if kind:
        versions = versions.filter(kind=kind)
    if level:
        versions = versions.filter(level=level)
    if source:
        versions = versions.filter(source=source)
    if ecolabel:
        versions = versions.filter(ecolabels__code=ecolabel)
    return versions.distinct()


@dataclass
class KindGroup:
    kind: str
    label: str
    versions: list[CriterionVersion] = field(default_factory=list)


def grouped_by_kind(versions: Iterable[CriterionVersion]) -> list[KindGroup]:
    """Versions grouped in the order a tender is written: selection, specs, award, clauses."""
    groups = {
        kind: KindGroup(kind, str(KIND_HEADINGS[CriterionKind(kind)]))
        for kind in KIND_ORDER
    }
    for version in versions:
        groups[version.kind].versions.append(version)
    return [group for group in groups.values() if group.versions]


def base_versions(product_group_code: str) -> list[CriterionVersion]:
    """The common base of the Pact for a product group: its approved BASE criteria."""
    return list(
        current_versions().filter(
            level=CriterionLevel.BASE, product_groups__code=product_group_code
        )
    )


def base_criteria_by_group() -> dict[int, list[Criterion]]:
    """The published BASE criteria of each product group (by pk), in code order.

    Read on every report page (what a line misses to count as bought with the BASE
    criteria): cached until the criteria base changes.
    """

    def build() -> dict[int, list[Criterion]]:
        criteria = list(Criterion.objects.published().base().order_by("code"))
        groups_of: dict[int, list[int]] = {}
        # The links alone, so that only the criteria themselves are kept (pickled).
        links = Criterion.product_groups.through.objects.filter(
            criterion__in=[c.pk for c in criteria]
        ).values_list("criterion_id", "productgroup_id")
        for criterion_id, group_id in links:
            groups_of.setdefault(criterion_id, []).append(group_id)
        by_group: dict[int, list[Criterion]] = {}
        for criterion in criteria:
            for group_id in groups_of.get(criterion.pk, []):
                by_group.setdefault(group_id, []).append(criterion)
        return by_group

    return cached_with_base("base-by-group", [], build)


def builder_candidates(product_group_code: str) -> list[CriterionVersion]:
    """Every criterion the tender builder offers for a product group."""
    return list(current_versions().filter(product_groups__code=product_group_code))


def preselected_codes(
    versions: Iterable[CriterionVersion], *, level: str, refurbished_lot: bool
) -> set[str]:
    """What a tender at this level starts with: BASE, plus AMBITIOUS or FRONTRUNNER on top.

    The BASE criteria for refurbished lots only count when the tender buys refurbished devices.
    """
    levels = levels_up_to(level)
    return {
        v.criterion.code
        for v in versions
        if v.level in levels and (refurbished_lot or not v.refurbished_lots_only)
    }


def version_history(
    criterion: Criterion, *, include_pending: bool
) -> QuerySet[CriterionVersion]:
    versions = criterion.versions.select_related("approved_by", "drafted_by").order_by(
        "-number"
    )
    if include_pending:
        return versions
    return versions.filter(status__in=[VersionStatus.APPROVED, VersionStatus.RETIRED])


def pending_versions() -> QuerySet[CriterionVersion]:
    return (
        CriterionVersion.objects.pending()
        .select_related("criterion", "drafted_by")
        .order_by("status", "criterion__code")
    )


def selections_for(organisation: Organisation) -> QuerySet[TenderSelection]:
    return (
        TenderSelection.objects.filter(organisation=organisation)
        .select_related("product_group", "created_by")
        .annotate(criteria_count=Count("items"))
    )


@dataclass(frozen=True)
class UsageRow:
    code: str
    title: str
    level: str
    level_label: str
    saved: int
    exported: int
    organisations: int


def criteria_usage() -> list[UsageRow]:
    """How often each criterion was put into tenders, most used first."""
    rows = Criterion.objects.annotate(
        saved=Count("uses", filter=Q(uses__event=UsageEvent.SAVED)),
        exported=Count("uses", filter=Q(uses__event=UsageEvent.EXPORTED)),
        organisations=Count("uses__organisation", distinct=True),
    ).values("code", "title", "level", "saved", "exported", "organisations")
    usage = [
        UsageRow(
            code=row["code"],
            title=row["title"],
            level=row["level"],
            level_label=str(CriterionLevel(row["level"]).label),
            saved=row["saved"],
            exported=row["exported"],
            organisations=row["organisations"],
        )
        for row in rows
    ]
    return sorted(usage, key=lambda r: (-(r.saved + r.exported), r.code))


@dataclass
class EcolabelProof:
    ecolabel: Ecolabel
    versions: list[CriterionVersion]


def ecolabels_with_criteria() -> list[EcolabelProof]:
    """Each ecolabel with the current criteria it is accepted as proof for."""
    versions = list(current_versions())
    return [
        EcolabelProof(
            ecolabel=label,
            versions=[
                v for v in versions if any(e.pk == label.pk for e in v.ecolabels.all())
            ],
        )
        for label in Ecolabel.objects.prefetch_related("translations")
    ]


# Translations ---------------------------------------------------------------------------


@dataclass
class TranslationState:
    language: str
    state: str  # "original", "done", "to_check" or "missing"


@dataclass
class TranslationRow:
    version: CriterionVersion
    states: list[TranslationState]

    @property
    def missing(self) -> list[str]:
        return [
            s.language
            for s in self.states
            if s.state != "done" and s.state != "original"
        ]


def translation_overview(
    languages: Iterable[str] = CONTENT_LANGUAGES,
) -> list[TranslationRow]:
    """Every current criterion and, per language, whether its texts are translated."""
    rows = []
    for version in current_versions():
        by_language = {row.language_code: row for row in version.translations.all()}
        states = []
        for language in languages:
            row = by_language.get(language)
            if language == version.original_language:
                state = "original"
            elif row is None:
                state = "missing"
            elif row.needs_review:
                state = "to_check"
            else:
                state = "done"
            states.append(TranslationState(language, state))
        rows.append(TranslationRow(version, states))
    return rows


def exchange_versions(codes: Iterable[str] | None = None) -> QuerySet[CriterionVersion]:
    """The versions whose texts a translation file holds: the current ones."""
    versions = current_versions()
    if codes is not None:
        versions = versions.filter(criterion__code__in=list(codes))
    return versions
