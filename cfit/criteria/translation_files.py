"""Criteria translations as files for translators' tools: CSV and XLIFF 1.2.

One file holds one target language. Each text of the current version of every
criterion is a row (CSV) or a trans-unit (XLIFF) named `LIFE-01/v2/tender_text` or
`LIFE-01/v2/parameter.years.label`, with the original and the translation so far.
Reading a file returns TranslationUnits; storing them is translation_services' job.
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cfit.lib.spreadsheets import FORMULA_STARTS, csv_writer, is_formula_like
from cfit.lib.translations import (
    CONTENT_LANGUAGES,
    language_in_sentence,
    original_language,
    translation_row,
)

from .models import CriterionVersion
from .translation_services import PARAMETER_FIELDS, VERSION_FIELDS, TranslationUnit

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
CSV_COLUMNS = [
    "id",
    "criterion",
    "field",
    "source_language",
    "source",
    "language",
    "translation",
]
UNIT_ID = re.compile(
    r"^(?P<code>[A-Z]{2,8}-\d{2,3})/v(?P<version>\d{1,4})/"
    r"(?P<field>[a-z_]+|parameter\.[a-z0-9_-]+\.(?:label|unit))$"
)


@dataclass(frozen=True)
class ExchangeRow:
    id: str
    code: str
    field: str
    source_language: str
    source: str
    translation: str


def exchange_rows(
    versions: Iterable[CriterionVersion], language: str
) -> list[ExchangeRow]:
    """Every text of these versions, with its translation into `language` so far."""
    rows = []
    for version in versions:
        code = version.criterion.code
        row = translation_row(version, language)
        for name in VERSION_FIELDS:
            source = getattr(version, name)
            if not source:
                continue
            target = getattr(row, f"translated_{name}", "") if row else ""
            rows.append(
                ExchangeRow(
                    f"{code}/v{version.number}/{name}",
                    code,
                    name,
                    original_language(version),
                    source,
                    target,
                )
            )
        for parameter in version.parameters.all():
            param_row = translation_row(parameter, language)
            for name in PARAMETER_FIELDS:
                source = getattr(parameter, name)
                if not source:
                    continue
                target = (
                    getattr(param_row, f"translated_{name}", "") if param_row else ""
                )
                field = f"parameter.{parameter.name}.{name}"
                rows.append(
                    ExchangeRow(
                        f"{code}/v{version.number}/{field}",
                        code,
                        field,
                        original_language(version),
                        source,
                        target,
                    )
                )
    return rows


def to_csv(rows: list[ExchangeRow], language: str) -> str:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                row.id,
                row.code,
                row.field,
                row.source_language,
                row.source,
                language,
                row.translation,
            ]
        )
    return out.getvalue()


def to_xliff(rows: list[ExchangeRow], language: str) -> bytes:
    root = Element("xliff", {"version": "1.2", "xmlns": XLIFF_NS})
    file = SubElement(
        root,
        "file",
        {
            "original": "cfit-criteria",
            "source-language": "en",
            "target-language": language,
            "datatype": "plaintext",
        },
    )
    body = SubElement(file, "body")
    for row in rows:
        unit = SubElement(body, "trans-unit", {"id": row.id, "resname": row.id})
        SubElement(unit, "source").text = row.source
        target = SubElement(unit, "target")
        target.text = row.translation
        if not row.translation:
            target.set("state", "needs-translation")
        SubElement(unit, "note").text = row.field
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + tostring(root, encoding="unicode").encode()
    )


def _split_id(where: str, value: str) -> tuple[str, int, str]:
    match = UNIT_ID.match(value.strip())
    if not match:
        raise ValidationError(
            _(
                "%(where)s: the id %(id)s is not one of this platform's; keep the id column as exported."
            )
            % {"where": where, "id": value[:60]}
        )
    return match["code"], int(match["version"]), match["field"]


def _unquote(text: str) -> str:
    """The text as written: the export's apostrophe before formula-like text removed."""
    if (
        text.startswith("'")
        and is_formula_like(text[1:])
        and text[1:2] in FORMULA_STARTS
    ):
        return text[1:]
    return text


def read_csv(text: str, language: str) -> list[TranslationUnit]:
    """The units of a CSV file; the error names each row and column that is wrong."""
    try:
        return _read_csv(text, language)
    except csv.Error as error:
        raise ValidationError(
            _(
                "The file is not CSV that can be read (%(reason)s). Save it again as CSV UTF-8."
            )
            % {"reason": error}
        ) from None


def _read_csv(text: str, language: str) -> list[TranslationUnit]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in ("id", "translation") if c not in header]
    if missing:
        raise ValidationError(
            _(
                "The file misses the columns: %(columns)s. Keep the first row as exported."
            )
            % {"columns": ", ".join(missing)}
        )
    units: list[TranslationUnit] = []
    errors: list[str] = []
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "") for k, v in raw.items() if k}
        where = _("Row %(row)s") % {"row": number}
        file_language = row.get("language", "").strip().lower() or language
        if file_language != language:
            errors.append(
                _(
                    "%(where)s, column language: the row is in %(found)s, the import is for %(language)s."
                )
                % {
                    "where": where,
                    "found": language_in_sentence(file_language),
                    "language": language_in_sentence(language),
                }
            )
            continue
        try:
            code, version, field = _split_id(
                _("Row %(row)s, column id") % {"row": number}, row.get("id", "")
            )
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        units.append(
            TranslationUnit(
                where,
                code,
                language,
                field,
                _unquote(row.get("translation", "")),
                version,
            )
        )
    if errors:
        raise ValidationError(errors)
    return units


def read_xliff(text: str, language: str) -> list[TranslationUnit]:
    """The units of an XLIFF 1.2 file (parsed with defusedxml: no entities, no DTD)."""
    try:
        root = SafeElementTree.fromstring(text)
    except (SafeElementTree.ParseError, DefusedXmlException, ValueError):
        raise ValidationError(
            _("The file is not XLIFF that can be read: save it again as XLIFF 1.2.")
        ) from None
    ns = {"x": XLIFF_NS}
    files = root.findall("x:file", ns)
    if root.tag != f"{{{XLIFF_NS}}}xliff" or not files:
        raise ValidationError(
            _("The file is not XLIFF 1.2: it has no <file> in the XLIFF 1.2 namespace.")
        )
    units: list[TranslationUnit] = []
    errors: list[str] = []
    for file in files:
        target_language = (file.get("target-language") or "").split("-")[0].lower()
        if target_language != language:
            errors.append(
                _("The file translates into %(found)s, the import is for %(language)s.")
                % {
                    "found": language_in_sentence(target_language or "?"),
                    "language": language_in_sentence(language),
                }
            )
            continue
        for unit in file.iterfind(".//x:trans-unit", ns):
            unit_id = unit.get("id", "")
            where = _("Unit %(id)s") % {"id": unit_id[:60]}
            target = unit.find("x:target", ns)
            text_value = "".join(target.itertext()) if target is not None else ""
            try:
                code, version, field = _split_id(where, unit_id)
            except ValidationError as error:
                errors.extend(error.messages)
                continue
            units.append(
                TranslationUnit(where, code, language, field, text_value, version)
            )
    if errors:
        raise ValidationError(errors)
    return units


def read_translation_file(
    extension: str, text: str, language: str
) -> list[TranslationUnit]:
    if language not in CONTENT_LANGUAGES:
        raise ValidationError(_("Choose a language of the criteria base."))
    if extension == "csv":
        return read_csv(text, language)
    return read_xliff(text, language)
