"""Writes about the criteria base: drafting, review and approval, imports, saved tenders."""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cfit.accounts.models import User
from cfit.lib.rows import lock_and_reload
from cfit.organisations.models import Organisation

from .caching import criteria_changed
from .models import (
    PLACEHOLDER,
    Criterion,
    CriterionCategory,
    CriterionKind,
    CriterionLevel,
    CriterionParameter,
    CriterionSource,
    CriterionUse,
    CriterionVersion,
    Ecolabel,
    ParameterType,
    ProductGroup,
    TenderSelection,
    TenderSelectionItem,
    UsageEvent,
    VersionStatus,
)
from .search import versions_reindex
from .selectors import can_approve, can_draft
from .translation_services import translations_copy_for_new_version

CODE_PATTERN = re.compile(r"^[A-Z]{2,8}-\d{2,3}$")


@dataclass
class ParameterSpec:
    """A parameter as drafted, before it is stored with its version."""

    name: str
    label: str
    default: str
    unit: str = ""
    value_type: str = ParameterType.INTEGER
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    choices: str = ""

    def as_parameter(self) -> CriterionParameter:
        return CriterionParameter(
            name=self.name,
            label=self.label,
            unit=self.unit,
            value_type=self.value_type,
            default=self.default,
            minimum=self.minimum,
            maximum=self.maximum,
            choices=self.choices,
        )


@dataclass
class VersionContent:
    """Everything a drafter writes for one version of a criterion."""

    title: str
    level: str
    category: str
    kind: str
    tender_text: str
    source: str
    product_groups: Sequence[ProductGroup]
    rationale: str = ""
    verification: str = ""
    source_reference: str = ""
    refurbished_lots_only: bool = False
    change_note: str = ""
    ecolabels: Sequence[Ecolabel] = ()
    parameters: Sequence[ParameterSpec] = field(default_factory=list)


def check_content(content: VersionContent) -> None:
    """Refuse a version whose parameters and tender text do not match, in plain words."""
    errors: list[str] = []
    if not content.product_groups:
        errors.append(_("Choose at least one product group."))
    names = [p.name for p in content.parameters]
    if len(set(names)) != len(names):
        errors.append(_("Two parameters have the same name. Give each its own name."))
    used = set(PLACEHOLDER.findall(content.tender_text))
    for name in sorted(used - set(names)):
        errors.append(
            _(
                "The tender text uses {%(name)s}, but there is no parameter with that name."
            )
            % {"name": name}
        )
    for name in sorted(set(names) - used):
        errors.append(
            _(
                "The parameter %(name)s is not used in the tender text. Write {%(name)s} where its value goes."
            )
            % {"name": name}
        )
    for spec in content.parameters:
        if (
            spec.value_type == ParameterType.CHOICE
            and not spec.as_parameter().choice_list
        ):
            errors.append(
                _("The parameter %(name)s needs a list of allowed values.")
                % {"name": spec.name}
            )
            continue
        if (
            spec.minimum is not None
            and spec.maximum is not None
            and spec.minimum > spec.maximum
        ):
            errors.append(
                _("The lowest allowed value of %(name)s is above the highest.")
                % {"name": spec.name}
            )
            continue
        try:
            spec.as_parameter().clean_value(spec.default)
        except ValidationError as error:
            errors.append(
                _("The default value of %(name)s is not allowed: %(reason)s")
                % {"name": spec.name, "reason": " ".join(error.messages)}
            )
    if errors:
        raise ValidationError(errors)


# The texts a translation renders: when one of them changes, the translations of the
# version no longer say what the original says.
_TRANSLATED_TEXTS = ("title", "tender_text", "rationale", "verification")
_PARAMETER_FIELDS = (
    "label",
    "unit",
    "value_type",
    "default",
    "minimum",
    "maximum",
    "choices",
)


