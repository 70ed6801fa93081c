"""Hostile files: each is refused with a clear message while a memory ceiling holds.

The files are the ones of the security review (issue 11), generated in memory. Each is
read by the real import code in a child process that may grow by at most 150 MB: if a
guard failed, the child would die on its ceiling and the test would fail.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cfit.groups.models import Notice
from cfit.lib.ceiling import run_with_ceiling
from cfit.lib.tests import hostile
from cfit.monitoring import sheet_guard
from cfit.monitoring.importing import Vocabulary, check_purchases
from cfit.monitoring.models import ImportStatus, PurchaseImport

from .test_views import SLUG, upload

pytestmark = pytest.mark.django_db

CEILING = 150 * 1024 * 1024

HOSTILE_FILES = [
    pytest.param(
        hostile.sparse_cell_xlsx,
        "The sheet has a cell at XFD1048576, far outside a table of purchases",
        id="sparse-cell-xlsx",
    ),
    pytest.param(
        hostile.workbook_bomb_xlsx,
        "unpacks to far more data than a document of its size can hold",
        id="workbook-xml-bomb",
    ),
    pytest.param(
        hostile.shared_strings_bomb_xlsx,
        "unpacks to far more data than a document of its size can hold",
        id="shared-strings-bomb",
    ),
    pytest.param(
        hostile.sheet_whitespace_bomb_xlsx,
        "unpacks to far more data than a document of its size can hold",
        id="sheet-of-1-gb-whitespace",
    ),
    pytest.param(
        hostile.lying_sheet_xlsx,
        "unpacks to far more data than a document of its size can hold",
        id="sheet-lying-about-its-size",
    ),
    pytest.param(
        hostile.entity_xlsx,
        "document type declaration (DTD)",
        id="billion-laughs",
    ),
    pytest.param(
        hostile.bzip2_xlsx,
        "compressed in a way office programs do not use",
        id="bzip2-member",
    ),
    pytest.param(
        hostile.repeated_header_csv,
        "Line 1 is longer than 65,536 characters",
        id="header-repeating-a-column-2.3-million-times",
    ),
]


@pytest.mark.parametrize(("make", "message"), HOSTILE_FILES)
def test_a_hostile_file_is_refused_with_a_clear_message_under_a_memory_ceiling(
    make, message
):
    data = make()
    vocabulary = Vocabulary.load()

    def read(_send):
        check = check_purchases(io.BytesIO(data), vocabulary=vocabulary)
        return [str(problem) for problem in check.problems]

    outcome = run_with_ceiling(read, memory_bytes=CEILING, seconds=120)
    assert len(outcome.result) == 1
    assert message in outcome.result[0]
    # The refusal itself costs little: the file is never inflated in memory.
    assert outcome.usage.peak_growth_bytes < 64 * 1024 * 1024


def test_the_hostile_files_are_small_to_send():
    sizes = {param.id: len(param.values[0]()) for param in HOSTILE_FILES}
    assert sizes["sparse-cell-xlsx"] < 3 * 1024
    assert max(sizes.values()) < 25 * 1024 * 1024


def test_a_wide_sheet_is_read_as_a_stream_and_its_columns_limited():
    far = b'<row r="3"><c r="GS3"><v>1</v></c></row>'  # column 201
    data = hostile.xlsx_with(
        sheet=hostile.SHEET_START
        + hostile.HEADER_ROW
        + hostile.LINE_ROW
        + far
        + hostile.SHEET_END
    )
    check = check_purchases(io.BytesIO(data), default_country="NL")
    assert [str(p) for p in check.problems] == [
        "Row 3: a cell in column 201 is far outside a table of purchases (at most 200 columns and 1,048,576 rows). Delete everything outside your table, save and upload again."
    ]


def test_a_plain_workbook_still_imports():
    check = check_purchases(io.BytesIO(hostile.plain_xlsx()), default_country="NL")
    assert (check.line_count, check.device_count, check.problems) == (1, 3, [])


def test_a_csv_row_with_too_many_columns_is_refused():
    data = b"Product group,Quantity\nlaptop,3" + b",x" * 300 + b"\n"
    check = check_purchases(io.BytesIO(data), default_country="NL")
    assert [str(p) for p in check.problems] == [
        "Row 2 has 302 columns; a table of purchases has at most 200. Delete the columns you do not need and upload it again."
    ]


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_uploaded_sparse_cell_file_is_refused_and_not_kept(
    client, procurer_a, report_a, settings
):
    client.force_login(procurer_a)
    response = upload(client, hostile.sparse_cell_xlsx(), name="purchases.xlsx")
    preview = client.get(response["Location"])
    assert "The sheet has a cell at XFD1048576" in preview.content.decode()
    assert PurchaseImport.objects.get().problem_count == 1
    assert _stored_files(settings) == []
    assert report_a.lines.count() == 1


def test_a_file_that_slips_past_the_door_fails_its_own_import_and_nothing_else(
    client, procurer_a, report_a, settings, monkeypatch
):
    """With the far-cell guard switched off, calamine meets the sparse cell: only the
    child reading the file dies, the import fails with a message, the owner is told
    and the next upload is read as usual."""
    settings.IMPORT_MEMORY_LIMIT_MB = 300
    monkeypatch.setattr(sheet_guard.WorkbookScan, "_sheet", lambda self, n, c: None)
    client.force_login(procurer_a)
    response = upload(client, hostile.sparse_cell_xlsx(), name="purchases.xlsx")
    failed = PurchaseImport.objects.get()
    assert failed.status == ImportStatus.FAILED
    assert "needed more memory than a purchases file" in failed.problems[0]
    assert not failed.file
    assert _stored_files(settings) == []
    notice = Notice.objects.get(recipient=procurer_a)
    assert "purchases.xlsx could not be imported" in notice.text
    assert notice.url == failed.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert "Reading it needed more memory than a purchases file" in page

    upload(client, b"Product group;Quantity\nlaptop;10\n")
    assert PurchaseImport.objects.order_by("pk").last().status == ImportStatus.CHECKED


def test_a_check_that_ends_abnormally_fails_the_import_and_removes_its_file(
    client, procurer_a, report_a, settings, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr("cfit.monitoring.tasks.run_with_ceiling", broken)
    client.force_login(procurer_a)
    upload(client, b"Product group;Quantity\nlaptop;10\n")
    failed = PurchaseImport.objects.get()
    assert failed.status == ImportStatus.FAILED
    assert "Something went wrong on our side" in failed.problems[0]
    assert _stored_files(settings) == []
    assert Notice.objects.filter(recipient=procurer_a).exists()


def test_an_import_stuck_past_the_timeout_is_failed_and_its_owner_told(
    procurer_a, report_a, settings
):
    from django.core.files.base import ContentFile

    stuck = PurchaseImport.objects.create(
        report=report_a,
        file=ContentFile(b"Product group;Quantity\nlaptop;10\n", name="a.csv"),
        original_name="a.csv",
        created_by=procurer_a,
        status=ImportStatus.CHECKING,
        updated_at=timezone.now() - timezone.timedelta(minutes=31),
    )
    running = PurchaseImport.objects.create(
        report=report_a,
        file=ContentFile(b"x", name="b.csv"),
        original_name="b.csv",
        created_by=procurer_a,
        status=ImportStatus.STORING,
    )
    out = io.StringIO()
    call_command("fail_stuck_imports", stdout=out)
    assert out.getvalue().strip() == "1 stuck import marked failed."
    stuck.refresh_from_db()
    running.refresh_from_db()
    assert stuck.status == ImportStatus.FAILED and not stuck.file
    assert "stopped without finishing" in stuck.problems[0]
    assert running.status == ImportStatus.STORING and running.file
    assert Notice.objects.filter(recipient=procurer_a, text__contains="a.csv").exists()


def test_a_second_confirmation_of_the_same_import_stores_nothing_more(
    client, procurer_a, report_a
):
    client.force_login(procurer_a)
    response = upload(client, b"Product group;Quantity\nlaptop;10\nsmartphone;5\n")
    pk = PurchaseImport.objects.get().pk
    url = reverse(
        "monitoring:import-confirm", kwargs={"slug": SLUG, "year": 2025, "pk": pk}
    )
    client.post(url, {"mode": "add"})
    again = client.post(url, {"mode": "add"}, follow=True)
    assert report_a.lines.count() == 1 + 2
    assert response.status_code == 302
    assert "This file cannot be stored" in again.content.decode() or (
        "already being stored" in again.content.decode()
    )
