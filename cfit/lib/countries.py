"""Countries by ISO 3166-1: codes, names and lenient parsing of what people type."""

from functools import cache

import pycountry


@cache
def _countries() -> dict[str, str]:
    return {c.alpha_2: getattr(c, "common_name", c.name) for c in pycountry.countries}


@cache
def _alpha3_to_alpha2() -> dict[str, str]:
    return {c.alpha_3: c.alpha_2 for c in pycountry.countries}


@cache
def _names_to_alpha2() -> dict[str, str]:
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names[value.casefold()] = c.alpha_2
    return names


def country_choices() -> list[tuple[str, str]]:
    """(alpha-2, name) pairs sorted by name, for form and model choices."""
    return sorted(_countries().items(), key=lambda item: item[1])


def country_name(code: str) -> str:
    return _countries().get(code.upper(), code)


def parse_country(text: str) -> str | None:
    """Read a country written as ISO alpha-2, alpha-3 or English name; None if unknown."""
    value = text.strip()
    if not value:
        return None
    upper = value.upper()
    if len(upper) == 2 and upper in _countries():
        return upper
    if upper == "UK":
        return "GB"
    if len(upper) == 3 and upper in _alpha3_to_alpha2():
        return _alpha3_to_alpha2()[upper]
    return _names_to_alpha2().get(value.casefold())