def _write_content(version: CriterionVersion, content: VersionContent) -> None:
    before = (
        [getattr(version, name) for name in _TRANSLATED_TEXTS] if version.pk else None
    )
    version.title = content.title.strip()
    version.level = content.level
    version.category = content.category
    version.kind = content.kind
    version.tender_text = content.tender_text.strip()
    version.rationale = content.rationale.strip()
    version.verification = content.verification.strip()
    version.source = content.source
    version.source_reference = content.source_reference.strip()
    version.refurbished_lots_only = content.refurbished_lots_only
    version.change_note = content.change_note.strip()
    version.save()
    version.product_groups.set(content.product_groups)
    version.ecolabels.set(content.ecolabels)
    texts_changed = _write_parameters(version, content.parameters)
    if before is not None and (
        texts_changed or before != [getattr(version, n) for n in _TRANSLATED_TEXTS]
    ):
        version.translations.update(needs_review=True)
    versions_reindex([version.pk])
    criteria_changed()


def _write_parameters(
    version: CriterionVersion, specs: Sequence[ParameterSpec]
) -> bool:
    """Make the version's parameters the specs; True if a label or unit changed.

    A parameter that keeps its name is changed in place, so that its translations
    stay with it; only parameters no longer named are removed.
    """
    existing = {p.name: p for p in version.parameters.all()}
    texts_changed = False
    for order, spec in enumerate(specs):
        wanted = spec.as_parameter()
        if wanted.value_type != ParameterType.CHOICE:
            wanted.default = wanted.clean_value(spec.default)
        parameter = existing.pop(spec.name, None)
        if parameter is None:
            wanted.version = version
            wanted.sort_order = order
            wanted.save()
            texts_changed = True
            continue
        texts_changed = texts_changed or (parameter.label, parameter.unit) != (
            wanted.label,
            wanted.unit,
        )
        for name in _PARAMETER_FIELDS:
            setattr(parameter, name, getattr(wanted, name))
        parameter.sort_order = order
        parameter.save()
    if existing:
        version.parameters.filter(pk__in=[p.pk for p in existing.values()]).delete()
        texts_changed = True
    return texts_changed


@transaction.atomic
def criterion_draft(
    *, by: User, code: str, content: VersionContent
) -> CriterionVersion:
    """Draft a new criterion: version 1, not public until it is approved."""
    if not can_draft(by):
        raise PermissionDenied
    code = code.strip().upper()
    if not CODE_PATTERN.match(code):
        raise ValidationError(
            {"code": _("Write the code as letters, a hyphen and digits, like LIFE-10.")}
        )
    if Criterion.objects.filter(code=code).exists():
        raise ValidationError(
            {
                "code": _("A criterion with code %(code)s already exists.")
                % {"code": code}
            }
        )
    check_content(content)
    # The criterion joins product groups only when approved, so that other areas that
    # read the base (monitoring) never see an unapproved criterion.
    criterion = Criterion.objects.create(
        code=code, title=content.title.strip(), level=content.level
    )
    version = CriterionVersion(criterion=criterion, number=1, drafted_by=by)
    _write_content(version, content)
    return version


@transaction.atomic
def version_draft(
    *, criterion: Criterion, by: User, content: VersionContent
) -> CriterionVersion:
    """Draft the next version of a criterion; the current one stays in force meanwhile."""
    if not can_draft(by):
        raise PermissionDenied
    Criterion.objects.select_for_update().get(pk=criterion.pk)
    pending = criterion.versions.pending().first()
    if pending:
        raise ValidationError(
            _(
                "Version %(number)s of %(code)s is already being drafted or reviewed. Change that draft instead."
            )
            % {"number": pending.number, "code": criterion.code}
        )
    check_content(content)
    number = (criterion.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = CriterionVersion(criterion=criterion, number=number, drafted_by=by)
    _write_content(version, content)
    translations_copy_for_new_version(
        previous=criterion.versions.approved().first(), version=version
    )
    return version


@transaction.atomic
def version_update(
    *, version: CriterionVersion, by: User, content: VersionContent
) -> CriterionVersion:
    """Change a draft. Versions in review or approved are never changed."""
    if not can_draft(by):
        raise PermissionDenied
    lock_and_reload(version, "status")
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))
    check_content(content)
    _write_content(version, content)
    return version


@transaction.atomic
def version_submit(*, version: CriterionVersion, by: User) -> CriterionVersion:
    """Send a draft for review by someone who may approve it."""
    if not can_draft(by):
        raise PermissionDenied
    lock_and_reload(version, "status")
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("Only a draft can be sent for review."))
    version.status = VersionStatus.IN_REVIEW
    version.submitted_at = timezone.now()
    version.review_note = ""
    version.save(update_fields=["status", "submitted_at", "review_note"])
    return version


