"""Public endpoints: what any visitor of the site may read, in JSON.

Figures go through the dashboards' builder, so the publication rule (three
organisations per cell, from cfit.dashboards.privacy) applies exactly as on the pages.
"""

from typing import Any

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from cfit.criteria.models import (
    Criterion,
    CriterionLevel,
    CriterionVersion,
    Ecolabel,
    ProductGroup,
    VersionStatus,
)
from cfit.dashboards import effects as dashboard_effects
from cfit.dashboards.forms import FIRST_YEAR, LAST_YEAR, Filters
from cfit.dashboards.selectors import PACT
from cfit.groups.models import BuyerGroup, GroupMembershipStatus
from cfit.impact.models import FactorSet
from cfit.impact.selectors import current_factorset, factorset_history
from cfit.lib.countries import country_name
from cfit.lib.translations import CONTENT_LANGUAGES, translated
from cfit.organisations.selectors import signatories

from . import figures, ocds_out
from .pagination import DEFAULT_LIMIT, PageMeta, paginate
from .problems import Problem
from .schemas import (
    BuyerGroupOut,
    CriterionDetailOut,
    CriterionOut,
    EcolabelOut,
    FactorSetDetailOut,
    FactorSetOut,
    FiguresOut,
    MethodologyOut,
    ProblemOut,
    ProductGroupOut,
    SignatoryOut,
)

router = Router(tags=["Public"])


def _cpv(text: str) -> list[str]:
    return [code.strip() for code in text.split(",") if code.strip()]


def _language(lang: str) -> str:
    """The `lang` query parameter: one of the platform's languages, or '' for the
    originals. Texts come in that language where translated, else in their own, and
    each says which in its `language` field."""
    lang = lang.strip().lower()
    if lang and lang not in CONTENT_LANGUAGES:
        raise Problem(
            400,
            _("Unknown language: use one of %(languages)s.")
            % {"languages": ", ".join(CONTENT_LANGUAGES)},
        )
    return lang


@router.get("/product-groups", response={200: list[ProductGroupOut], 400: ProblemOut})
def product_groups(request: HttpRequest, lang: str = "") -> list[dict[str, Any]]:
    """The kinds of device the Pact covers, with their CPV codes and baseline lifetime."""
    language = _language(lang)
    return [
        {
            "code": group.code,
            "name": translated(group, "name", language or group.original_language).text,
            "cpv_codes": _cpv(group.cpv_codes),
            "baseline_lifetime_years": float(group.baseline_lifetime_years),
            "in_pact_scope": group.in_pact_scope,
        }
        for group in ProductGroup.objects.prefetch_related("translations")
    ]


@router.get("/ecolabels", response={200: list[EcolabelOut], 400: ProblemOut})
def ecolabels(request: HttpRequest, lang: str = "") -> list[dict[str, Any]]:
    """Ecolabels accepted as proof of criteria."""
    language = _language(lang)
    rows = []
    for label in Ecolabel.objects.prefetch_related("translations"):
        wanted = language or label.original_language
        rows.append(
            {
                "code": label.code,
                "name": translated(label, "name", wanted).text,
                "description": translated(label, "description", wanted).text,
                "website": label.website,
            }
        )
    return rows


def _version(version: CriterionVersion, lang: str = "") -> dict[str, Any]:
    language = lang or version.original_language
    title = translated(version, "title", language)
    return {
        "number": version.number,
        "status": version.status,
        "title": title.text,
        "language": title.language,
        "original_language": version.original_language,
        "level": version.level,
        "category": version.category,
        "kind": version.kind,
        "tender_text": version.filled_text(language=title.language),
        "verification": translated(version, "verification", title.language).text,
        "source": version.source,
        "source_reference": version.source_reference,
        "product_groups": [g.code for g in version.product_groups.all()],
        "ecolabels": [e.code for e in version.ecolabels.all()],
        "approved_at": version.approved_at,
    }


