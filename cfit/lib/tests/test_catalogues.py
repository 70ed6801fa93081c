"""The translation catalogues in locale/: complete, current and correct.

- every message the code marks is in the committed catalogues (makemessages is run on
  a copy of the code and compared: `make messages` brings them up to date);
- every message has a translation, not fuzzy, in Dutch, French, German and Spanish;
- translations keep the placeholders of the English text, and each language has the
  plural rule of its grammar.
"""

import gettext
import importlib.util
import os
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command

from cfit.lib.i18n import language_codes

LOCALE = settings.BASE_DIR / "locale"
TRANSLATED = [code for code in language_codes() if code != settings.LANGUAGE_CODE]
# What `make messages` reads: the code of the site and its templates.
SOURCES = ("cfit", "templates")
# Which counts take the singular (the first form) in each language's grammar: French
# says "0 ligne" and "1 ligne", the others "0 lines" and "1 line".
SINGULAR_COUNTS = {"nl": {1}, "fr": {0, 1}, "de": {1}, "es": {1}}


def catalogue(code: str, locale: Path = LOCALE) -> Catalog:
    with (locale / code / "LC_MESSAGES" / "django.po").open("rb") as file:
        return read_po(file)


def keys(cat: Catalog) -> set[tuple[str | None, str]]:
    """(context, English text) of every message; a plural by its singular."""
    return {
        (
            message.context,
            message.id[0] if isinstance(message.id, tuple) else message.id,
        )
        for message in cat
        if message.id
    }


@pytest.fixture(scope="module")
def marked_in_code(
    tmp_path_factory: pytest.TempPathFactory,
) -> set[tuple[str | None, str]]:
    """The messages makemessages finds in a copy of the code (the repository is left
    as it is)."""
    copy = tmp_path_factory.mktemp("messages")
    for name in SOURCES:
        shutil.copytree(
            settings.BASE_DIR / name,
            copy / name,
            ignore=shutil.ignore_patterns("__pycache__", "tests", "*.pyc"),
        )
    (copy / "locale").mkdir()
    cwd = Path.cwd()
    try:
        os.chdir(copy)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(settings, "LOCALE_PATHS", [copy / "locale"])
            call_command("makemessages", locale=["nl"], verbosity=0)
    finally:
        os.chdir(cwd)
    return keys(catalogue("nl", copy / "locale"))


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_marked_message_is_in_the_catalogue(code, marked_in_code):
    missing = marked_in_code - keys(catalogue(code))
    assert not missing, (
        f"{len(missing)} messages of the code are not in locale/{code}: run "
        f"`make messages` and have them translated. "
        + "; ".join(sorted(text for _context, text in missing)[:20])
    )


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated(code):
    untranslated = [
        message.id
        for message in catalogue(code)
        if message.id
        and (
            message.fuzzy
            or not all(
                message.string
                if isinstance(message.string, tuple)
                else [message.string]
            )
        )
    ]
    assert not untranslated, (
        f"{len(untranslated)} messages in locale/{code} have no translation or a "
        f"fuzzy one, such as: {untranslated[:5]}"
    )


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_the_placeholders(code):
    """A translation that drops or renames %(name)s breaks the page that shows it."""
    problems = [
        f"line {message.lineno}: {error}"
        for message, errors in catalogue(code).check()
        for error in errors
        # Babel guesses "python-format" from any "%"; xgettext's flag says it is not.
        if "no-python-format" not in message.flags
    ]
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("code", TRANSLATED)
def test_each_language_has_the_plural_rule_of_its_grammar(code):
    """The Plural-Forms header picks the singular for the right counts, and every
    plural message has as many forms as the header says (French may use the classic
    `nplurals=2; plural=(n > 1);` or CLDR's three forms, with the one for millions)."""
    cat = catalogue(code)
    rule = gettext.c2py(cat.plural_expr)
    for n in range(0, 12):
        assert (rule(n) == 0) == (n in SINGULAR_COUNTS[code]), (code, n)
    assert all(0 <= rule(n) < cat.num_plurals for n in (0, 1, 2, 5, 10**6, 2 * 10**6))
    wrong = [
        message.id[0]
        for message in cat
        if message.pluralizable and len(message.string) != cat.num_plurals
    ]
    assert not wrong, f"{cat.num_plurals} forms expected: {wrong[:5]}"


def test_every_language_of_the_site_has_a_catalogue():
    assert sorted(TRANSLATED) == sorted(SINGULAR_COUNTS)
    for code in TRANSLATED:
        assert (LOCALE / code / "LC_MESSAGES" / "django.po").is_file()


def test_the_install_step_compiles_what_django_reads(tmp_path):
    """scripts/compile_messages.py (Babel, run by `make install`) writes a .mo that
    Python's gettext reads, with the language's plural rule; fuzzy translations and
    those with other placeholders than the English stay out."""
    spec = importlib.util.spec_from_file_location(
        "compile_messages", settings.BASE_DIR / "scripts" / "compile_messages.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    po, mo = tmp_path / "django.po", tmp_path / "django.mo"
    po.write_text(
        'msgid ""\nmsgstr ""\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        'msgid "Sign in"\nmsgstr "Se connecter"\n\n'
        'msgid "%(n)s line"\nmsgid_plural "%(n)s lines"\n'
        'msgstr[0] "%(n)s ligne"\nmsgstr[1] "%(n)s lignes"\n\n'
        '#, fuzzy\nmsgid "Draft"\nmsgstr "Brouillon"\n\n'
        '#, python-format\nmsgid "Hello %(name)s"\nmsgstr "Bonjour %(nom)s"\n',
        encoding="utf-8",
    )
    module.compile_catalogue(po, mo)
    with mo.open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    assert compiled.gettext("Sign in") == "Se connecter"
    assert compiled.ngettext("%(n)s line", "%(n)s lines", 0) == "%(n)s ligne"
    assert compiled.ngettext("%(n)s line", "%(n)s lines", 2) == "%(n)s lignes"
    assert compiled.gettext("Draft") == "Draft"
    # A translation that renamed its placeholder would crash the page: left out.
    assert compiled.gettext("Hello %(name)s") == "Hello %(name)s"
