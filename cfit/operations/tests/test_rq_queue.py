"""The task queue in Redis (TASKS_BACKEND=rq): real tasks, real RQ workers.

Two `manage.py rqworker` processes take the tasks this process enqueues through
Django's tasks framework, on the suite's database. Marked `broker`: they run when
CFIT_TEST_BROKER=1 (CI), with Redis on 127.0.0.1:6379.
"""

import io
import time

import pytest
from django.urls import reverse

from cfit.groups.models import Notice
from cfit.monitoring.models import ImportStatus, PurchaseImport
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
    workers = [start(worker_command("rq", f"worker-{n}"), env) for n in (1, 2)]
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
