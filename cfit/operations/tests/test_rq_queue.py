"""The task queue in Redis (TASKS_BACKEND=rq): real tasks, real RQ workers.

Two `manage.py rqworker` processes take the tasks this process enqueues through
Django's tasks framework, on the suite's database. Marked `broker`: they run when
CFIT_TEST_BROKER=1 (CI), with Redis on 127.0.0.1:6379.
"""

import io
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from cfit.groups.models import Notice
from cfit.monitoring.models import ImportStatus, PurchaseImport
from cfit.monitoring.tasks import check_import
from cfit.monitoring.tests.factories import (
    PurchaseReportFactory,
    ReportingPeriodFactory,
)
from cfit.operations.tasks import heartbeat
from cfit.organisations.tasks import notify_signature_decided

from .processes import (
    environment,
    shared_database_url,
    start,
    stop,
    use_rq_here,
    wait_until,
    worker_command,
)

pytestmark = pytest.mark.broker

SLUG = "city-of-alphen"


@pytest.fixture
def rq_workers(tmp_path, settings):
    """Two RQ workers sharing this process's database, uploads folder and mail folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    env = environment(
        DATABASE_URL=shared_database_url(tmp_path, settings),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        EMAIL_BACKEND="file",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        **use_rq_here(settings),
    )
    # Their output stays beside the test's files, to read when a test fails.
    workers = [
        start(worker_command("rq", f"worker-{n}"), env, tmp_path / f"worker-{n}.log")
        for n in (1, 2)
    ]
    yield tmp_path / "mail"
    stop(workers)


def _status(purchase_import: PurchaseImport) -> str:
    purchase_import.refresh_from_db(fields=["status"])
    return purchase_import.status


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_uploaded_file_is_checked_and_stored_by_rq_workers(
    client, procurer_a, rq_workers, monkeypatch
):
    from cfit.monitoring import views

    monkeypatch.setattr(views, "BACKGROUND_FROM_BYTES", 10)  # every file queued
    ReportingPeriodFactory(year=2025)
    report = PurchaseReportFactory(
        organisation=procurer_a.memberships.get().organisation
    )
    file = io.BytesIO(b"Product group,Quantity\nlaptop,10\nlaptop,11\n")
    file.name = "purchases.csv"
    client.force_login(procurer_a)

    client.post(
        reverse("monitoring:upload", kwargs={"slug": SLUG, "year": 2025}),
        {"file": file},
    )
    purchase_import = PurchaseImport.objects.get()
    wait_until(lambda: _status(purchase_import) == ImportStatus.CHECKED)
    client.post(
        reverse(
            "monitoring:import-confirm",
            kwargs={"slug": SLUG, "year": 2025, "pk": purchase_import.pk},
        ),
        {"mode": "add"},
    )
    wait_until(lambda: _status(purchase_import) == ImportStatus.DONE)

    assert report.lines.count() == 2
    purchase_import.refresh_from_db()
    assert not purchase_import.file  # a stored file is not kept


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_notification_task_tells_the_member_and_its_email_goes_out(
    procurer_a, organisation_a, rq_workers
):
    signature = organisation_a.signatures.get()

    notify_signature_decided.enqueue(signature_id=signature.pk)

    # The worker writes the notice, then enqueues the email: another task, run too.
    wait_until(lambda: Notice.objects.filter(recipient=procurer_a).exists())
    wait_until(lambda: rq_workers.is_dir() and any(rq_workers.iterdir()))
    mail = "".join(path.read_text() for path in rq_workers.iterdir())
    assert "To: procurer.a@example.org" in mail
    assert Notice.objects.get(recipient=procurer_a).kind == "signature.decided"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_past_rqs_timeout_is_marked_failed_and_its_owner_told(
    procurer_a, organisation_a, rq_workers, settings
):
    ReportingPeriodFactory(year=2025)
    report = PurchaseReportFactory(organisation=organisation_a)
    rows = b"laptop,10\n" * 400_000  # seconds of reading: far past the timeout
    name = default_storage.save(
        "imports/big.csv", ContentFile(b"Product group,Quantity\n" + rows)
    )
    purchase_import = PurchaseImport.objects.create(
        report=report, file=name, original_name="big.csv", created_by=procurer_a
    )
    # RQ gives a task the timeout of the queue that enqueued it.
    settings.RQ_QUEUES["default"]["DEFAULT_TIMEOUT"] = 1

    check_import.enqueue(import_id=purchase_import.pk)

    # The owner is told last, after the import is marked failed and its file removed.
    wait_until(lambda: Notice.objects.filter(recipient=procurer_a).exists())
    purchase_import.refresh_from_db()
    assert purchase_import.status == ImportStatus.FAILED
    assert "went wrong on our side" in purchase_import.problems[0]
    assert not purchase_import.file  # removed
    notice = Notice.objects.get(recipient=procurer_a)
    assert notice.kind == "import.failed"
    assert "big.csv" in notice.text


@pytest.mark.django_db
def test_health_reports_the_rq_queue_and_a_task_waiting_too_long(
    client, secretariat, settings
):
    use_rq_here(settings)  # no worker runs: what is enqueued waits
    client.force_login(secretariat)
    heartbeat.enqueue()

    waiting = client.get("/health/")
    settings.HEALTH_TASK_MAX_WAIT_SECONDS = 0
    time.sleep(1.1)
    too_long = client.get("/health/")

    assert waiting.status_code == 200
    assert waiting.json()["checks"]["task queue"]["detail"].startswith("1 waiting")
    assert too_long.status_code == 503
    assert too_long.json()["checks"]["task queue"]["ok"] is False


@pytest.mark.django_db
def test_an_unreachable_broker_makes_the_site_unhealthy(client, settings):
    use_rq_here(settings)
    # Port 1 on loopback: nothing listens, the connection is refused at once.
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
