"""How the site writes numbers and money: one home for every page and export.

Thousands separators always, rounding half up (as people round, not as floats do),
and the reader's locale for the separators. Pages use the template filters `number`
and `money` (`{% load cfit %}`); exports call these functions.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import translation
from django.utils.formats import number_format

DASH = "–"
NBSP = "\u00a0"
# Where the currency symbol goes, as each language writes an amount: "€1,234.50"
# (English), "€ 1.234,50" (Dutch), "1.234,50 €" (German, Spanish), "1 234,50 €" (French).
SYMBOL_AFTER = {"fr", "de", "es"}
SYMBOL_SPACED = {"nl"}


def rounded(value: object, decimals: int = 0) -> Decimal | None:
    """The value as a Decimal rounded half up; None for nothing or not a number."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    return number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(value: object, decimals: int = 0, *, trim: bool = False) -> str:
    """'39,583', '281.9': grouped, rounded half up; with `trim`, '6' rather than '6.0'."""
    number = rounded(value, decimals)
    if number is None:
        return DASH
    if trim and number == number.to_integral_value():
        decimals = 0
        number = number.quantize(Decimal(1))
    return number_format(
        number, decimal_pos=decimals, use_l10n=True, force_grouping=True
    )


def format_money(value: object, currency: str = "EUR") -> str:
    """'€240,500.50': whole cents, grouped, with the currency where the reader's
    language puts it ('240.500,50 €' in German)."""
    text = format_number(value, 2)
    if text == DASH:
        return DASH
    symbol = {"EUR": "€"}.get(currency)
    language = (translation.get_language() or "en").split("-")[0]
    if symbol is None:
        return f"{text} {currency}"
    if language in SYMBOL_AFTER:
        return f"{text}{NBSP}{symbol}"
    if language in SYMBOL_SPACED:
        return f"{symbol}{NBSP}{text}"
    return f"-{symbol}{text[1:]}" if text.startswith("-") else f"{symbol}{text}"


def spreadsheet_format(decimals: int = 0) -> str:
    """The XLSX number format of the same figure: cells stay numbers that sum, shown
    grouped with fixed decimals ('#,##0.0'), in the reader's own separators."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
