"""Countries by ISO 3166-1: codes, names and lenient parsing of what people type.

Names follow the reader's language: pycountry ships the iso-codes project's translations
of every country name (Debian's iso-codes), read here with gettext.
"""

import gettext
import unicodedata
from functools import cache

import pycountry
from django.conf import settings
from django.utils.translation import get_language


@cache
def _names_in(language: str) -> dict[str, str]:
    english = {
        c.alpha_2: getattr(c, "common_name", c.name) for c in pycountry.countries
    }
    if language == "en":
        return english
    try:
        catalogue = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language]
        )
    except OSError:
        return english
    return {code: catalogue.gettext(name) for code, name in english.items()}


def _countries() -> dict[str, str]:
    return _names_in((get_language() or settings.LANGUAGE_CODE).split("-")[0])


def _sort_key(name: str) -> str:
    """Alphabetical as people expect it: "Österreich" among the O's, not after Z."""
    return (
        unicodedata.normalize("NFKD", name)
        .encode("ascii", "ignore")
        .decode()
        .casefold()
    )


@cache
def _alpha3_to_alpha2() -> dict[str, str]:
    return {c.alpha_3: c.alpha_2 for c in pycountry.countries}


@cache
def _names_to_alpha2() -> dict[str, str]:
    """Every name a person may type, in each of the site's languages."""
    names: dict[str, str] = {}
    for language, _label in settings.LANGUAGES:
        for code, name in _names_in(language).items():
            names.setdefault(name.casefold(), code)
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names[value.casefold()] = c.alpha_2
    return names


@cache
def _choices_in(language: str) -> list[tuple[str, str]]:
    return sorted(_names_in(language).items(), key=lambda item: _sort_key(item[1]))


def country_choices() -> list[tuple[str, str]]:
    """(alpha-2, name) pairs sorted by name in the reader's language, for choices."""
    return _choices_in((get_language() or settings.LANGUAGE_CODE).split("-")[0])


def country_name(code: str) -> str:
    return _countries().get(code.upper(), code)


def parse_country(text: str) -> str | None:
    """Read a country written as ISO alpha-2, alpha-3 or its name in one of the site's
    languages ("Belgium", "België", "Belgique"); None if unknown."""
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
