"""One number format: separators, rounding half up, money with its currency."""

from datetime import date
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format
from hypothesis import given
from hypothesis import strategies as st

from cfit.lib.formatting import format_money, format_number


def test_figures_get_thousands_separators_and_round_half_up():
    with translation.override("en"):
        assert format_number(39583) == "39,583"
        assert format_number(Decimal("281.85"), 1) == "281.9"
        assert format_number(292.55, 1) == "292.6"  # not 292.5, as a float would
        assert format_number(Decimal("6.0"), 1, trim=True) == "6"
        assert format_number(None) == "–"


def test_money_shows_the_currency_and_the_cents():
    with translation.override("en"):
        assert format_money(Decimal("240500.5")) == "€240,500.50"
        assert format_money(None) == "–"
        assert format_money(12, "USD") == "12.00 USD"


def test_the_reader_locale_sets_the_separators():
    with translation.override("nl"):
        assert format_number(Decimal("1234.5"), 1) == "1.234,5"


def test_the_template_filters_use_the_same_home():
    with translation.override("en"):
        html = Template(
            "{% load cfit %}{{ a|number }} {{ b|number:1 }} {{ c|money }} {{ d|number:'1-' }}"
        ).render(Context({"a": 1200, "b": 3.25, "c": Decimal("5"), "d": 4}))
    assert html == "1,200 3.3 €5.00 4"


@given(
    st.decimals(
        allow_nan=False,
        allow_infinity=False,
        places=2,
        max_value=10**12,
        min_value=-(10**12),
    )
)
def test_any_amount_reads_back_as_the_same_cents(amount):
    with translation.override("en"):
        text = format_money(amount)
    digits = text.replace("€", "").replace(",", "")
    assert Decimal(digits) == amount.quantize(Decimal("0.01"))


def test_each_language_writes_numbers_as_its_readers_do():
    nbsp = "\u00a0"
    expected = {
        "en": "1,234.5",
        "nl": "1.234,5",
        "de": "1.234,5",
        "es": "1.234,5",
        "fr": f"1{nbsp}234,5",
    }
    for language, text in expected.items():
        with translation.override(language):
            assert format_number(Decimal("1234.5"), 1) == text, language


def test_each_language_puts_the_euro_where_its_readers_do():
    nbsp = "\u00a0"
    expected = {
        "en": "€240,500.50",
        "nl": f"€{nbsp}240.500,50",
        "de": f"240.500,50{nbsp}€",
        "es": f"240.500,50{nbsp}€",
        "fr": f"240{nbsp}500,50{nbsp}€",
    }
    for language, text in expected.items():
        with translation.override(language):
            assert format_money(Decimal("240500.5")) == text, language
    with translation.override("de"):
        assert format_money(Decimal("-5")) == f"-5,00{nbsp}€"


def test_dates_follow_the_language():
    day = date(2026, 12, 1)
    expected = {
        "en": "1 December 2026",
        "nl": "1 december 2026",
        "de": "1. Dezember 2026",
        "fr": "1 décembre 2026",
        "es": "1 de diciembre de 2026",
    }
    for language, text in expected.items():
        with translation.override(language):
            assert date_format(day) == text, language
    with translation.override("de"):
        assert date_format(day, "SHORT_DATE_FORMAT") == "01.12.2026"
    with translation.override("en"):
        assert date_format(day, "SHORT_DATE_FORMAT") == "01/12/2026"