@transaction.atomic
def version_return(
    *, version: CriterionVersion, by: User, note: str
) -> CriterionVersion:
    """Send a version in review back to its drafter with a note of what to change."""
    if not can_approve(by):
        raise PermissionDenied
    lock_and_reload(version, "status")
    if version.status != VersionStatus.IN_REVIEW:
        raise ValidationError(_("Only a version in review can be sent back."))
    if not note.strip():
        raise ValidationError(_("Say what the drafter should change."))
    version.status = VersionStatus.DRAFT
    version.review_note = note.strip()
    version.save(update_fields=["status", "review_note"])
    return version


@transaction.atomic
def version_approve(*, version: CriterionVersion, by: User) -> CriterionVersion:
    """Publish a reviewed version; the version it replaces is retired but stays readable."""
    if not can_approve(by):
        raise PermissionDenied
    version = CriterionVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.IN_REVIEW:
        raise ValidationError(_("Only a version in review can be approved."))
    now = timezone.now()
    version.criterion.versions.filter(status=VersionStatus.APPROVED).update(
        status=VersionStatus.RETIRED, retired_at=now
    )
    version.status = VersionStatus.APPROVED
    version.approved_by = by
    version.approved_at = now
    version.save(update_fields=["status", "approved_by", "approved_at"])
    criterion = version.criterion
    criterion.title = version.title
    criterion.level = version.level
    criterion.save(update_fields=["title", "level"])
    criterion.product_groups.set(version.product_groups.all())
    criteria_changed()
    return version


@transaction.atomic
def version_retire(*, version: CriterionVersion, by: User) -> CriterionVersion:
    """Take a criterion out of the base. Its versions stay readable at their addresses."""
    if not can_approve(by):
        raise PermissionDenied
    lock_and_reload(version, "status")
    if version.status != VersionStatus.APPROVED:
        raise ValidationError(_("Only the approved version can be retired."))
    version.status = VersionStatus.RETIRED
    version.retired_at = timezone.now()
    version.save(update_fields=["status", "retired_at"])
    # Other areas read a product group's base from Criterion.product_groups: a retired
    # criterion must drop out of it. Its versions keep their product groups.
    version.criterion.product_groups.clear()
    criteria_changed()
    return version


# The tender builder -------------------------------------------------------------------


@dataclass(frozen=True)
class Pick:
    """A criterion chosen for a tender, at a version, with the values set for it."""

    version: CriterionVersion
    values: dict[str, str]


def _record_use(
    picks: Iterable[Pick],
    *,
    organisation: Organisation | None,
    event: str,
    export_format: str = "",
) -> None:
    CriterionUse.objects.bulk_create(
        CriterionUse(
            criterion_id=pick.version.criterion_id,
            version=pick.version,
            organisation=organisation,
            event=event,
            export_format=export_format,
        )
        for pick in picks
    )


def check_picks(picks: Sequence[Pick]) -> None:
    """Refuse an empty selection or a value outside its allowed range."""
    if not picks:
        raise ValidationError(_("Choose at least one criterion for the tender."))
    errors = []
    for pick in picks:
        for parameter in pick.version.parameters.all():
            try:
                parameter.clean_value(pick.values.get(parameter.name, ""))
            except ValidationError as error:
                errors.append(
                    f"{pick.version.criterion.code}: {' '.join(error.messages)}"
                )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def tender_selection_save(
    *,
    by: User,
    organisation: Organisation,
    title: str,
    product_group: ProductGroup,
    level: str,
    refurbished_lot: bool,
    picks: Sequence[Pick],
    selection: TenderSelection | None = None,
    language: str = "en",
) -> TenderSelection:
    """Save a selection to the organisation, pinned to the versions used; or update one."""
    check_picks(picks)
    if not title.strip():
        raise ValidationError(_("Give the tender a title."))
    now = timezone.now()
    if selection is None:
        selection = TenderSelection(
            organisation=organisation, created_by=by, created_at=now
        )
    elif selection.organisation_id != organisation.pk:
        raise PermissionDenied
    selection.title = title.strip()
    selection.product_group = product_group
    selection.level = level
    selection.refurbished_lot = refurbished_lot
    selection.language = language
    selection.updated_at = now
    selection.save()
    selection.items.all().delete()
    TenderSelectionItem.objects.bulk_create(
        TenderSelectionItem(
            selection=selection, version=pick.version, parameter_values=pick.values
        )
        for pick in picks
    )
    _record_use(picks, organisation=organisation, event=UsageEvent.SAVED)
    return selection


