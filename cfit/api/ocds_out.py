"""Planned tenders as OCDS 1.1: a release package of the planning stage, with the
sustainability extension and CPV classification, for organisations that opted in.

What is published: the tender's title, product group (as a CPV item), estimated
quantity, planned year and quarter, the buyer, and the Pact criteria intended for it
(as documents linking to their public pages and as sustainability goals and
strategies). Nothing else of the organisation's data is published.
"""

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from cfit.criteria.models import (
    Criterion,
    CriterionCategory,
    CriterionKind,
    CriterionVersion,
    levels_up_to,
)
from cfit.lib.countries import country_name
from cfit.monitoring.models import DemandForecast

from .models import OpenDataSettings

OCDS_VERSION = "1.1"
SUSTAINABILITY_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/"
    "ocds_sustainability_extension/master/extension.json"
)
# The sustainabilityGoal codelist's code for each category of criteria.
GOAL_OF_CATEGORY: dict[str, str] = {
    CriterionCategory.SOCIAL: "social.humanRightsInSupplyChains",
    CriterionCategory.ENERGY: "environmental.energyEfficiency",
    CriterionCategory.CLIMATE: "environmental.climateChangeMitigation",
    CriterionCategory.HAZARDOUS_SUBSTANCES: "environmental.pollutionPrevention",
}
DEFAULT_GOAL = "environmental.circularEconomy"
# The sustainabilityStrategy codelist's code for each kind of criterion.
STRATEGY_OF_KIND: dict[str, str] = {
    CriterionKind.SELECTION: "selectionCriteria",
    CriterionKind.TECHNICAL_SPECIFICATION: "technicalSpecifications",
    CriterionKind.AWARD: "awardCriteria",
    CriterionKind.CONTRACT_CLAUSE: "contractPerformanceConditions",
}
# OCDS documentType for each kind of criterion.
DOCUMENT_TYPE_OF_KIND: dict[str, str] = {
    CriterionKind.SELECTION: "eligibilityCriteria",
    CriterionKind.TECHNICAL_SPECIFICATION: "technicalSpecifications",
    CriterionKind.AWARD: "evaluationCriteria",
    CriterionKind.CONTRACT_CLAUSE: "contractDraft",
}


def ocid_prefix() -> str:
    """The Pact's OCID prefix (register one with the Open Contracting Partnership)."""
    return str(getattr(settings, "OCDS_OCID_PREFIX", "ocds-cfit01"))


def _iso(moment: datetime) -> str:
    return (
        moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    )


def published_forecasts() -> Any:
    """Planned tenders of organisations that chose to publish them."""
    return (
        DemandForecast.objects.filter(
            organisation__open_data_consent__publish_planned_tenders=True
        )
        .select_related("organisation", "product_group")
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.published()),
        )
        .order_by("pk")
    )


def _criteria_of(forecast: DemandForecast) -> list[tuple[Criterion, CriterionVersion]]:
    """The intended criteria, or else the published criteria of the intended level."""
    criteria = list(forecast.criteria.all())
    if not criteria:
        criteria = list(
            Criterion.objects.published()
            .filter(
                product_groups=forecast.product_group,
                level__in=levels_up_to(forecast.level),
            )
            .order_by("code")
        )
    found = []
    for criterion in criteria:
        version = criterion.current_version
        if version is not None:
            found.append((criterion, version))
    return found


def _sustainability(
    criteria: list[tuple[Criterion, CriterionVersion]],
) -> list[dict[str, Any]]:
    strategies: dict[str, set[str]] = defaultdict(set)
    for _criterion, version in criteria:
        goal = GOAL_OF_CATEGORY.get(version.category, DEFAULT_GOAL)
        strategies[goal].add(STRATEGY_OF_KIND[version.kind])
    return [
        {"goal": goal, "strategies": sorted(strategies[goal])}
        for goal in sorted(strategies)
    ]


def _period(forecast: DemandForecast) -> dict[str, str]:
    if forecast.quarter:
        start_month = 3 * (forecast.quarter - 1) + 1
        end_month = start_month + 2
    else:
        start_month, end_month = 1, 12
    start = datetime(forecast.year, start_month, 1, tzinfo=UTC)
    end_year, next_month = (
        (forecast.year + 1, 1) if end_month == 12 else (forecast.year, end_month + 1)
    )
    end = datetime(end_year, next_month, 1, tzinfo=UTC) - timedelta(seconds=1)
    return {"startDate": _iso(start), "endDate": _iso(end)}


def release(forecast: DemandForecast, *, base_url: str) -> dict[str, Any]:
    """One planned tender as an OCDS release (planning stage)."""
    organisation = forecast.organisation
    group = forecast.product_group
    cpv = [c.strip() for c in group.cpv_codes.split(",") if c.strip()]
    criteria = _criteria_of(forecast)
    party = {
        "id": f"cfit-{organisation.slug}",
        "name": organisation.name,
        "roles": ["buyer"],
        "address": {"countryName": country_name(organisation.country)},
    }
    item: dict[str, Any] = {
        "id": "1",
        "description": str(group.name),
        "quantity": forecast.quantity,
        "unit": {"name": "device"},
    }
    if cpv:
        item["classification"] = {
            "scheme": "CPV",
            "id": cpv[0].split("-")[0],
            "description": str(group.name),
        }
    tender: dict[str, Any] = {
        "id": f"forecast-{forecast.pk}",
        "title": forecast.title,
        "status": "planning",
        "mainProcurementCategory": "goods",
        "items": [item],
        "tenderPeriod": _period(forecast),
        "hasSustainability": bool(criteria),
    }
    if criteria:
        tender["sustainability"] = _sustainability(criteria)
        tender["documents"] = [
            {
                "id": f"criterion-{criterion.code}-v{version.number}",
                "documentType": DOCUMENT_TYPE_OF_KIND[version.kind],
                "title": f"{criterion.code} {version.title}",
                "url": base_url.rstrip("/") + version.get_absolute_url(),
                "format": "text/html",
            }
            for criterion, version in criteria
        ]
    return {
        "ocid": f"{ocid_prefix()}-forecast-{forecast.pk}",
        "id": f"forecast-{forecast.pk}-{int(forecast.updated_at.timestamp())}",
        "date": _iso(forecast.updated_at),
        "tag": ["planning"],
        "initiationType": "tender",
        "parties": [party],
        "buyer": {"id": party["id"], "name": party["name"]},
        "tender": tender,
    }


def release_package(*, base_url: str) -> dict[str, Any]:
    """Every published planned tender in one OCDS 1.1 release package."""
    licence = OpenDataSettings.current()
    base = base_url.rstrip("/")
    return {
        "uri": base + reverse("api-1:planned_tenders_ocds"),
        "version": OCDS_VERSION,
        "publishedDate": _iso(timezone.now()),
        "publisher": {"name": licence.attribution, "uri": base + "/"},
        "license": licence.licence_url,
        "publicationPolicy": base + reverse("api:open-data"),
        "extensions": [SUSTAINABILITY_EXTENSION],
        "releases": [release(f, base_url=base) for f in published_forecasts()],
    }
