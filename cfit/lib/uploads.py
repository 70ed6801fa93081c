"""The one door for uploaded documents: size, and the kind read from the content.

Working groups, good examples and market consultations share PDF, DOCX, XLSX and ODT
files. A file is accepted only when its name's extension and its content agree: a
renamed program or a spreadsheet called report.pdf is refused. Every view or service
that stores an uploaded document calls `check_uploaded_document`.
"""

import zipfile
from collections.abc import Collection
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Extension → the label shown to people.
DOCUMENT_TYPES: dict[str, str] = {
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "xlsx": "Excel (XLSX)",
    "odt": "OpenDocument text (ODT)",
}
DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _zip_members(stream: IO[bytes]) -> tuple[set[str], bytes] | None:
    """The names inside a ZIP file and its 'mimetype' entry, or None if not a ZIP."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            mimetype = b""
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].strip()
            return names, mimetype
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return None


def sniff_document_type(stream: IO[bytes]) -> str | None:
    """The extension that the content matches ('pdf', 'docx', 'xlsx', 'odt') or None."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    found = _zip_members(stream)
    stream.seek(0)
    if found is None:
        return None
    names, mimetype = found
    if mimetype == ODT_MIMETYPE and "content.xml" in names:
        return "odt"
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def extension_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def check_uploaded_document(
    upload: "UploadedFile[bytes]",
    *,
    max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
    allowed: Collection[str] = tuple(DOCUMENT_TYPES),
    field: str = "file",
) -> str:
    """The document's type (an extension of `allowed`), or a ValidationError saying why not.

    The error is keyed by `field` so that a form shows it beside the file input.
    """
    if upload.size is None or upload.size == 0:
        raise ValidationError({field: _("The file is empty.")})
    if upload.size > max_bytes:
        raise ValidationError(
            {
                field: _(
                    "The file is %(size)s; files can be at most %(limit)s. Make it smaller, for example by saving it as PDF."
                )
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(max_bytes),
                }
            }
        )
    extension = extension_of(upload.name or "")
    labels = ", ".join(DOCUMENT_TYPES[ext] for ext in allowed if ext in DOCUMENT_TYPES)
    if extension not in allowed or extension not in DOCUMENT_TYPES:
        raise ValidationError(
            {
                field: _(
                    "This kind of file cannot be shared. Upload one of: %(allowed)s."
                )
                % {"allowed": labels}
            }
        )
    found = sniff_document_type(upload)
    if found != extension:
        raise ValidationError(
            {
                field: _(
                    "The file is called .%(extension)s but its content is not a %(label)s document. Upload one of: %(allowed)s."
                )
                % {
                    "extension": extension,
                    "label": DOCUMENT_TYPES[extension],
                    "allowed": labels,
                }
            }
        )
    return extension
