"""One row's cells checked column by column: a ParsedLine, or every problem named
(row, column, reason). The common row is read from per-column caches (the fast path)."""

import operator
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from cfit.lib.countries import parse_country
from cfit.lib.formatting import format_number
from cfit.lib.numbers import (
    POINT,
    Ambiguous,
    Number,
    read_number,
    read_whole_number,
)
from cfit.lib.spreadsheets import is_formula_like

from ..rules import (
    DEVICES_MAX,
    LIFETIME_MAX_YEARS,
    LIFETIME_MIN_YEARS,
    QUANTITY_MIN,
    SPEND_MAX_EUR,
    TENDER_REFERENCE_MAX_LENGTH,
    WARRANTY_MAX_YEARS,
    lifetime_range,
    number_text,
)
from .columns import (
    COLUMN_BY_CODE,
    COLUMNS,
    LIST_SPLIT,
    ParsedLine,
    Problem,
    Vocabulary,
    choice_words,
    header_key,
    header_table,
    word_key,
)

LIFETIME_MIN = LIFETIME_MIN_YEARS
LIFETIME_MAX = LIFETIME_MAX_YEARS
WARRANTY_MAX = WARRANTY_MAX_YEARS
SPEND_MAX = SPEND_MAX_EUR
INTEGER_MAX = DEVICES_MAX


class AmbiguousNumber(str):
    """The reason a cell is refused while the file's decimal mark is not known yet.

    A str, so that it reads like any other reason; its type lets `read_purchases` hold
    the row back until the file's other amounts settle the decimal mark.
    """


def _ambiguous_reason(found: Ambiguous, unit: str) -> AmbiguousNumber:
    return AmbiguousNumber(
        _(
            '"%(value)s" could mean %(thousands)s %(unit)s (if "%(sep)s" separates thousands) or %(decimal)s %(unit)s (if "%(sep)s" is the decimal mark). Write it without a thousands separator, or use the same decimal mark as the file\'s other amounts.'
        )
        % {
            "value": found.text[:60],
            "thousands": found.as_thousands,
            "decimal": found.as_decimal,
            "unit": unit,
            "sep": found.separator,
        }
    )


# What parsing one cell gives: the value, and the reason it is wrong (or None).
Parsed = tuple[Any, str | None]
# Distinct texts remembered per column. Most columns repeat a handful of values, so a
# dictionary lookup replaces the parsing; the bound keeps memory flat on huge files.
CACHE_LIMIT = 20_000
_PLAIN_NUMBER = re.compile(r"\d{1,12}(?:\.\d{1,2})?")
_CENT = Decimal("0.01")


