"""Open data: the Pact's public figures, the criteria base and the signatory list as
CSV and JSON at stable addresses, with their licence, the FactorSet version and a
Frictionless data-package descriptor (datapackage.json) naming every field and unit.

The figures are the public dashboard's, through the publication rule's one home.
"""

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from cfit.criteria.models import Criterion, CriterionVersion, VersionStatus
from cfit.dashboards.forms import Filters
from cfit.dashboards.selectors import PACT
from cfit.impact.selectors import current_factorset
from cfit.lib.countries import country_name
from cfit.organisations.selectors import signatories

from . import figures
from .models import OpenDataSettings


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Frictionless table schema type
    title: str
    description: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    rows: Callable[[], Iterator[dict[str, Any]]]


def _figure_rows() -> Iterator[dict[str, Any]]:
    shown = figures.dashboard_figures(PACT, Filters(), protect=True)
    for headline in shown["headlines"]:
        yield {
            "figure": "headlines",
            "figure_title": "Headline figures",
            "row": "",
            "series": headline["label"],
            "value": headline["value"],
            "unit": headline["unit"],
            "factorset": shown["factorset"],
        }
    for figure in shown["figures"]:
        for position, label in enumerate(figure["labels"]):
            for series in figure["series"]:
                yield {
                    "figure": figure["slug"],
                    "figure_title": figure["title"],
                    "row": label,
                    "series": series["name"],
                    "value": series["values"][position],
                    "unit": figure["unit"],
                    "factorset": shown["factorset"],
                }


def _criteria_rows() -> Iterator[dict[str, Any]]:
    versions = (
        CriterionVersion.objects.filter(status=VersionStatus.APPROVED)
        .select_related("criterion")
        .prefetch_related("product_groups", "ecolabels", "parameters")
        .order_by("criterion__code")
    )
    for version in versions:
        criterion: Criterion = version.criterion
        yield {
            "code": criterion.code,
            "version": version.number,
            "title": version.title,
            "level": version.level,
            "category": version.category,
            "kind": version.kind,
            "product_groups": ";".join(g.code for g in version.product_groups.all()),
            "ecolabels": ";".join(e.code for e in version.ecolabels.all()),
            "source": version.source,
            "source_reference": version.source_reference,
            "approved_at": version.approved_at.date().isoformat()
            if version.approved_at
            else None,
            "tender_text": version.filled_text(language=version.original_language),
            "url": version.get_absolute_url(),
        }


def _signatory_rows() -> Iterator[dict[str, Any]]:
    for signature in signatories():
        organisation = signature.organisation
        yield {
            "organisation": organisation.name,
            "country": organisation.country,
            "country_name": country_name(organisation.country),
            "organisation_kind": organisation.kind,
            "role": signature.role,
            "signatory_name": signature.signatory_name,
            "signatory_title": signature.signatory_title,
            "signed_on": signature.approved_on.isoformat()
            if signature.approved_on
            else None,
        }


DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (
        Dataset(
            name="pact-figures",
            title=gettext_noop("The Pact's public figures"),
            description=(
                gettext_noop(
                    "What the public dashboard shows: devices bought, shares, lifetimes, "
                    "effects and planned purchases. Cells that cover fewer than three "
                    "organisations are merged or left out (empty value)."
                )
            ),
            fields=(
                Field("figure", "string", "Figure", "The figure's stable code."),
                Field("figure_title", "string", "Title of the figure"),
                Field("row", "string", "Row", "The year, country or other row label."),
                Field("series", "string", "Series", "The column of the figure."),
                Field(
                    "value",
                    "number",
                    "Value",
                    "In the unit of the row; empty where fewer than three "
                    "organisations are covered.",
                ),
                Field("unit", "string", "Unit"),
                Field(
                    "factorset",
                    "string",
                    "FactorSet",
                    "Version of the factors that computed the effects.",
                ),
            ),
            rows=_figure_rows,
        ),
        Dataset(
            name="criteria",
            title=gettext_noop("The Pact's criteria base"),
            description=gettext_noop(
                "Every criterion with its approved version and tender text."
            ),
            fields=(
                Field("code", "string", "Code"),
                Field("version", "integer", "Version"),
                Field("title", "string", "Title"),
                Field("level", "string", "Level", "base, ambitious or frontrunner"),
                Field("category", "string", "Category"),
                Field(
                    "kind",
                    "string",
                    "Kind",
                    "selection, technical_specification, award or contract_clause",
                ),
                Field(
                    "product_groups",
                    "string",
                    "Product groups",
                    "Codes, separated by ;",
                ),
                Field(
                    "ecolabels",
                    "string",
                    "Ecolabels accepted as proof",
                    "Codes, separated by ;",
                ),
                Field("source", "string", "Source"),
                Field("source_reference", "string", "Reference in the source"),
                Field("approved_at", "date", "Approved on"),
                Field("tender_text", "string", "Tender text"),
                Field("url", "string", "Page of the version on the site"),
            ),
            rows=_criteria_rows,
        ),
        Dataset(
            name="signatories",
            title=gettext_noop("Signatories of the Pact"),
            description=gettext_noop(
                "Organisations whose signature the secretariat approved."
            ),
            fields=(
                Field("organisation", "string", "Organisation"),
                Field("country", "string", "Country (ISO 3166-1 alpha-2)"),
                Field("country_name", "string", "Country"),
                Field("organisation_kind", "string", "Kind of organisation"),
                Field("role", "string", "Role", "procuring or coordinating"),
                Field("signatory_name", "string", "Signatory"),
                Field("signatory_title", "string", "Title of the signatory"),
                Field("signed_on", "date", "Signed on"),
            ),
            rows=_signatory_rows,
        ),
    )
}


def _factorset_version() -> str:
    factorset = current_factorset()
    return factorset.version if factorset else ""


def licence() -> dict[str, str]:
    settings = OpenDataSettings.current()
    return {
        "name": settings.licence_name,
        "title": settings.licence_title,
        "path": settings.licence_url,
        "attribution": settings.attribution,
    }


def as_csv(dataset: Dataset) -> str:
    """The rows under a header of field names; UTF-8, comma-separated, RFC 4180."""
    text = io.StringIO()
    names = [f.name for f in dataset.fields]
    writer = csv.DictWriter(text, fieldnames=names, lineterminator="\r\n")
    writer.writeheader()
    for row in dataset.rows():
        writer.writerow(
            {name: "" if row[name] is None else row[name] for name in names}
        )
    return text.getvalue()


def as_json(dataset: Dataset, *, base_url: str) -> dict[str, Any]:
    return {
        "name": dataset.name,
        "title": dataset.title,
        "description": dataset.description,
        "licence": licence(),
        "factorset": _factorset_version(),
        "generated_at": timezone.now().isoformat(),
        "datapackage": base_url.rstrip("/") + reverse("api:datapackage"),
        "fields": [_field(f) for f in dataset.fields],
        "rows": list(dataset.rows()),
    }


def _field(field: Field) -> dict[str, str]:
    described = {"name": field.name, "type": field.type, "title": field.title}
    if field.description:
        described["description"] = field.description
    if field.unit:
        described["unit"] = field.unit
    return described


def datapackage(*, base_url: str) -> dict[str, Any]:
    """The Frictionless data-package descriptor of every dataset."""
    base = base_url.rstrip("/")
    terms = licence()
    return {
        "profile": "tabular-data-package",
        "name": "circular-fair-ict-pact",
        "title": "Circular & Fair ICT Pact: open data",
        "homepage": base + reverse("api:open-data"),
        "version": _factorset_version() or "1",
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "licenses": [
            {"name": terms["name"], "path": terms["path"], "title": terms["title"]}
        ],
        "sources": [{"title": terms["attribution"], "path": base + "/"}],
        "factorset": _factorset_version(),
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": dataset.name,
                "title": dataset.title,
                "description": dataset.description,
                "path": base
                + reverse(
                    "api:open-data-file", kwargs={"name": dataset.name, "ext": "csv"}
                ),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": [_field(f) for f in dataset.fields]},
            }
            for dataset in DATASETS.values()
        ],
    }
