"""The template's columns, the words a file may use in them, and what a row becomes:
a ParsedLine, or Problems a procurer can read."""

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..models import Condition, RetiredTo
from ..rules import applies_base_criteria


@dataclass(frozen=True)
class Column:
    code: str
    label: str  # untranslated; translated at use
    required: bool = False
    aliases: tuple[str, ...] = ()


# The template's columns, in its order. Labels and code names are always accepted,
# with case, spaces and punctuation ignored; aliases are the other obvious names.
COLUMNS: tuple[Column, ...] = (
    Column(
        "product_group",
        gettext_noop("Product group"),
        required=True,
        aliases=("product", "product type", "device", "device type", "category"),
    ),
    Column(
        "quantity",
        gettext_noop("Quantity"),
        required=True,
        aliases=("qty", "number", "amount", "count", "units", "number of devices"),
    ),
    Column("condition", gettext_noop("Condition"), aliases=("state",)),
    Column(
        "expected_lifetime_years",
        gettext_noop("Expected lifetime (years)"),
        aliases=("lifetime", "expected lifetime", "lifetime years", "lifespan"),
    ),
    Column(
        "warranty_years",
        gettext_noop("Warranty (years)"),
        aliases=("warranty", "warranty period"),
    ),
    Column(
        "ecolabels",
        gettext_noop("Ecolabels"),
        aliases=("ecolabel", "eco label", "eco labels", "labels", "label"),
    ),
    Column(
        "criteria",
        gettext_noop("Criteria applied"),
        aliases=(
            "criteria codes",
            "criterion",
            "pact criteria",
            "criteria applied codes",
        ),
    ),
    Column(
        "spend_eur",
        gettext_noop("Spend (EUR)"),
        aliases=("spend", "spend eur", "cost", "amount eur", "price", "total eur"),
    ),
    Column(
        "country_of_use",
        gettext_noop("Country of use"),
        aliases=("country", "country code"),
    ),
    Column(
        "tender_reference",
        gettext_noop("Tender reference"),
        aliases=("tender", "reference", "contract", "contract reference", "tender id"),
    ),
    Column(
        "devices_retired",
        gettext_noop("Devices retired"),
        aliases=("retired", "devices replaced", "old devices", "devices out"),
    ),
    Column(
        "retired_to",
        gettext_noop("Retired to"),
        aliases=(
            "retired devices to",
            "end of life",
            "destination",
            "retired devices went to",
        ),
    ),
)
COLUMN_BY_CODE = {column.code: column for column in COLUMNS}

CONDITIONS: dict[str, str] = {
    "new": "new",
    "refurbished": "refurbished",
    "refurb": "refurbished",
    "remanufactured": "remanufactured",
    "reused": "reused",
    "reused internally": "reused",
    "reuse": "reused",
    "second hand": "reused",
}
RETIRED_TO: dict[str, str] = {
    "reuse": "reuse",
    "reused": "reuse",
    "resold": "reuse",
    "donated": "reuse",
    "reuse resold or donated": "reuse",
    "take back": "take_back",
    "takeback": "take_back",
    "supplier take back": "take_back",
    "recycling": "recycling",
    "recycled": "recycling",
    "certified recycling": "recycling",
    "stored": "stored",
    "storage": "stored",
    "unknown": "unknown",
    "": "",
}


@functools.cache
def choice_words(kind: str) -> dict[str, str]:
    """Every word a file may use for a condition or a destination: the codes, the
    synonyms above and the labels people see (in every language of the site), as the
    template's drop-downs offer them."""
    words, choices = (
        (CONDITIONS, Condition.choices)
        if kind == "condition"
        else (RETIRED_TO, RetiredTo.choices)
    )
    table = dict(words)
    languages = [code for code, _name in settings.LANGUAGES] or ["en"]
    for value, label in choices:
        table.setdefault(word_key(value), value)
        for language in languages:
            with translation.override(language):
                table.setdefault(word_key(str(label)), value)
    return table


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_WORDS = re.compile(r"[^\w]+")
LIST_SPLIT = re.compile(r"[;|]")


def header_key(text: str) -> str:
    """How a column name is compared: case, spaces and punctuation ignored."""
    return _NOT_ALNUM.sub("", text.casefold())


