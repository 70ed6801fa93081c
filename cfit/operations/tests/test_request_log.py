import json
import logging

import pytest

from cfit.operations.logging import JsonFormatter


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.INFO, logger="cfit.requests")
    return caplog


def _records(caplog):
    return [r for r in caplog.records if r.name == "cfit.requests"]


@pytest.mark.django_db
def test_each_request_logs_one_line_with_its_id_status_and_duration(
    client, request_log
):
    response = client.get("/")
    records = _records(request_log)
    assert len(records) == 1
    record = records[0]
    assert record.status == 200
    assert record.path == "/"
    assert record.user_id is None
    assert record.duration_ms > 0
    assert record.request_id == response["X-Request-ID"]


@pytest.mark.django_db
def test_the_line_names_the_signed_in_person(client, procurer_a, request_log):
    client.force_login(procurer_a)
    client.get("/me/")
    assert [r.user_id for r in _records(request_log)][-1] == procurer_a.pk


@pytest.mark.django_db
def test_a_request_id_from_the_proxy_is_kept_and_a_strange_one_replaced(
    client, request_log
):
    kept = client.get("/", headers={"X-Request-ID": "proxy-abc-12345"})
    replaced = client.get("/", headers={"X-Request-ID": "<script>"})
    assert kept["X-Request-ID"] == "proxy-abc-12345"
    assert replaced["X-Request-ID"] != "<script>"
    assert len(replaced["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_the_json_format_writes_the_line_as_one_json_object(client, request_log):
    client.get("/no-such-page/")
    line = JsonFormatter().format(_records(request_log)[-1])
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["status"] == 404
    assert entry["logger"] == "cfit.requests"
    assert {"request_id", "user_id", "duration_ms", "time"} <= set(entry)


def test_log_format_json_sends_request_lines_through_the_json_formatter():
    import os
    import subprocess
    import sys

    code = (
        "import django, logging; django.setup(); "
        "h = logging.getLogger().handlers[0]; "
        "print(type(h.formatter).__name__, "
        "logging.getLogger('cfit.requests').getEffectiveLevel())"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **os.environ,
            "LOG_FORMAT": "json",
            "DJANGO_SETTINGS_MODULE": "cfit.settings",
            "DEBUG": "1",
        },
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert output == ["JsonFormatter", str(logging.INFO)]
