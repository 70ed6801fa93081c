"""The one door for uploaded documents: size and kind read from the content."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cfit.lib.uploads import check_uploaded_document


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_a_pdf_whose_content_is_pdf_is_accepted():
    upload = SimpleUploadedFile("tender.pdf", b"%PDF-1.7\n...")
    assert check_uploaded_document(upload) == "pdf"


def test_an_html_file_renamed_docx_is_refused_in_words():
    upload = SimpleUploadedFile("tender.docx", b"<html><body>hi</body></html>")
    with pytest.raises(ValidationError) as refused:
        check_uploaded_document(upload)
    assert "content is not a Word (DOCX) document" in str(refused.value)


def test_a_kind_not_allowed_here_is_refused():
    upload = SimpleUploadedFile("grid.docx", _docx_bytes())
    with pytest.raises(ValidationError) as refused:
        check_uploaded_document(upload, allowed={"pdf"}, field="document")
    assert "document" in refused.value.message_dict


def test_a_file_over_the_limit_is_refused_with_both_sizes():
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2000)
    with pytest.raises(ValidationError) as refused:
        check_uploaded_document(upload, max_bytes=1000)
    assert "at most" in str(refused.value)
