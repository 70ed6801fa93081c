"""The one door for uploaded documents: size and kind read from the content."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cfit.lib.ceiling import CeilingExceeded, run_with_ceiling
from cfit.lib.tests import hostile
from cfit.lib.uploads import (
    ArchiveLimits,
    ArchiveRefused,
    check_archive,
    check_uploaded_document,
)


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


# ---------------------------------------------------------------- hostile archives


MEMORY_CEILING = 150 * 1024 * 1024


def _checked_under_a_ceiling(data: bytes, name: str):
    """check_uploaded_document in a child limited to 150 MB more: the door must hold."""
    upload = SimpleUploadedFile(name, data)

    def work(_send):
        try:
            return check_uploaded_document(upload)
        except ValidationError as refused:
            return " ".join(refused.messages)

    return run_with_ceiling(work, memory_bytes=MEMORY_CEILING, seconds=60)


def test_a_docx_bomb_is_refused_before_its_mimetype_is_read():
    data = hostile.docx_bomb()
    assert len(data) < 500 * 1024  # 400 MB inflated
    outcome = _checked_under_a_ceiling(data, "minutes.docx")
    assert "unpacks to far more data" in outcome.result
    assert outcome.usage.peak_growth_bytes < 20 * 1024 * 1024


def test_a_plain_docx_passes_the_archive_checks():
    outcome = _checked_under_a_ceiling(hostile.plain_docx(), "minutes.docx")
    assert outcome.result == "docx"


def test_a_document_with_an_archive_packed_inside_is_refused():
    outcome = _checked_under_a_ceiling(hostile.nested_docx(), "minutes.docx")
    assert "another archive or packed file inside it" in outcome.result


def test_a_member_compressed_with_bzip2_is_refused():
    with pytest.raises(ArchiveRefused, match="compressed in a way"):
        check_archive(io.BytesIO(hostile.bzip2_xlsx()))


def test_xml_with_entities_is_refused():
    with pytest.raises(ArchiveRefused, match="document type declaration"):
        check_archive(io.BytesIO(hostile.entity_xlsx()))


def test_a_member_that_inflates_past_its_declared_size_is_refused():
    with pytest.raises(ArchiveRefused, match="unpacks to far more data"):
        check_archive(io.BytesIO(hostile.lying_sheet_xlsx()))


def test_too_many_members_are_refused_before_the_directory_is_read():
    members = [hostile.deflated(f"part{n}.xml", b"<a/>") for n in range(30)]
    data = hostile.zip_of(members)
    with pytest.raises(ArchiveRefused, match="more than 20 packed parts"):
        check_archive(io.BytesIO(data), limits=ArchiveLimits(max_members=20))


def test_the_declared_total_is_limited_as_well_as_each_member():
    members = [
        hostile.deflated(f"part{n}.xml", b"<a>" + b"x" * 5000 + b"</a>")
        for n in range(5)
    ]
    limits = ArchiveLimits(max_member_bytes=10_000, max_total_bytes=20_000)
    with pytest.raises(ArchiveRefused, match="unpacks to far more data"):
        check_archive(io.BytesIO(hostile.zip_of(members)), limits=limits)


def test_a_scanner_sees_every_inflated_byte_of_every_member():
    seen: dict[str, int] = {}

    def scan(info: zipfile.ZipInfo, chunk: bytes) -> None:
        seen[info.filename] = seen.get(info.filename, 0) + len(chunk)

    data = hostile.plain_xlsx()
    names = check_archive(io.BytesIO(data), scan=scan)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert seen == {i.filename: i.file_size for i in archive.infolist()}
    assert "xl/workbook.xml" in names


def test_the_ceiling_stops_work_that_slips_through_and_only_that_work():
    def greedy(_send):
        return len(bytearray(400 * 1024 * 1024))

    with pytest.raises(CeilingExceeded) as stopped:
        run_with_ceiling(greedy, memory_bytes=MEMORY_CEILING, seconds=30)
    assert stopped.value.reason == "memory"
    # The parent goes on as before.
    assert (
        run_with_ceiling(
            lambda send: 6 * 7, memory_bytes=MEMORY_CEILING, seconds=30
        ).result
        == 42
    )


def test_the_ceiling_stops_work_that_takes_too_long():
    def endless(_send):
        while True:
            pass

    with pytest.raises(CeilingExceeded) as stopped:
        run_with_ceiling(endless, memory_bytes=MEMORY_CEILING, seconds=1)
    assert stopped.value.reason == "time"
