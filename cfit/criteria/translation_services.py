"""Writes of criteria translations: one page per language, CSV and XLIFF imports, the
starting translations. Every door ends in `translations_apply`, all or nothing.

A translation belongs to the version it translates. A new version starts with copies
of the current version's translations, flagged `needs_review`: a reader is not shown
a flagged translation (the wording it translates may have changed) until someone who
may translate saves it again.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cfit.accounts.models import User
from cfit.lib.translations import CONTENT_LANGUAGES, language_in_sentence
from cfit.organisations.selectors import AnyUser

from .caching import criteria_changed
from .models import (
    PLACEHOLDER,
    CriterionParameter,
    CriterionParameterTranslation,
    CriterionVersion,
    CriterionVersionTranslation,
    Ecolabel,
    EcolabelTranslation,
    ProductGroup,
    ProductGroupTranslation,
)
from .search import versions_reindex
from .selectors import can_draft

PLACEHOLDER_FIELD = "tender_text"
VERSION_FIELDS = ("title", "tender_text", "rationale", "verification")
PARAMETER_FIELDS = ("label", "unit")
# Field names in files: title … verification, and parameter.<name>.label / .unit.
FIELD_LABELS = {
    "title": gettext_lazy("title"),
    "tender_text": gettext_lazy("tender text"),
    "rationale": gettext_lazy("why this criterion"),
    "verification": gettext_lazy("how to verify it"),
}


def can_translate(user: AnyUser) -> bool:
    """Who may write criteria translations: those who may draft criteria."""
    return can_draft(user)


@dataclass(frozen=True)
class TranslationUnit:
    """One translated text from a page or a file; `where` names it for messages."""

    where: str
    code: str
    language: str
    field: str  # "title" … or "parameter.years.label"
    text: str
    version: int | None = None


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _field_name(field: str) -> str:
    if field in FIELD_LABELS:
        return str(FIELD_LABELS[field])
    parts = field.split(".")
    if len(parts) == 3 and parts[2] == "label":
        return _("name of the value {%(name)s}") % {"name": parts[1]}
    if len(parts) == 3 and parts[2] == "unit":
        return _("unit of the value {%(name)s}") % {"name": parts[1]}
    return field


def _check_units(
    units: Iterable[TranslationUnit], *, keep_empty: bool = False
) -> dict[tuple[int, str], dict[str, str]]:
    """Each unit checked against the criteria base; the texts by (version, language).

    An empty text is skipped (a file leaves what is not translated yet empty) unless
    `keep_empty`: on the translation page, emptying a field removes its text.
    Raises one ValidationError naming every unit that is wrong and why.
    """
    units = [u for u in units if keep_empty or u.text.strip()]
    codes = {u.code for u in units}
    current = {
        v.criterion.code: v
        for v in CriterionVersion.objects.approved()
        .filter(criterion__code__in=codes)
        .select_related("criterion")
        .prefetch_related("parameters")
    }
    pending = {
        v.criterion.code: v
        for v in CriterionVersion.objects.pending()
        .filter(criterion__code__in=codes)
        .select_related("criterion")
    }
    errors: list[str] = []
    texts: dict[tuple[int, str], dict[str, str]] = {}
    versions: dict[int, CriterionVersion] = {}
    for unit in units:
        version = current.get(unit.code) or pending.get(unit.code)
        if version is None:
            errors.append(
                _("%(where)s: there is no criterion %(code)s.")
                % {"where": unit.where, "code": unit.code}
            )
            continue
        if unit.version is not None and unit.version != version.number:
            errors.append(
                _(
                    "%(where)s: %(code)s is now at version %(current)s, the file translates version %(number)s. Export the file again."
                )
                % {
                    "where": unit.where,
                    "code": unit.code,
                    "current": version.number,
                    "number": unit.version,
                }
            )
            continue
        if unit.language not in CONTENT_LANGUAGES:
            errors.append(
                _("%(where)s: %(language)s is not a language of the criteria base.")
                % {"where": unit.where, "language": unit.language}
            )
            continue
        if unit.language == version.original_language:
            errors.append(
                _("%(where)s: %(code)s is written in %(language)s already.")
                % {
                    "where": unit.where,
                    "code": unit.code,
                    "language": language_in_sentence(unit.language),
                }
            )
            continue
        problem = _check_field(version, unit)
        if problem:
            errors.append(
                _("%(where)s, %(field)s: %(reason)s")
                % {
                    "where": unit.where,
                    "field": _field_name(unit.field),
                    "reason": problem,
                }
            )
            continue
        versions[version.pk] = version
        texts.setdefault((version.pk, unit.language), {})[unit.field] = (
            unit.text.strip()
        )
    for (pk, language), fields in texts.items():
        version = versions[pk]
        existing = version.translations.filter(language_code=language).first()
        for required in ("title", "tender_text"):
            if not fields.get(required) and not (
                existing and getattr(existing, f"translated_{required}")
            ):
                errors.append(
                    _("%(code)s in %(language)s: the %(field)s is missing.")
                    % {
                        "code": version.criterion.code,
                        "language": language_in_sentence(language),
                        "field": _field_name(required),
                    }
                )
    if errors:
        raise ValidationError(errors)
    return texts


def _check_field(version: CriterionVersion, unit: TranslationUnit) -> str:
    """Why a unit cannot be stored, or ''."""
    text = unit.text.strip()
    if unit.field in VERSION_FIELDS:
        if unit.field == "title" and len(text) > 300:
            return _("write at most 300 characters.")
        if unit.field == PLACEHOLDER_FIELD and placeholders(text) != placeholders(
            version.tender_text
        ):
            wanted = ", ".join("{" + n + "}" for n in placeholders(version.tender_text))
            return _(
                "keep the values in braces exactly as in the original: %(names)s."
            ) % {"names": wanted or _("none")}
        return ""
    parts = unit.field.split(".")
    if len(parts) == 3 and parts[0] == "parameter" and parts[2] in PARAMETER_FIELDS:
        if not any(p.name == parts[1] for p in version.parameters.all()):
            return _("this criterion has no parameter %(name)s.") % {"name": parts[1]}
        limit = 200 if parts[2] == "label" else 40
        if len(text) > limit:
            return _("write at most %(n)s characters.") % {"n": limit}
        return ""
    return _("this is not a text of a criterion.")


def _store(version: CriterionVersion, language: str, fields: Mapping[str, str]) -> None:
    row, _created = CriterionVersionTranslation.objects.get_or_create(
        master=version,
        language_code=language,
        defaults={"translated_title": "", "translated_tender_text": ""},
    )
    for name in VERSION_FIELDS:
        if name in fields:
            setattr(row, f"translated_{name}", fields[name])
    row.needs_review = False
    row.updated_at = timezone.now()
    row.save()
    for parameter in version.parameters.all():
        label = fields.get(f"parameter.{parameter.name}.label")
        unit = fields.get(f"parameter.{parameter.name}.unit")
        if label is None and unit is None:
            continue
        param_row, _created = CriterionParameterTranslation.objects.get_or_create(
            master=parameter,
            language_code=language,
            defaults={"translated_label": parameter.label},
        )
        if label is not None:
            param_row.translated_label = label
        if unit is not None:
            param_row.translated_unit = unit
        param_row.save()


@transaction.atomic
def translations_apply(
    *, units: Iterable[TranslationUnit], by: User | None, keep_empty: bool = False
) -> int:
    """Store translated criteria texts, all or nothing; the number of criteria touched.

    `by` is None only for the starting translations loaded by a data migration.
    """
    if by is not None and not can_translate(by):
        raise PermissionDenied
    texts = _check_units(units, keep_empty=keep_empty)
    versions = CriterionVersion.objects.in_bulk([pk for pk, _lang in texts])
    for (pk, language), fields in texts.items():
        _store(versions[pk], language, fields)
    versions_reindex(versions)
    criteria_changed()
    return len({pk for pk, _lang in texts})


def version_translation_save(
    *,
    version: CriterionVersion,
    language: str,
    texts: Mapping[str, str],
    by: User,
) -> None:
    """Save one criterion's texts in one language, from the translation page."""
    code = version.criterion.code
    units = [
        TranslationUnit(where=code, code=code, language=language, field=name, text=text)
        for name, text in texts.items()
    ]
    translations_apply(units=units, by=by, keep_empty=True)


