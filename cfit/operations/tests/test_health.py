from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # Port 1 on loopback: nothing listens, the connection is refused at once.
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


def _waiting_task(*, waited: timedelta) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="cfit.monitoring.tasks.send_report_reminders",
        backend_name="default",
        run_after=get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - waited)
    return task


@pytest.mark.django_db
def test_a_healthy_site_answers_200_and_tells_a_visitor_only_that(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_staff_see_each_check_with_its_detail(client, secretariat):
    client.force_login(secretariat)
    checks = client.get("/health/").json()["checks"]
    assert set(checks) == {"database", "cache", "task queue"}
    assert all(check["ok"] for check in checks.values())


@pytest.mark.django_db
def test_an_unreachable_cache_makes_the_site_unhealthy_without_saying_why_to_visitors(
    client, settings
):
    settings.CACHES = UNREACHABLE_REDIS
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


@pytest.mark.django_db
def test_a_procurer_is_not_told_the_details_either(client, procurer_a, settings):
    settings.TASKS = DATABASE_TASKS
    _waiting_task(waited=timedelta(hours=2))
    client.force_login(procurer_a)
    response = client.get("/health/")
    assert response.status_code == 503
    assert "checks" not in response.json()


@pytest.mark.django_db
def test_a_task_waiting_too_long_for_a_worker_makes_the_queue_unhealthy(
    client, secretariat, settings
):
    settings.TASKS = DATABASE_TASKS
    settings.HEALTH_TASK_MAX_WAIT_SECONDS = 600
    _waiting_task(waited=timedelta(minutes=30))
    client.force_login(secretariat)
    response = client.get("/health/")
    assert response.status_code == 503
    queue = response.json()["checks"]["task queue"]
    assert queue["ok"] is False
    assert "1 waiting" in queue["detail"]


@pytest.mark.django_db
def test_a_task_just_enqueued_leaves_the_queue_healthy(client, secretariat, settings):
    settings.TASKS = DATABASE_TASKS
    _waiting_task(waited=timedelta(seconds=5))
    client.force_login(secretariat)
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"]["task queue"]["detail"].startswith("1 waiting")


@pytest.mark.django_db
def test_health_answers_only_reads(client):
    assert client.post("/health/").status_code == 405
