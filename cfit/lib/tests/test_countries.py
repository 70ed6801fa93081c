"""Country names follow the reader's language; what people type is read in any of them."""

from django.utils import translation

from cfit.lib.countries import country_choices, country_name, parse_country


def test_a_country_is_named_in_the_readers_language():
    expected = {
        "en": "Belgium",
        "nl": "België",
        "fr": "Belgique",
        "de": "Belgien",
        "es": "Bélgica",
    }
    for language, name in expected.items():
        with translation.override(language):
            assert country_name("BE") == name


def test_the_list_is_alphabetical_in_the_readers_language_accents_included():
    with translation.override("de"):
        names = [name for _code, name in country_choices()]
    assert names.index("Österreich") < names.index("Polen")
    assert names.index("Niederlande") < names.index("Österreich")


def test_a_country_written_in_any_of_the_sites_languages_is_read():
    for text in ("Belgium", "België", "belgique", "Belgien", "Bélgica", "BE", "BEL"):
        assert parse_country(text) == "BE", text
    assert parse_country("Nowhereland") is None
