"""The first rows of an uploaded file as they will be stored, in the reader's words."""

from dataclasses import dataclass
from itertools import islice

from cfit.criteria.models import Criterion, Ecolabel, ProductGroup
from cfit.lib.countries import country_name
from cfit.lib.formatting import format_money, format_number
from cfit.lib.stored_files import opened_locally

from .importing import ParsedLine, Vocabulary, read_purchases
from .models import Condition, PurchaseImport, RetiredTo

PREVIEW_ROWS = 10


@dataclass(frozen=True)
class PreviewRow:
    row: int
    product_group: str
    quantity: str
    condition: str
    lifetime: str
    warranty: str
    ecolabels: str
    criteria: str
    spend: str
    country: str
    tender_reference: str
    retired: str


def _in_words(lines: list[ParsedLine]) -> list[PreviewRow]:
    groups = dict(ProductGroup.objects.values_list("pk", "name"))
    labels = dict(Ecolabel.objects.values_list("pk", "name"))
    criteria = dict(Criterion.objects.values_list("pk", "code"))
    conditions = dict(Condition.choices)
    routes = dict(RetiredTo.choices)
    return [
        PreviewRow(
            row=line.row,
            product_group=groups.get(line.product_group_id, line.product_group_code),
            quantity=format_number(line.quantity),
            condition=str(conditions.get(line.condition, line.condition)),
            lifetime=format_number(line.expected_lifetime_years, 1, trim=True),
            warranty=format_number(line.warranty_years, 1, trim=True),
            ecolabels=", ".join(labels[i] for i in line.ecolabel_ids if i in labels)
            or "–",
            criteria=", ".join(criteria[i] for i in line.criterion_ids if i in criteria)
            or "–",
            spend=format_money(line.spend_eur),
            country=country_name(line.country_of_use) if line.country_of_use else "–",
            tender_reference=line.tender_reference or "–",
            retired=(
                f"{format_number(line.devices_retired)} · "
                f"{routes.get(line.retired_to, line.retired_to) or '–'}"
            )
            if line.devices_retired
            else "–",
        )
        for line in lines
    ]


def import_preview(purchase_import: PurchaseImport) -> list[PreviewRow]:
    """The first good rows of the checked file, read again from the kept upload."""
    if not purchase_import.file:
        return []
    with opened_locally(purchase_import.file) as file:
        results = read_purchases(
            file,
            vocabulary=Vocabulary.load(),
            default_country=purchase_import.report.organisation.country,
        )
        lines = [
            result
            for _row, result in islice(results, PREVIEW_ROWS * 3)
            if isinstance(result, ParsedLine)
        ][:PREVIEW_ROWS]
    return _in_words(lines)