def translations_copy_for_new_version(
    *, previous: CriterionVersion | None, version: CriterionVersion
) -> None:
    """Carry the translations of the version in force to its new draft, flagged."""
    if previous is None:
        return
    for row in previous.translations.all():
        CriterionVersionTranslation.objects.create(
            master=version,
            language_code=row.language_code,
            translated_title=row.translated_title,
            translated_tender_text=row.translated_tender_text,
            translated_rationale=row.translated_rationale,
            translated_verification=row.translated_verification,
            needs_review=True,
        )
    by_name = {p.name: p for p in version.parameters.all()}
    for old in CriterionParameter.objects.filter(version=previous).prefetch_related(
        "translations"
    ):
        new = by_name.get(old.name)
        if new is None:
            continue
        for row in old.translations.all():
            CriterionParameterTranslation.objects.create(
                master=new,
                language_code=row.language_code,
                translated_label=row.translated_label,
                translated_unit=row.translated_unit,
            )


def units_from_starting_file(
    language: str, data: Mapping[str, object]
) -> list[TranslationUnit]:
    """The criteria units of a `translations/<lang>.json` file (see the README there)."""
    units: list[TranslationUnit] = []
    criteria = data.get("criteria", {})
    assert isinstance(criteria, dict)
    for code, texts in criteria.items():
        for name in VERSION_FIELDS:
            if texts.get(name):
                units.append(
                    TranslationUnit(
                        f"{language}.json {code}", code, language, name, texts[name]
                    )
                )
        for param, values in (texts.get("parameters") or {}).items():
            for name in PARAMETER_FIELDS:
                if values.get(name):
                    units.append(
                        TranslationUnit(
                            f"{language}.json {code}",
                            code,
                            language,
                            f"parameter.{param}.{name}",
                            values[name],
                        )
                    )
    return units


@transaction.atomic
def starting_translations_load(*, language: str, data: Mapping[str, object]) -> int:
    """Load a starting translations file: criteria through the import's path, then the
    product groups' and ecolabels' names. Returns the number of criteria."""
    count = translations_apply(units=units_from_starting_file(language, data), by=None)
    groups = data.get("product_groups", {})
    assert isinstance(groups, dict)
    for group in ProductGroup.objects.filter(code__in=list(groups)):
        name = groups[group.code].get("name", "")
        if name:
            ProductGroupTranslation.objects.update_or_create(
                master=group, language_code=language, defaults={"translated_name": name}
            )
    labels = data.get("ecolabels", {})
    assert isinstance(labels, dict)
    for label in Ecolabel.objects.filter(code__in=list(labels)):
        texts = labels[label.code]
        if texts.get("name"):
            EcolabelTranslation.objects.update_or_create(
                master=label,
                language_code=language,
                defaults={
                    "translated_name": texts["name"],
                    "translated_description": texts.get("description", ""),
                },
            )
    criteria_changed()
    return count