def tender_export_record(
    *, picks: Sequence[Pick], organisation: Organisation | None, export_format: str
) -> None:
    """Count an export of the criteria into a tender document."""
    _record_use(
        picks,
        organisation=organisation,
        event=UsageEvent.EXPORTED,
        export_format=export_format,
    )


@transaction.atomic
def tender_selection_delete(*, selection: TenderSelection, by: User) -> None:
    """Delete a saved selection. Usage already counted stays counted."""
    selection.delete()


# Imports ------------------------------------------------------------------------------

IMPORT_COLUMNS = [
    "code",
    "title",
    "product_groups",
    "category",
    "kind",
    "level",
    "tender_text",
    "source",
]
OPTIONAL_COLUMNS = [
    "refurbished_lots_only",
    "rationale",
    "verification",
    "ecolabels",
    "source_reference",
    "parameters",
    "change_note",
]


def _choice(value: str, choices: Any, column: str) -> str:
    """A choice given by its code or its English label, any case."""
    wanted = value.strip().lower()
    for code, label in choices.choices:
        if wanted in (code.lower(), str(label).lower()):
            return str(code)
    allowed = ", ".join(code for code, _label in choices.choices)
    raise ValidationError(
        _("“%(value)s” is not a known %(column)s. Use one of: %(allowed)s.")
        % {"value": value, "column": column, "allowed": allowed}
    )


def _codes(value: str) -> list[str]:
    return [code.strip() for code in re.split(r"[;,\s]+", value) if code.strip()]


def parse_parameters(value: str) -> list[ParameterSpec]:
    """Parameters in one cell: name|label|unit|type|default|min|max|choices, separated by ';'."""
    specs = []
    for part in [p for p in value.split(";") if p.strip()]:
        bits = [b.strip() for b in part.split("|")]
        if len(bits) < 5:
            raise ValidationError(
                _(
                    "Write each parameter as name|label|unit|type|default|lowest|highest|allowed values; “%(part)s” has too few parts."
                )
                % {"part": part.strip()}
            )
        bits += [""] * (8 - len(bits))
        name, label, unit, value_type, default, low, high, choices = bits[:8]
        if not re.fullmatch(r"[a-z0-9_-]{1,40}", name):
            raise ValidationError(
                _(
                    "“%(name)s” is not a usable parameter name: use small letters, digits and _."
                )
                % {"name": name}
            )
        value_type = _choice(value_type or "integer", ParameterType, "parameter type")
        try:
            minimum = Decimal(low) if low else None
            maximum = Decimal(high) if high else None
        except InvalidOperation:
            raise ValidationError(
                _("The range of parameter %(name)s must be numbers.") % {"name": name}
            ) from None
        specs.append(
            ParameterSpec(
                name=name,
                label=label or name,
                unit=unit,
                value_type=value_type,
                default=default,
                minimum=minimum,
                maximum=maximum,
                choices=choices,
            )
        )
    return specs


