"""Reading numbers as people type them in spreadsheets, without ever guessing.

"2,5", "1.234,56", "1,234.56", "1 234", "€ 1.234,00" all read as one value. A text
such as "1.234" or "1,234" does not: with one separator followed by exactly three
digits it is a thousand and more if the separator groups thousands, and about one if it
is the decimal mark. Such a text is returned as `Ambiguous`, with both readings, and
only a decimal mark known from elsewhere (the file's other amounts) settles it.

Plain Python: no Django, so that it is easy to test and to reuse.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

POINT = "."
COMMA = ","
MARKS = (POINT, COMMA)

# Spaces of every kind and apostrophes group thousands (1 234, 1'234): dropped.
_GROUPING_SPACES = re.compile(r"[\s\u00a0\u202f'\u2019]")
_BODY = re.compile(r"[0-9.,]+")
_CURRENCY = ("€", "EUR", "eur", "Eur")
_MAX_LENGTH = 40


@dataclass(frozen=True)
class Number:
    """A number read without doubt, and the decimal mark its text shows, if any."""

    value: Decimal
    decimal_mark: str | None = None


@dataclass(frozen=True)
class Ambiguous:
    """A text such as "1.234" that reads two ways, by what its separator means."""

    text: str
    separator: str
    as_decimal: Decimal  # the separator as the decimal mark: 1.234
    as_thousands: Decimal  # the separator grouping thousands: 1234

    def reading(self, decimal_mark: str) -> Decimal:
        """The value when the file's decimal mark is `decimal_mark`."""
        return self.as_decimal if decimal_mark == self.separator else self.as_thousands


def other_mark(mark: str) -> str:
    return COMMA if mark == POINT else POINT


def _strip(text: str) -> str:
    value = _GROUPING_SPACES.sub("", text.strip())
    for symbol in _CURRENCY:
        value = value.removeprefix(symbol).removesuffix(symbol)
    return value


def _grouped(integer: str, separator: str) -> str | None:
    """`integer` without its thousands separators, or None if they are misplaced."""
    groups = integer.split(separator)
    first, rest = groups[0], groups[1:]
    if not 1 <= len(first) <= 3 or any(len(g) != 3 for g in rest):
        return None
    return "".join(groups)


def _decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def read_number(
    text: str, *, decimal_mark: str | None = None
) -> Number | Ambiguous | None:
    """The number written in `text`; Ambiguous when it reads two ways; None if none.

    `decimal_mark` (POINT or COMMA), when known, settles an ambiguous text; it never
    changes a text that reads one way only ("2.5" is two and a half in any file).
    """
    value = _strip(text)
    sign = ""
    if value[:1] in ("-", "+", "−"):
        sign = "-" if value[0] != "+" else ""
        value = value[1:]
    if not value or len(value) > _MAX_LENGTH or not _BODY.fullmatch(value):
        return None
    if not any(char.isdigit() for char in value):
        return None
    points, commas = value.count(POINT), value.count(COMMA)
    if points and commas:
        # Both: the last one is the decimal mark and appears once.
        mark = POINT if value.rfind(POINT) > value.rfind(COMMA) else COMMA
        integer, _sep, fraction = value.rpartition(mark)
        if mark in integer or not fraction:
            return None
        digits = _grouped(integer, other_mark(mark))
        if digits is None:
            return None
        number = _decimal(f"{sign}{digits}.{fraction}")
        return None if number is None else Number(number, mark)
    if not points and not commas:
        number = _decimal(f"{sign}{value}")
        return None if number is None else Number(number)
    separator = POINT if points else COMMA
    if value.count(separator) > 1:
        # Several: they group thousands, so the decimal mark is the other one.
        digits = _grouped(value, separator)
        if digits is None:
            return None
        number = _decimal(f"{sign}{digits}")
        return None if number is None else Number(number, other_mark(separator))
    integer, _sep, fraction = value.partition(separator)
    if not fraction:
        return None
    as_decimal = _decimal(f"{sign}{integer or '0'}.{fraction}")
    if as_decimal is None:
        return None
    could_group = len(fraction) == 3 and 1 <= len(integer) <= 3 and integer[0] != "0"
    if not could_group:
        return Number(as_decimal, separator)
    as_thousands = Decimal(f"{sign}{integer}{fraction}")
    if decimal_mark is not None:
        return Number(as_decimal if decimal_mark == separator else as_thousands)
    return Ambiguous(text.strip(), separator, as_decimal, as_thousands)


def read_whole_number(
    text: str, *, decimal_mark: str | None = None
) -> int | Ambiguous | None:
    """A count (of devices): a whole number, or None; Ambiguous only if both readings
    are whole ("1.000" is one or a thousand); "1.234" is 1234, the only whole reading.
    """
    found = read_number(text, decimal_mark=decimal_mark)
    if isinstance(found, Ambiguous):
        if found.as_decimal != found.as_decimal.to_integral_value():
            return int(found.as_thousands)
        return found
    if found is None or found.value != found.value.to_integral_value():
        return None
    return int(found.value)
