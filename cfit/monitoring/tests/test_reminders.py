import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from .factories import PurchaseReportFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db


def remind(*args):
    out = io.StringIO()
    call_command("send_report_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def period_due_in_7_days(db):
    return ReportingPeriodFactory(year=2025, deadline=datetime.date(2026, 3, 31))


def test_organisations_without_a_submitted_report_are_reminded_7_days_before(
    period_due_in_7_days,
    procurer_a,
    procurer_b,
    organisation_b,
    django_capture_on_commit_callbacks,
):
    PurchaseReportFactory(organisation=organisation_b, year=2025, status="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        out = remind("--today", "2026-03-24")
    assert out.strip() == "1 reminder(s) to 1 organisation(s) sent."
    assert [m.to for m in mail.outbox] == [["procurer.a@example.org"]]
    assert "2025" in mail.outbox[0].subject
    assert "/reports/city-of-alphen/2025/" in mail.outbox[0].body


def test_no_reminder_on_other_days(period_due_in_7_days, procurer_a):
    assert (
        remind("--today", "2026-03-23").strip()
        == "0 reminder(s) to 0 organisation(s) sent."
    )
    assert mail.outbox == []


def test_a_dry_run_lists_and_sends_nothing(period_due_in_7_days, procurer_a):
    out = remind("--today", "2026-03-24", "--dry-run")
    assert "City of Alphen 2025: procurer.a@example.org" in out
    assert "1 reminder(s) to 1 organisation(s) would be sent (dry run)." in out
    assert mail.outbox == []


def test_old_uploads_and_their_files_are_deleted(report_a, tmp_path):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from cfit.monitoring.models import PurchaseImport

    old = PurchaseImport.objects.create(
        report=report_a,
        original_name="old.csv",
        created_at=timezone.now() - timedelta(days=8),
    )
    old.file.save("old.csv", ContentFile(b"Product group,Quantity\n"))
    path = old.file.path
    recent = PurchaseImport.objects.create(report=report_a, original_name="new.csv")
    out = io.StringIO()
    call_command("clear_old_imports", stdout=out)
    assert out.getvalue().strip() == "1 old upload(s) deleted."
    assert list(PurchaseImport.objects.all()) == [recent]
    import os

    assert not os.path.exists(path)


def test_an_organisation_that_signed_during_the_year_is_not_reminded_of_it(
    period_due_in_7_days, procurer_a, organisation_a
):
    organisation_a.signatures.update(approved_on=datetime.date(2025, 5, 4))
    out = remind("--today", "2026-03-24")
    assert out.strip() == "0 reminder(s) to 0 organisation(s) sent."
