"""The text inside an attached PDF or DOCX, so that search finds words in documents.

The upload has passed `cfit.lib.uploads.check_uploaded_document` (its kind is known).
A PDF that cannot be opened (protected by a password, or damaged) is refused with a
message rather than stored: other procurers could not open it either, and nothing in
it could be found. A PDF without text (a scan) is accepted; it is just not searchable.
"""

import io
import logging
import re
from typing import IO

import docx
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

logger = logging.getLogger(__name__)

# Enough for the longest tender document; the rest is not indexed.
MAX_TEXT_CHARACTERS = 200_000
MAX_PDF_PAGES = 300

_WORDS = re.compile(r"\w+", re.UNICODE)


def search_words(*texts: str) -> str:
    """Lower-cased words separated by single spaces, with a space at each end.

    Stored as an example's search document: PostgreSQL's text search reads it like
    any text, and SQLite finds a whole word with `contains=" word "`.
    """
    words = _WORDS.findall(" ".join(texts).lower())
    return f" {' '.join(words)} " if words else ""


def _pdf_text(stream: IO[bytes], field: str) -> str:
    unreadable = _(
        "This PDF cannot be read: it may be damaged. Save or export it again as PDF and upload the new file."
    )
    try:
        reader = PdfReader(stream)
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileNotDecryptedError("password needed")
        parts: list[str] = []
        size = 0
        for page in reader.pages[:MAX_PDF_PAGES]:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size >= MAX_TEXT_CHARACTERS:
                break
    except FileNotDecryptedError:
        raise ValidationError(
            {
                field: _(
                    "This PDF is protected by a password, so no one else could open it. Save it without a password and upload it again."
                )
            }
        ) from None
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError):
        raise ValidationError({field: unreadable}) from None
    except Exception:  # pypdf raises many kinds on damaged files; never a 500
        logger.warning("Unreadable PDF refused", exc_info=True)
        raise ValidationError({field: unreadable}) from None
    return "\n".join(parts)[:MAX_TEXT_CHARACTERS]


def _docx_text(stream: IO[bytes], field: str) -> str:
    try:
        document = docx.Document(stream)
        parts = [paragraph.text for paragraph in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts.extend(cell.text for cell in row.cells)
    except Exception:  # a ZIP that looks like DOCX but is not readable as one
        logger.warning("Unreadable DOCX refused", exc_info=True)
        raise ValidationError(
            {
                field: _(
                    "This Word document cannot be read: it may be damaged. Save it again as DOCX and upload the new file."
                )
            }
        ) from None
    return "\n".join(parts)[:MAX_TEXT_CHARACTERS]


def document_text(stream: IO[bytes], file_type: str, *, field: str = "file") -> str:
    """The text of a PDF or DOCX ("" for XLSX and ODT); a ValidationError if unreadable."""
    stream.seek(0)
    data = io.BytesIO(stream.read())
    stream.seek(0)
    if file_type == "pdf":
        return _pdf_text(data, field)
    if file_type == "docx":
        return _docx_text(data, field)
    return ""
