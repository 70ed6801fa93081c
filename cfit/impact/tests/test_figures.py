"""How figures read on the pages."""

import pytest

from cfit.impact.templatetags.impact import figure


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (90500.4, "90,500"),
        (-45250, "−45,250"),
        (4.3, "4.3"),
        (12.0, "12"),
        (0.0086, "0.0086"),
        (0, "0"),
        (None, "–"),
    ],
)
def test_a_figure_has_separated_thousands_and_only_the_decimals_it_needs(value, shown):
    assert figure(value) == shown