def _criterion(criterion: Criterion, lang: str = "") -> dict[str, Any]:
    public = [v for v in criterion.versions.all() if v.is_public]
    current = next((v for v in public if v.status == VersionStatus.APPROVED), None)
    return {
        "code": criterion.code,
        "title": _version(current, lang)["title"] if current else criterion.title,
        "level": criterion.level,
        "product_groups": [g.code for g in criterion.product_groups.all()],
        "current_version": _version(current, lang) if current else None,
        "url": criterion.get_absolute_url(),
        "versions": [_version(v, lang) for v in public],
    }


def _criteria() -> Any:
    return Criterion.objects.published().prefetch_related(
        "product_groups",
        Prefetch(
            "versions",
            queryset=CriterionVersion.objects.public().prefetch_related(
                "product_groups",
                "ecolabels",
                "translations",
                "parameters__translations",
            ),
        ),
    )


class CriterionPage(PageMeta):
    items: list[CriterionOut]


class CriteriaFilters(Schema):
    product_group: str = ""
    level: str = ""
    lang: str = ""
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


@router.get("/criteria", response={200: CriterionPage, 400: ProblemOut})
def criteria(request: HttpRequest, filters: Query[CriteriaFilters]) -> dict[str, Any]:
    """The public criteria base: criteria with an approved version, and that version.

    `lang` (en, nl, fr, de, es) asks for the texts in that language where they are
    translated; each version says the language of its texts in `language`."""
    language = _language(filters.lang)
    found = _criteria()
    if filters.product_group:
        found = found.filter(product_groups__code=filters.product_group)
    if filters.level:
        if filters.level not in CriterionLevel.values:
            raise Problem(
                400,
                _("Unknown level: use one of %(levels)s.")
                % {"levels": ", ".join(CriterionLevel.values)},
            )
        found = found.filter(level=filters.level)
    return paginate(
        found,
        cursor=filters.cursor,
        limit=filters.limit,
        item=lambda criterion: _criterion(criterion, language),
    )


@router.get(
    "/criteria/{code}",
    response={200: CriterionDetailOut, 400: ProblemOut, 404: ProblemOut},
)
def criterion(request: HttpRequest, code: str, lang: str = "") -> dict[str, Any]:
    """One criterion with every public version (the current one and those it replaced);
    `lang` as for the list."""
    language = _language(lang)
    return _criterion(get_object_or_404(_criteria(), code=code), language)


class SignatoryPage(PageMeta):
    items: list[SignatoryOut]


class SignatoryFilters(Schema):
    country: str = ""
    role: str = ""
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def _signatory(signature: Any) -> dict[str, Any]:
    organisation = signature.organisation
    return {
        "organisation": organisation.name,
        "organisation_slug": organisation.slug,
        "country": organisation.country,
        "country_name": country_name(organisation.country),
        "organisation_kind": organisation.kind,
        "role": signature.role,
        "signatory_name": signature.signatory_name,
        "signatory_title": signature.signatory_title,
        "signed_on": signature.approved_on,
    }


@router.get("/signatories", response={200: SignatoryPage, 400: ProblemOut})
def signatory_list(
    request: HttpRequest, filters: Query[SignatoryFilters]
) -> dict[str, Any]:
    """Approved signatures of the Pact: the only ones that are public."""
    found = signatories(country=filters.country.upper(), role=filters.role)
    return paginate(found, cursor=filters.cursor, limit=filters.limit, item=_signatory)


@router.get("/buyer-groups", response=list[BuyerGroupOut])
def buyer_groups(request: HttpRequest) -> list[dict[str, Any]]:
    """National, regional, local and thematic buyer groups, with their member count."""
    groups = (
        BuyerGroup.objects.select_related("coordinator")
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__status=GroupMembershipStatus.ACTIVE),
            )
        )
        .order_by("name")
    )
    return [
        {
            "slug": group.slug,
            "name": group.name,
            "kind": group.kind,
            "country": group.country,
            "region": group.region,
            "coordinator": group.coordinator.name if group.coordinator else None,
            "members": group.member_count,
            "url": group.get_absolute_url(),
        }
        for group in groups
    ]


