"""Which kind of document a file really is, read from its content, not only its name.

Working groups share PDF, DOCX, XLSX and ODT files. A file is accepted only when its
name's extension and its content agree: a renamed program or a spreadsheet called
report.pdf is refused.
"""

import zipfile
from typing import IO

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
