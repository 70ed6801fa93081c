"""Reading numbers as people write them, tested over many formatted numbers."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cfit.lib.numbers import (
    COMMA,
    POINT,
    Ambiguous,
    Number,
    read_number,
    read_whole_number,
)

amounts = st.decimals(
    min_value=Decimal("0"),
    max_value=Decimal("999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


def formatted(value: Decimal, *, mark: str, grouping: str, decimals: bool) -> str:
    """`value` as a spreadsheet might show it: 1.234.567,89 or 1,234,567.89 or 1 234,5."""
    integer, _point, fraction = f"{value:.2f}".partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    text = grouping.join(groups)
    if decimals:
        text += mark + fraction
    return text


@given(
    value=amounts,
    mark=st.sampled_from([POINT, COMMA]),
    group=st.booleans(),
    space=st.booleans(),
)
def test_a_number_formatted_in_any_style_reads_back_with_its_files_decimal_mark(
    value, mark, group, space
):
    grouping = (" " if space else (COMMA if mark == POINT else POINT)) if group else ""
    text = formatted(value, mark=mark, grouping=grouping, decimals=True)
    found = read_number(text, decimal_mark=mark)
    assert isinstance(found, Number)
    assert found.value == value


@given(value=amounts, mark=st.sampled_from([POINT, COMMA]), group=st.booleans())
def test_without_a_known_decimal_mark_a_number_is_read_right_or_called_ambiguous(
    value, mark, group
):
    whole = value.to_integral_value(rounding="ROUND_DOWN")
    grouping = (COMMA if mark == POINT else POINT) if group else ""
    for decimals, expected in ((True, value), (False, whole)):
        text = formatted(expected, mark=mark, grouping=grouping, decimals=decimals)
        found = read_number(text)
        if isinstance(found, Ambiguous):
            assert expected in (found.as_decimal, found.as_thousands)
        else:
            assert isinstance(found, Number) and found.value == expected


@given(st.text(max_size=50))
def test_reading_any_text_never_fails(text):
    read_number(text)
    read_whole_number(text)


@pytest.mark.parametrize("text", ["1.234", "1,234", "€ 1.234", "12,500", "-1.234"])
def test_one_separator_before_three_digits_reads_two_ways(text):
    found = read_number(text)
    assert isinstance(found, Ambiguous)
    assert abs(found.as_thousands) == 1000 * abs(found.as_decimal)


@pytest.mark.parametrize(
    ("text", "value", "mark"),
    [
        ("1.234,56", Decimal("1234.56"), COMMA),
        ("1,234.56", Decimal("1234.56"), POINT),
        ("2,5", Decimal("2.5"), COMMA),
        ("0,125", Decimal("0.125"), COMMA),
        ("1.234.567", Decimal("1234567"), COMMA),
        ("1 234", Decimal("1234"), None),
        ("1'234.50", Decimal("1234.50"), POINT),
        ("1234.567", Decimal("1234.567"), POINT),
        ("EUR 99,90", Decimal("99.90"), COMMA),
    ],
)
def test_a_text_that_reads_one_way_says_which_decimal_mark_it_shows(text, value, mark):
    assert read_number(text) == Number(value, mark)


@pytest.mark.parametrize(
    "text", ["", "abc", "1.2.3,4,5", "1,23,456", "12..5", "1.", "--1"]
)
def test_a_text_that_is_no_number_reads_as_none(text):
    assert read_number(text) is None


def test_the_files_decimal_mark_settles_an_ambiguous_amount():
    assert read_number("1.234", decimal_mark=COMMA) == Number(Decimal("1234"))
    assert read_number("1.234", decimal_mark=POINT) == Number(Decimal("1.234"))


def test_a_count_of_devices_takes_the_only_whole_reading():
    assert read_whole_number("1.234") == 1234
    assert read_whole_number("2,5") is None
    assert isinstance(read_whole_number("1.000"), Ambiguous)
    assert read_whole_number("1.000", decimal_mark=COMMA) == 1000
    assert read_whole_number("12") == 12