class FigureFilters(Schema):
    year_from: int | None = None
    year_to: int | None = None
    product_group: str = ""
    country: str = ""


def _filters(query: FigureFilters) -> Filters:
    for year in (query.year_from, query.year_to):
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            raise Problem(
                400,
                _("Years run from %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
            )
    return Filters(
        year_from=query.year_from,
        year_to=query.year_to,
        product_group=query.product_group[:40],
        country=query.country.upper()[:2],
    )


@router.get("/figures", response={200: FiguresOut, 400: ProblemOut})
def pact_figures(request: HttpRequest, query: Query[FigureFilters]) -> dict[str, Any]:
    """The Pact's public figures: what the public dashboard shows, with the same rule.

    Cells that cover fewer than three organisations are left out or merged, as on the
    page; the FactorSet version says which factors made the effects.
    """
    return figures.dashboard_figures(PACT, _filters(query), protect=True)


def _factorset(factorset: FactorSet) -> dict[str, Any]:
    return {
        "version": factorset.version,
        "title": factorset.title,
        "notes": factorset.notes,
        "built_with": factorset.built_with,
        "is_current": factorset.is_current,
        "created_at": factorset.created_at,
        "made_current_at": factorset.made_current_at,
        "url": reverse("impact:factorset", kwargs={"version": factorset.version}),
    }


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


@router.get("/methodology", response=MethodologyOut)
def methodology(request: HttpRequest) -> dict[str, Any]:
    """How effects are computed, and the FactorSet in use."""
    current = current_factorset()
    return {
        "description": _(
            "Effects are computed per purchase line from the current FactorSet: the "
            "footprint of what was bought and the saving against a baseline of new, "
            "not ecolabelled devices used for the baseline lifetime of their product "
            "group. The page at the address below shows every formula and source."
        ),
        "url": reverse("impact:methodology"),
        "current_factorset": _factorset(current) if current else None,
        "indicators": [
            {"key": i.key, "label": str(i.label), "unit": str(i.unit)}
            for i in dashboard_effects.SHOWN_INDICATORS
        ],
    }


@router.get("/factorsets", response=list[FactorSetOut])
def factorsets(request: HttpRequest) -> list[dict[str, Any]]:
    """Every FactorSet, newest first: each figure says which one made it."""
    return [_factorset(f) for f in factorset_history()]


@router.get(
    "/factorsets/{version}", response={200: FactorSetDetailOut, 404: ProblemOut}
)
def factorset(request: HttpRequest, version: str) -> dict[str, Any]:
    """One FactorSet with its factors per product group, condition and country."""
    found = get_object_or_404(FactorSet, version=version)
    return _factorset(found) | {
        "products": [
            {
                "product_group": p.product_group.code,
                "archetype": p.archetype,
                "gwp_kg": _number(p.gwp_kg),
                "adpe_kg_sb": _number(p.adpe_kg_sb),
                "mips_kg": _number(p.mips_kg),
                "mass_kg": _number(p.mass_kg),
                "yearly_energy_kwh": _number(p.yearly_energy_kwh),
                "baseline_lifetime_years": _number(p.baseline_lifetime_years),
                "second_life_years": _number(p.second_life_years),
            }
            for p in found.products.select_related("product_group")
        ],
        "conditions": [
            {"condition": c.condition, "share": _number(c.burden), "source": c.source}
            for c in found.conditions.all()
        ],
        "electricity": [
            {
                "zone": e.zone,
                "kg_co2e_per_kwh": _number(e.kg_co2e_per_kwh),
                "source": e.source,
            }
            for e in found.electricity.all()
        ],
    }


@router.get("/ocds/planned-tenders", response=dict[str, Any])
def planned_tenders_ocds(request: HttpRequest) -> dict[str, Any]:
    """Planned tenders of the organisations that chose to publish them, as an OCDS 1.1
    release package (planning stage) with the sustainability extension."""
    return ocds_out.release_package(base_url=request.build_absolute_uri("/"))