class RowParser:
    """Turns the cells of one row into a ParsedLine or a list of problems."""

    def __init__(
        self,
        header: list[str],
        header_row: int,
        vocabulary: Vocabulary,
        default_country: str | None,
    ) -> None:
        self.vocabulary = vocabulary
        self.default_country = default_country
        # The file's decimal mark, once one of its amounts shows it ("2,5", "1.5").
        self.decimal_mark: str | None = None
        # Set by `parse` when the row waits for the decimal mark to be known.
        self.undecided = False
        table = header_table()
        self.index: dict[str, int] = {}
        self.header_problems: list[Problem] = []
        unknown: list[str] = []
        for position, name in enumerate(header):
            if not name.strip():
                continue
            code = table.get(header_key(name))
            if code is None:
                unknown.append(name.strip())
                continue
            if code in self.index:
                self.header_problems.append(
                    Problem(
                        _("this column appears twice (%(name)s).")
                        % {"name": name.strip()},
                        row=header_row,
                        column=_(COLUMN_BY_CODE[code].label),
                    )
                )
                continue
            self.index[code] = position
        for column in COLUMNS:
            if column.required and column.code not in self.index:
                self.header_problems.append(
                    Problem(
                        _("the required column is missing from the header row."),
                        row=header_row,
                        column=_(column.label),
                    )
                )
        if self.header_problems and unknown:
            self.header_problems.append(
                Problem(
                    _("columns not recognised: %(names)s.")
                    % {"names": ", ".join(unknown[:20])},
                    row=header_row,
                )
            )
        self.labels = {column.code: _(column.label) for column in COLUMNS}
        parsers = {
            "product_group": self._product_group,
            "quantity": self._quantity,
            "condition": self._condition,
            "expected_lifetime_years": self._lifetime,
            "warranty_years": self._warranty,
            "ecolabels": self._ecolabels,
            "criteria": self._criteria,
            "spend_eur": self._spend,
            "country_of_use": self._country,
            "tender_reference": self._tender,
            "devices_retired": self._retired,
            "retired_to": self._retired_to,
        }
        # Every column, present in the file or not: a missing one reads the empty
        # cell added after the file's last column.
        width = max(self.index.values(), default=-1) + 1
        positions = [self.index.get(column.code, width) for column in COLUMNS]
        self.padding = [""] * (width + (1 if len(self.index) < len(COLUMNS) else 0))
        self.pick = operator.itemgetter(*positions)
        self.parsers = [parsers[column.code] for column in COLUMNS]
        self.codes = [column.code for column in COLUMNS]
        # Per column, the values of the texts already read and found good, and the
        # reasons of those found wrong: most columns repeat a handful of texts.
        self.good: list[dict[str, Any]] = [
            _Amounts(self) if column.code == "spend_eur" else {} for column in COLUMNS
        ]
        self.wrong: list[dict[str, str]] = [{} for _column in COLUMNS]
        # (product group id, criterion ids) -> whether they apply the BASE criteria.
        self.base_applied: dict[tuple[int, tuple[int, ...]], bool] = {}

    # Each parser gets the stripped text of one cell.

    def _product_group(self, text: str) -> Parsed:
        if not text:
            return None, _("the product group is missing.")
        found = self.vocabulary.product_groups.get(word_key(text))
        if found is None:
            return None, _(
                'unknown product group "%(value)s"; use one of: %(codes)s.'
            ) % {
                "value": text[:60],
                "codes": ", ".join(self.vocabulary.product_group_codes),
            }
        return found, None

    def _settle(self, found: Number) -> None:
        """The first amount that shows its decimal mark settles the file's."""
        if self.decimal_mark is None and found.decimal_mark is not None:
            self.decimal_mark = found.decimal_mark
            # Ambiguous texts already seen must be read again with the mark.
            for cache in (*self.good, *self.wrong):
                cache.clear()

    def _read(self, text: str) -> Number | Ambiguous | None:
        found = read_number(text, decimal_mark=self.decimal_mark)
        if isinstance(found, Number):
            self._settle(found)
        return found

    def _whole(self, text: str, *, minimum: int, missing: str | None) -> Parsed:
        if not text:
            return (None, missing) if missing else (0, None)
        found = read_whole_number(text, decimal_mark=self.decimal_mark)
        if isinstance(found, Ambiguous):
            return None, _ambiguous_reason(found, _("devices"))
        number = found
        if number is None:
            return None, _('"%(value)s" is not a whole number of devices.') % {
                "value": text[:60]
            }
        if number < minimum:
            if minimum == QUANTITY_MIN:
                return None, _("the quantity must be at least %(low)s.") % {
                    "low": QUANTITY_MIN
                }
            return None, _("the number of devices retired cannot be negative.")
        if number > INTEGER_MAX:
            return None, _("the number is too large: at most %(high)s devices.") % {
                "high": format_number(INTEGER_MAX)
            }
        return number, None

    def _quantity(self, text: str) -> Parsed:
        # The message is translated only when needed: gettext on every row of a
        # 100,000-line file costs a tenth of the parsing.
        if not text:
            return None, _("the quantity is missing.")
        return self._whole(text, minimum=QUANTITY_MIN, missing=None)

    def _retired(self, text: str) -> Parsed:
        return self._whole(text, minimum=0, missing=None)

    def _condition(self, text: str) -> Parsed:
        if not text:
            return "new", None
        found = choice_words("condition").get(word_key(text))
        if found is None:
            return None, _(
                'unknown condition "%(value)s"; use new, refurbished, remanufactured or reused.'
            ) % {"value": text[:60]}
        return found, None

    def _years(
        self, text: str, low: Decimal, high: Decimal, out_of_range: str
    ) -> Parsed:
        if not text:
            return None, None
        found = self._read(text)
        if isinstance(found, Ambiguous):
            # A thousand years is never meant: unless the file's other amounts say
            # otherwise, the separator is the decimal mark.
            number = found.reading(self.decimal_mark or found.separator)
        elif found is None:
            return None, _('"%(value)s" is not a number of years.') % {
                "value": text[:60]
            }
        else:
            number = found.value
        if not low <= number <= high:
            return None, out_of_range
        return number.quantize(_CENT), None

    def _lifetime(self, text: str) -> Parsed:
        return self._years(
            text,
            LIFETIME_MIN,
            LIFETIME_MAX,
            _("the expected lifetime must be between %(low)s and %(high)s years.")
            % lifetime_range(),
        )

    def _warranty(self, text: str) -> Parsed:
        return self._years(
            text,
            Decimal(0),
            WARRANTY_MAX,
            _("the warranty must be between 0 and %(high)s years.")
            % {"high": number_text(WARRANTY_MAX)},
        )

    def _ecolabels(self, text: str) -> Parsed:
        ids: list[int] = []
        wrong: list[str] = []
        for part in LIST_SPLIT.split(text):
            name = part.strip()
            if not name:
                continue
            found = self.vocabulary.ecolabels.get(word_key(name))
            if found is None:
                wrong.append(_('unknown ecolabel "%(value)s".') % {"value": name[:60]})
            elif found not in ids:
                ids.append(found)
        return tuple(ids), " ".join(wrong) or None

    def _criteria(self, text: str) -> Parsed:
        ids: list[int] = []
        wrong: list[str] = []
        for part in LIST_SPLIT.split(text):
            code = part.strip()
            if not code:
                continue
            found = self.vocabulary.criteria.get(code.casefold())
            if found is None:
                wrong.append(
                    _('unknown criterion code "%(value)s".') % {"value": code[:60]}
                )
            elif found not in ids:
                ids.append(found)
        return tuple(ids), " ".join(wrong) or None

    def _spend(self, text: str) -> Parsed:
        if not text:
            return None, None
        if _PLAIN_NUMBER.fullmatch(text):
            # The common case, read fast: digits, then at most two decimals.
            if self.decimal_mark is None and "." in text:
                self._settle(Number(Decimal(0), POINT))
            return Decimal(text).quantize(_CENT), None
        found = self._read(text)
        if isinstance(found, Ambiguous):
            return None, _ambiguous_reason(found, _("euros"))
        if found is None:
            return None, _('"%(value)s" is not an amount in euros.') % {
                "value": text[:60]
            }
        number = found.value
        if number < 0 or number > SPEND_MAX:
            return None, _("the spend must be between 0 and %(high)s euros.") % {
                "high": format_number(SPEND_MAX, 2)
            }
        return number.quantize(_CENT), None

    def _country(self, text: str) -> Parsed:
        if not text:
            if self.default_country:
                return self.default_country, None
            return None, _("the country of use is missing.")
        found = parse_country(text)
        if found is None:
            return None, _(
                'unknown country "%(value)s"; use the ISO code, such as NL or NLD.'
            ) % {"value": text[:60]}
        return found, None

    def _tender(self, text: str) -> Parsed:
        if text.startswith("'") and is_formula_like(text[1:]):
            # Our exports write such a reference with an apostrophe: read it back as is.
            text = text[1:]
        if len(text) > TENDER_REFERENCE_MAX_LENGTH:
            return None, _(
                "the tender reference is longer than %(limit)s characters."
            ) % {"limit": TENDER_REFERENCE_MAX_LENGTH}
        return text, None

    def _retired_to(self, text: str) -> Parsed:
        found = choice_words("retired_to").get(word_key(text)) if text else ""
        if found is None:
            return None, _(
                'unknown destination "%(value)s"; use reuse, take_back, recycling, stored or unknown.'
            ) % {"value": text[:60]}
        return found, None

    def parse(self, row: int, cells: list[str]) -> ParsedLine | list[Problem]:
        """The row as a ParsedLine, or its problems.

        The common row (every value good) is read with one dictionary lookup per
        cell; a row with a problem, or one that settles the decimal mark, is read
        again by `_parse_checked`, which names every problem.
        """
        if len(cells) < len(self.padding):
            cells = cells + self.padding[len(cells) :]
        texts = self.pick(cells)
        try:
            values = list(map(dict.__getitem__, self.good, texts))
        except KeyError:
            # A text not read before in its column: read the row cell by cell.
            found = self._fill(texts)
            if found is None:
                return self._parse_checked(row, texts)
            values = found
        line = self._line(row, values)
        if line is None:
            return self._parse_checked(row, texts)
        return line

    def _fill(self, texts: Sequence[str]) -> list[Any] | None:
        """The row's values, reading and remembering new texts; None on a problem
        or when a cell settles the file's decimal mark."""
        mark = self.decimal_mark
        values: list[Any] = []
        for position, text in enumerate(texts):
            good = self.good[position]
            value = good.get(text, _MISSING)
            if value is _MISSING:
                value, reason = self.parsers[position](text.strip())
                if reason is not None or self.decimal_mark is not mark:
                    return None
                if len(good) < CACHE_LIMIT:
                    good[text] = value
            values.append(value)
        return values

    def _line(self, row: int, values: list[Any]) -> ParsedLine | None:
        """The ParsedLine of a row's good values; None if a criterion is not of its
        product group."""
        group = values[0]
        criterion_ids = values[6]
        base = False
        if criterion_ids:
            key = (group[0], criterion_ids)
            found = self.base_applied.get(key)
            if found is None:
                allowed = self.vocabulary.criteria_of_group.get(group[0], frozenset())
                if not allowed.issuperset(criterion_ids):
                    return None
                found = self.vocabulary.applies_base_criteria(group[0], criterion_ids)
                if len(self.base_applied) < CACHE_LIMIT:
                    self.base_applied[key] = found
            base = found
        self.undecided = False
        if values[10] and not values[11]:
            # Devices left, and nobody wrote where to: that is what "unknown" means.
            values[11] = "unknown"
        # In ParsedLine's order: the product group's (id, code), then the values;
        # tuple.__new__ skips the named tuple's constructor, a Python call per row.
        return tuple.__new__(
            ParsedLine, (row, *group, *values[1:], bool(values[5]), base)
        )

    def _parse_checked(
        self, row: int, texts: Sequence[str]
    ) -> ParsedLine | list[Problem]:
        """The row read cell by cell in column order, naming every problem."""
        values: list[Any] = []
        problems: list[Problem] = []
        undecided = False
        for position, text in enumerate(texts):
            good = self.good[position]
            value = good.get(text, _MISSING)
            reason: str | None = None
            if value is _MISSING:
                reason = self.wrong[position].get(text)
                if reason is None:
                    value, reason = self.parsers[position](text.strip())
                    wrong = self.wrong[position]
                    if reason is None:
                        if len(good) < CACHE_LIMIT:
                            good[text] = value
                    elif len(wrong) < CACHE_LIMIT:
                        wrong[text] = reason
            if reason is not None:
                value = None
                problems.append(
                    Problem(reason, row=row, column=self.labels[self.codes[position]])
                )
                if reason.__class__ is AmbiguousNumber:
                    undecided = True
            values.append(value)
        group, criterion_ids = values[0], values[6]
        if criterion_ids and group is not None:
            allowed = self.vocabulary.criteria_of_group.get(group[0], frozenset())
            for criterion_id in criterion_ids:
                if criterion_id not in allowed:
                    problems.append(
                        Problem(
                            _('criterion "%(code)s" is not a criterion for %(group)s.')
                            % {
                                "code": self.vocabulary.criterion_codes[criterion_id],
                                "group": group[1],
                            },
                            row=row,
                            column=self.labels["criteria"],
                        )
                    )
        self.undecided = undecided and self.decimal_mark is None
        if problems:
            return problems
        # Every cell good after all (the decimal mark settled on the way).
        line = self._line(row, values)
        assert line is not None  # its criteria were checked above
        return line


# The mark of a text not yet read in a column (None is a value: an empty lifetime).
_MISSING: Any = object()


class _Amounts(dict[str, Any]):
    """The spend column's good values. Amounts seldom repeat, so the common one
    ("1234.56") is read when looked up rather than remembered: as `_spend` reads
    it, once the file's decimal mark is known or when it has no decimals."""

    def __init__(self, parser: RowParser) -> None:
        super().__init__()
        self.parser = parser

    def __missing__(self, text: str) -> Decimal:
        if _PLAIN_NUMBER.fullmatch(text) and (
            self.parser.decimal_mark is not None or "." not in text
        ):
            return Decimal(text).quantize(_CENT)
        raise KeyError(text)
