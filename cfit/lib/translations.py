"""What people write, in the reader's language: the one place that picks the text.

A criterion, a product group, an example or a news item keeps its text in the language
its author wrote it in (`original_language`; good examples call it `language`) and
carries translations in its `translations` rows (django-parler: one row per language,
columns named `translated_<field>`). The reader gets their own language when a
translation exists, otherwise the original, marked with its language so that the
page can say `<span lang="en">…</span> (in English)`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from babel import Locale, UnknownLocaleError
from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import linebreaksbr
from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The languages content can be written and translated in (the interface's five).
CONTENT_LANGUAGES: tuple[str, ...] = ("en", "nl", "fr", "de", "es")
ORIGINAL_LANGUAGE_CHOICES: list[tuple[str, Promise]] = [
    ("en", _("English")),
    ("nl", _("Dutch")),
    ("fr", _("French")),
    ("de", _("German")),
    ("es", _("Spanish")),
]
LANGUAGE_NAMES: dict[str, Promise] = dict(ORIGINAL_LANGUAGE_CHOICES)


def language_in_sentence(code: str) -> str:
    """A language's name as it reads inside a sentence of the reader's language.

    LANGUAGE_NAMES are labels ("Inglés" heads a list); within a sentence Spanish and
    French write "inglés", "anglais". CLDR's names (through Babel) are in that form.
    """
    try:
        name = Locale.parse((get_language() or "en").replace("-", "_")).languages.get(
            code
        )
    except (UnknownLocaleError, ValueError):
        name = None
    return name or str(LANGUAGE_NAMES.get(code, code))


# Whole phrases rather than "(in %s)", so that each language can build its own.
IN_LANGUAGE: dict[str, Promise] = {
    "en": _("(in English)"),
    "nl": _("(in Dutch)"),
    "fr": _("(in French)"),
    "de": _("(in German)"),
    "es": _("(in Spanish)"),
    "it": _("(in Italian)"),
    "sv": _("(in Swedish)"),
    "da": _("(in Danish)"),
    "fi": _("(in Finnish)"),
    "pt": _("(in Portuguese)"),
    "pl": _("(in Polish)"),
}


@dataclass(frozen=True)
class LocalText:
    """A text and the language it is in; `is_fallback` when not the reader's."""

    text: str
    language: str
    is_fallback: bool = False

    def __str__(self) -> str:
        return self.text

    @property
    def marker(self) -> str:
        """'(in English)', in the reader's language; empty when nothing to say."""
        if not self.is_fallback:
            return ""
        return str(IN_LANGUAGE.get(self.language, f"({self.language})"))

    def html(self, *, linebreaks: bool = False) -> SafeString:
        """The text, escaped; wrapped in its language and marked when a fallback."""
        body = linebreaksbr(self.text) if linebreaks else conditional_escape(self.text)
        if not self.is_fallback:
            return mark_safe(body)  # noqa: S308 - escaped just above
        return format_html(
            '<span lang="{}">{}</span> <span class="text-language">{}</span>',
            self.language,
            body,
            self.marker,
        )


def reader_language(language: str | None = None) -> str:
    """The language asked for, or the active one, as a bare code: 'de', not 'de-at'."""
    code = language or get_language() or "en"
    return code.split("-")[0].lower()


def original_language(obj: Any) -> str:
    """The language a row's own texts are written in."""
    return str(
        getattr(obj, "original_language", None) or getattr(obj, "language", "") or "en"
    )


def translation_row(obj: Any, language: str) -> Any | None:
    """The row's translation into a language, if any (reads prefetched rows).

    A translation flagged `needs_review` (copied from a replaced version) is not one.
    """
    translations = getattr(obj, "translations", None)
    if translations is None:
        return None
    for row in translations.all():
        if row.language_code == language and not getattr(row, "needs_review", False):
            return row
    return None


def translated(obj: Any, field: str, language: str | None = None) -> LocalText:
    """The text of `field` in the reader's language, or the original, marked."""
    wanted = reader_language(language)
    source = original_language(obj)
    original = str(getattr(obj, field, "") or "")
    if wanted != source:
        row = translation_row(obj, wanted)
        value = getattr(row, f"translated_{field}", "") if row is not None else ""
        if value:
            return LocalText(str(value), wanted)
        return LocalText(original, source, is_fallback=bool(original))
    return LocalText(original, source)


def translated_text(obj: Any, field: str, language: str | None = None) -> str:
    """The text alone, for exports and the API that say the language elsewhere."""
    return translated(obj, field, language).text


def missing_languages(
    obj: Any, languages: Iterable[str] = CONTENT_LANGUAGES
) -> list[str]:
    """The languages a row has neither as original nor as translation."""
    source = original_language(obj)
    have = {row.language_code for row in obj.translations.all()}
    return [code for code in languages if code != source and code not in have]


def translated_field_names(translation_model: Any) -> list[str]:
    """The texts a translation holds, by their names on the original: ['title', …]."""
    return [
        f.name.removeprefix("translated_")
        for f in translation_model._meta.fields
        if f.name.startswith("translated_")
    ]


class TranslationForm(forms.Form):
    """One row's texts in one language, built from its translation model's fields;
    each field shows the original beside it (`field.original`)."""

    def __init__(self, *args: Any, item: Any, language: str, **kwargs: Any) -> None:
        model = item.translations.model
        row = translation_row(item, language)
        if row is not None:
            kwargs["initial"] = {
                name: getattr(row, f"translated_{name}")
                for name in translated_field_names(model)
            }
        super().__init__(*args, **kwargs)
        for name in translated_field_names(model):
            field = model._meta.get_field(f"translated_{name}").formfield()
            field.original = getattr(item, name, "")
            field.required = field.required and bool(field.original)
            self.fields[name] = field

    def texts(self) -> dict[str, str]:
        return {name: value or "" for name, value in self.cleaned_data.items()}


def translation_store(item: Any, language: str, texts: dict[str, str]) -> Any:
    """Write one row's translation into a language (for the apps' services only).

    Refuses the row's own language and languages the platform does not speak.
    """
    if language not in CONTENT_LANGUAGES:
        raise ValidationError(_("Choose one of the platform's languages."))
    if language == original_language(item):
        raise ValidationError(_("This text is written in that language already."))
    model = item.translations.model
    values = {
        f"translated_{name}": (texts.get(name) or "").strip()
        for name in translated_field_names(model)
    }
    row, _created = model.objects.update_or_create(
        master=item, language_code=language, defaults=values
    )
    return row


def other_languages(item: Any) -> list[tuple[str, Promise]]:
    """The languages a row can be translated into: all but its own."""
    source = original_language(item)
    return [(code, name) for code, name in ORIGINAL_LANGUAGE_CHOICES if code != source]


class WrittenInField(forms.ChoiceField):
    """The language an author writes in; the page's language unless they say otherwise."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Language you write in"))
        super().__init__(
            choices=ORIGINAL_LANGUAGE_CHOICES,
            required=False,
            initial=reader_language,
            **kwargs,
        )

    def clean(self, value: Any) -> str:
        return str(super().clean(value) or reader_language())
