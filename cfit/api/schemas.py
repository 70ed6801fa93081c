"""The shapes of the API's answers and requests, as its OpenAPI document shows them."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

# A value as a file would hold it: the row reader checks it and says what is wrong.
Cell = str | int | float | None
ListCell = list[str] | str | None


class ProductGroupOut(Schema):
    code: str
    name: str
    cpv_codes: list[str]
    baseline_lifetime_years: float
    in_pact_scope: bool


class EcolabelOut(Schema):
    code: str
    name: str
    description: str
    website: str


class CriterionVersionOut(Schema):
    number: int
    status: str
    title: str
    # The language of title, tender_text and verification; original_language: the
    # language the criterion was written in.
    language: str
    original_language: str
    level: str
    category: str
    kind: str
    tender_text: str
    verification: str
    source: str
    source_reference: str
    product_groups: list[str]
    ecolabels: list[str]
    approved_at: datetime | None


class CriterionOut(Schema):
    code: str
    title: str
    level: str
    product_groups: list[str]
    current_version: CriterionVersionOut | None
    url: str


class CriterionDetailOut(CriterionOut):
    versions: list[CriterionVersionOut]


class SignatoryOut(Schema):
    organisation: str
    organisation_slug: str
    country: str
    country_name: str
    organisation_kind: str
    role: str
    signatory_name: str
    signatory_title: str
    signed_on: date | None


class BuyerGroupOut(Schema):
    slug: str
    name: str
    kind: str
    country: str
    region: str
    coordinator: str | None
    members: int
    url: str


class SeriesOut(Schema):
    name: str
    values: list[float | None]


class FigureOut(Schema):
    slug: str
    title: str
    unit: str
    label_heading: str
    labels: list[str]
    series: list[SeriesOut]
    notes: list[str]
    source: str


class HeadlineOut(Schema):
    label: str
    value: float | None
    unit: str


class FiguresOut(Schema):
    scope: str
    factorset: str
    protected: bool = Field(
        description="True when cells of fewer than three organisations are hidden."
    )
    headlines: list[HeadlineOut]
    figures: list[FigureOut]
    notes: list[str]


class FactorSetOut(Schema):
    version: str
    title: str
    notes: str
    built_with: str
    is_current: bool
    created_at: datetime
    made_current_at: datetime | None
    url: str


class ProductFactorOut(Schema):
    product_group: str
    archetype: str
    gwp_kg: float | None
    adpe_kg_sb: float | None
    mips_kg: float | None
    mass_kg: float | None
    yearly_energy_kwh: float | None
    baseline_lifetime_years: float | None
    second_life_years: float | None


class ConditionFactorOut(Schema):
    condition: str
    share: float | None
    source: str


class ElectricityFactorOut(Schema):
    zone: str
    kg_co2e_per_kwh: float | None
    source: str


class FactorSetDetailOut(FactorSetOut):
    products: list[ProductFactorOut]
    conditions: list[ConditionFactorOut]
    electricity: list[ElectricityFactorOut]


class MethodologyOut(Schema):
    description: str
    url: str
    current_factorset: FactorSetOut | None
    indicators: list[dict[str, str]]


# ---------------------------------------------------------------- with a token


class MeOut(Schema):
    token: str
    scope: str
    expires_at: datetime
    person: str
    organisation: str
    organisation_slug: str


class ReportOut(Schema):
    year: int
    status: str
    status_label: str
    version: int
    lines: int
    devices: int
    submitted_at: datetime | None
    accepted_at: datetime | None


class LineOut(Schema):
    id: int
    year: int
    version: int
    product_group: str
    quantity: int
    condition: str
    expected_lifetime_years: float | None
    warranty_years: float | None
    ecolabels: list[str]
    criteria: list[str]
    spend_eur: float | None
    country_of_use: str
    tender_reference: str
    devices_retired: int
    retired_to: str
    updated_at: datetime


class LineIn(Schema):
    """A line with the columns of the file import; values are read as a file's are."""

    product_group: Cell = None
    quantity: Cell = None
    condition: Cell = None
    expected_lifetime_years: Cell = None
    warranty_years: Cell = None
    ecolabels: ListCell = None
    criteria: ListCell = None
    spend_eur: Cell = None
    country_of_use: Cell = None
    tender_reference: Cell = None
    devices_retired: Cell = None
    retired_to: Cell = None

    model_config = {"extra": "forbid"}


class LinePatch(LineIn):
    version: int = Field(
        description="The line's version as you read it: a change based on an older "
        "version is refused with 409."
    )


class BulkIn(Schema):
    lines: list[LineIn] = Field(min_length=1)

    model_config = {"extra": "forbid"}


class BulkOut(Schema):
    lines: int
    devices: int
    report_version: int


class ChangeOut(Schema):
    id: int
    at: datetime
    action: str
    action_label: str
    by: str | None
    token: str | None
    line_id: int | None
    before: Any
    after: Any


class ForecastOut(Schema):
    id: int
    title: str
    product_group: str
    quantity: int
    year: int
    quarter: int | None
    level: str
    criteria: list[str]


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None