def _row_content(
    row: dict[str, str], groups: dict[str, ProductGroup], labels: dict[str, Ecolabel]
) -> VersionContent:
    """One import row as version content; errors name the column."""
    errors: dict[str, list[str]] = {}

    def attempt(column: str, make: Any) -> Any:
        try:
            return make()
        except ValidationError as error:
            errors.setdefault(column, []).extend(error.messages)
            return None

    def product_groups() -> list[ProductGroup]:
        codes = _codes(row.get("product_groups", ""))
        if not codes:
            raise ValidationError(_("Name at least one product group."))
        unknown = [c for c in codes if c not in groups]
        if unknown:
            raise ValidationError(
                _("Unknown product group %(codes)s. Known product groups: %(known)s.")
                % {"codes": ", ".join(unknown), "known": ", ".join(groups)}
            )
        return [groups[c] for c in codes]

    def ecolabels() -> list[Ecolabel]:
        codes = _codes(row.get("ecolabels", ""))
        unknown = [c for c in codes if c not in labels]
        if unknown:
            raise ValidationError(
                _("Unknown ecolabel %(codes)s. Known ecolabels: %(known)s.")
                % {"codes": ", ".join(unknown), "known": ", ".join(labels)}
            )
        return [labels[c] for c in codes]

    for column in ("title", "tender_text"):
        if not row.get(column, "").strip():
            errors.setdefault(column, []).append(_("This cell is empty."))
    content = VersionContent(
        title=row.get("title", ""),
        level=attempt(
            "level", lambda: _choice(row.get("level", ""), CriterionLevel, "level")
        ),
        category=attempt(
            "category",
            lambda: _choice(row.get("category", ""), CriterionCategory, "category"),
        ),
        kind=attempt(
            "kind", lambda: _choice(row.get("kind", ""), CriterionKind, "kind")
        ),
        source=attempt(
            "source", lambda: _choice(row.get("source", ""), CriterionSource, "source")
        ),
        tender_text=row.get("tender_text", ""),
        product_groups=attempt("product_groups", product_groups) or [],
        ecolabels=attempt("ecolabels", ecolabels) or [],
        parameters=attempt(
            "parameters", lambda: parse_parameters(row.get("parameters", ""))
        )
        or [],
        rationale=row.get("rationale", ""),
        verification=row.get("verification", ""),
        source_reference=row.get("source_reference", ""),
        refurbished_lots_only=row.get("refurbished_lots_only", "").strip().lower()
        in ("yes", "true", "1", "y"),
        change_note=row.get("change_note", "") or _("Imported."),
    )
    if not errors:
        attempt("tender_text", lambda: check_content(content))
    if errors:
        raise ValidationError(errors)
    return content


@transaction.atomic
def criteria_import(*, by: User, data: bytes) -> list[CriterionVersion]:
    """Import criteria from CSV as drafts (new criteria or new versions): all or nothing.

    Every error says the row and the column, so the file can be put right and sent again.
    """
    if not can_draft(by):
        raise PermissionDenied
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in IMPORT_COLUMNS if c not in header]
    if missing:
        raise ValidationError(
            _(
                "The file misses the columns: %(columns)s. The first row must name the columns."
            )
            % {"columns": ", ".join(missing)}
        )
    groups = {g.code: g for g in ProductGroup.objects.all()}
    labels = {e.code: e for e in Ecolabel.objects.all()}
    errors: list[str] = []
    parsed: list[tuple[str, VersionContent]] = []
    seen: set[str] = set()
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "") for k, v in raw.items() if k}
        code = row.get("code", "").strip().upper()
        if not CODE_PATTERN.match(code):
            errors.append(
                _("Row %(row)s, column code: write the code like LIFE-10.")
                % {"row": number}
            )
            continue
        if code in seen:
            errors.append(
                _("Row %(row)s, column code: %(code)s appears twice in the file.")
                % {"row": number, "code": code}
            )
            continue
        seen.add(code)
        try:
            parsed.append((code, _row_content(row, groups, labels)))
        except ValidationError as error:
            for column, messages in error.message_dict.items():
                errors.extend(
                    _("Row %(row)s, column %(column)s: %(message)s")
                    % {"row": number, "column": column, "message": message}
                    for message in messages
                )
    if not parsed and not errors:
        errors.append(_("The file has no criteria in it."))
    if errors:
        raise ValidationError(errors)
    versions = []
    for code, content in parsed:
        criterion = Criterion.objects.filter(code=code).first()
        if criterion is None:
            versions.append(criterion_draft(by=by, code=code, content=content))
        else:
            try:
                versions.append(
                    version_draft(criterion=criterion, by=by, content=content)
                )
            except ValidationError as error:
                raise ValidationError(
                    _("Criterion %(code)s: %(message)s")
                    % {"code": code, "message": " ".join(error.messages)}
                ) from None
    return versions