def word_key(text: str) -> str:
    return " ".join(_WORDS.sub(" ", text.casefold().replace("_", " ")).split())


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, as a procurer reads it."""

    reason: str
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return _("row %(row)s, column %(column)s: %(reason)s") % {
                "row": self.row,
                "column": self.column,
                "reason": self.reason,
            }
        if self.row is not None:
            return _("row %(row)s: %(reason)s") % {
                "row": self.row,
                "reason": self.reason,
            }
        return self.reason


class ParsedLine(NamedTuple):
    """A purchase line read from a file, with every code resolved.

    A named tuple: built for every row of files of a million rows, it must be cheap.
    It is built by position (`RowParser._line`): after the product group's id and
    code, its fields follow COLUMNS' order.
    """

    row: int
    product_group_id: int
    product_group_code: str
    quantity: int
    condition: str
    expected_lifetime_years: Decimal | None
    warranty_years: Decimal | None
    ecolabel_ids: tuple[int, ...]
    criterion_ids: tuple[int, ...]
    spend_eur: Decimal | None
    country_of_use: str
    tender_reference: str
    devices_retired: int
    retired_to: str
    has_ecolabel: bool
    applies_base_criteria: bool


@dataclass
class Vocabulary:
    """The codes a file may use, read once from the criteria base."""

    product_groups: dict[str, tuple[int, str]]  # key (code or name) -> (id, code)
    ecolabels: dict[str, int]  # key (code or name) -> id
    criteria: dict[str, int]  # code key -> id
    criterion_codes: dict[int, str]  # id -> code
    criteria_of_group: dict[int, frozenset[int]]  # product group id -> criterion ids
    base_criteria_of_group: dict[int, frozenset[int]]
    product_group_codes: list[str] = field(default_factory=list)

    @classmethod
    def load(cls) -> "Vocabulary":
        from cfit.criteria.models import (
            Criterion,
            CriterionLevel,
            Ecolabel,
            ProductGroup,
        )

        groups: dict[str, tuple[int, str]] = {}
        codes: list[str] = []
        for pk, code, name in ProductGroup.objects.values_list("pk", "code", "name"):
            codes.append(code)
            groups[word_key(code)] = (pk, code)
            groups.setdefault(word_key(name), (pk, code))
            # "Laptop (portable computer)" is also "laptop" and "laptops".
            short = word_key(name.split("(")[0])
            groups.setdefault(short, (pk, code))
            groups.setdefault(short + "s", (pk, code))
        ecolabels: dict[str, int] = {}
        for pk, code, name in Ecolabel.objects.values_list("pk", "code", "name"):
            ecolabels[word_key(code)] = pk
            ecolabels.setdefault(word_key(name), pk)
        criteria: dict[str, int] = {}
        criterion_codes: dict[int, str] = {}
        levels: dict[int, str] = {}
        # Approved criteria only: a criterion in review is not yet part of the base.
        for pk, code, level in Criterion.objects.published().values_list(
            "pk", "code", "level"
        ):
            criteria[code.strip().casefold()] = pk
            criterion_codes[pk] = code
            levels[pk] = level
        of_group: dict[int, set[int]] = {}
        for (
            criterion_id,
            group_id,
        ) in Criterion.product_groups.through.objects.filter(
            criterion_id__in=levels
        ).values_list("criterion_id", "productgroup_id"):
            of_group.setdefault(group_id, set()).add(criterion_id)
        return cls(
            product_groups=groups,
            ecolabels=ecolabels,
            criteria=criteria,
            criterion_codes=criterion_codes,
            criteria_of_group={g: frozenset(c) for g, c in of_group.items()},
            base_criteria_of_group={
                g: frozenset(c for c in ids if levels[c] == CriterionLevel.BASE)
                for g, ids in of_group.items()
            },
            product_group_codes=codes,
        )

    def applies_base_criteria(
        self, product_group_id: int, criterion_ids: Iterable[int]
    ) -> bool:
        """The one rule (rules.applies_base_criteria) with the criteria read once."""
        return applies_base_criteria(
            self.base_criteria_of_group.get(product_group_id, frozenset()),
            criterion_ids,
        )


def header_table() -> dict[str, str]:
    """Every accepted column name, keyed for comparison, to its column code."""
    table: dict[str, str] = {}
    languages = [code for code, _name in settings.LANGUAGES] or ["en"]
    for column in COLUMNS:
        names = {column.code, column.label, *column.aliases}
        for language in languages:
            with translation.override(language):
                names.add(_(column.label))
        for name in names:
            table.setdefault(header_key(name), column.code)
    return table
