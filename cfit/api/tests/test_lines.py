"""Lines through the API: the same checks as the file import, versions, history."""

import pytest

from cfit.api.models import TokenChange
from cfit.monitoring.models import ChangeAction, PurchaseLine, ReportChange

from .conftest import bearer

pytestmark = pytest.mark.django_db


def test_a_token_lists_its_organisations_lines(client, token_a, report_a):
    response = client.get("/api/v1/reports/2025/lines", headers=bearer(token_a))
    assert response.status_code == 200
    body = response.json()
    assert [line["quantity"] for line in body["items"]] == [25]
    assert body["next_cursor"] is None


def test_lines_come_a_page_at_a_time_with_a_cursor(client, token_a, report_a):
    from cfit.monitoring.tests.factories import PurchaseLineFactory

    for quantity in (1, 2, 3):
        PurchaseLineFactory(report=report_a, quantity=quantity)
    first = client.get(
        "/api/v1/reports/2025/lines?limit=2", headers=bearer(token_a)
    ).json()
    second = client.get(
        f"/api/v1/reports/2025/lines?limit=2&cursor={first['next_cursor']}",
        headers=bearer(token_a),
    ).json()
    assert [line["quantity"] for line in first["items"] + second["items"]] == [
        25,
        1,
        2,
        3,
    ]
    assert second["next_cursor"] is None


def test_a_line_created_through_the_api_is_stored_and_in_the_history_with_the_token_name(
    client, token_a, report_a
):
    response = client.post(
        "/api/v1/reports/2025/lines",
        {
            "product_group": "laptop",
            "quantity": 12,
            "condition": "refurbished",
            "ecolabels": ["tco-certified"],
            "spend_eur": "4800.50",
        },
        content_type="application/json",
        headers=bearer(token_a),
    )
    assert response.status_code == 201, response.content
    line = PurchaseLine.objects.get(pk=response.json()["id"])
    assert (line.quantity, line.condition, line.country_of_use) == (
        12,
        "refurbished",
        "NL",
    )
    change = ReportChange.objects.get(line_id=line.pk, action=ChangeAction.LINE_ADDED)
    assert change.token_use.token_name == "read_write token"
    history = client.get("/api/v1/reports/2025/history", headers=bearer(token_a)).json()
    assert history["items"][-1]["token"] == "read_write token"


def test_a_bad_line_gets_the_file_imports_row_errors_and_nothing_is_stored(
    client, token_a, report_a
):
    response = client.post(
        "/api/v1/reports/2025/lines",
        {"product_group": "toaster", "quantity": "many"},
        content_type="application/json",
        headers=bearer(token_a),
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    errors = {e["column"]: e["detail"] for e in response.json()["errors"]}
    assert "unknown product group" in errors["product_group"]
    assert "not a whole number" in errors["quantity"]
    assert report_a.lines.count() == 1


def test_bulk_create_stores_every_line(client, token_a, report_a):
    response = client.post(
        "/api/v1/reports/2025/lines/bulk",
        {
            "lines": [
                {"product_group": "laptop", "quantity": 3},
                {"product_group": "smartphone", "quantity": 4, "condition": "reused"},
            ]
        },
        content_type="application/json",
        headers=bearer(token_a),
    )
    assert response.status_code == 201, response.content
    assert response.json()["lines"] == 2
    assert report_a.lines.count() == 3
    change = ReportChange.objects.get(report=report_a, action=ChangeAction.IMPORTED)
    assert TokenChange.objects.get(change=change).token_name == "read_write token"


def test_bulk_create_is_all_or_nothing_with_row_numbers(client, token_a, report_a):
    response = client.post(
        "/api/v1/reports/2025/lines/bulk",
        {
            "lines": [
                {"product_group": "laptop", "quantity": 3},
                {"product_group": "laptop", "quantity": 0},
                {"product_group": "laptop", "quantity": 2, "country_of_use": "XX"},
            ]
        },
        content_type="application/json",
        headers=bearer(token_a),
    )
    assert response.status_code == 400
    errors = [(e["row"], e["column"]) for e in response.json()["errors"]]
    assert errors == [(2, "quantity"), (3, "country_of_use")]
    assert "row 2, column Quantity" in response.json()["errors"][0]["message"]
    assert report_a.lines.count() == 1


def test_a_change_with_the_current_version_is_stored(client, token_a, report_a):
    line = report_a.lines.get()
    response = client.patch(
        f"/api/v1/lines/{line.pk}",
        {"version": line.version, "quantity": 30},
        content_type="application/json",
        headers=bearer(token_a),
    )
    assert response.status_code == 200, response.content
    line.refresh_from_db()
    assert (line.quantity, line.version) == (30, 2)
    assert ReportChange.objects.get(action=ChangeAction.LINE_CHANGED).token_use


def test_a_change_based_on_a_stale_version_is_a_409_and_nothing_changes(
    client, token_a, report_a
):
    line = report_a.lines.get()
    response = client.patch(
        f"/api/v1/lines/{line.pk}",
        {"version": line.version + 5, "quantity": 30},
        content_type="application/json",
        headers=bearer(token_a),
    )
    assert response.status_code == 409
    assert response.json()["current"]["quantity"] == 25
    line.refresh_from_db()
    assert line.quantity == 25


def test_a_delete_needs_the_current_version(client, token_a, report_a):
    line = report_a.lines.get()
    stale = client.delete(f"/api/v1/lines/{line.pk}?version=9", headers=bearer(token_a))
    assert stale.status_code == 409
    done = client.delete(
        f"/api/v1/lines/{line.pk}?version={line.version}", headers=bearer(token_a)
    )
    assert done.status_code == 204
    assert not report_a.lines.exists()


def test_a_read_only_token_cannot_write(client, read_token_a, report_a):
    response = client.post(
        "/api/v1/reports/2025/lines",
        {"product_group": "laptop", "quantity": 1},
        content_type="application/json",
        headers=bearer(read_token_a),
    )
    assert response.status_code == 403
    assert report_a.lines.count() == 1


def test_a_write_must_be_json(client, token_a, report_a):
    response = client.post(
        "/api/v1/reports/2025/lines",
        "product_group=laptop&quantity=1",
        content_type="application/x-www-form-urlencoded",
        headers=bearer(token_a),
    )
    assert response.status_code == 415
    assert report_a.lines.count() == 1


def test_a_submitted_report_is_locked_for_the_api_too(client, token_a, report_a):
    report_a.status = "submitted"
    report_a.save()
    response = client.post(
        "/api/v1/reports/2025/lines",
        {"product_group": "laptop", "quantity": 1},
        content_type="application/json",
        headers=bearer(token_a),
    )
    assert response.status_code == 409
    assert "locked" in response.json()["detail"]


def test_a_body_too_large_is_a_413_problem(client, settings, token_a, report_a):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 200
    response = client.post(
        "/api/v1/reports/2025/lines/bulk",
        {"lines": [{"product_group": "laptop", "quantity": 1}] * 20},
        content_type="application/json",
        headers=bearer(token_a),
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"


def test_the_report_history_page_names_the_token_that_made_a_change(
    client, procurer_a, token_a, report_a
):
    client.post(
        "/api/v1/reports/2025/lines",
        {"product_group": "laptop", "quantity": 2},
        content_type="application/json",
        headers=bearer(token_a),
    )
    client.force_login(procurer_a)
    page = client.get("/reports/city-of-alphen/2025/history/").content.decode()
    assert "with the API token “read_write token”" in page


def test_a_refused_line_starts_no_report_for_an_open_year(client, token_a, period):
    from cfit.monitoring.models import PurchaseReport

    response = client.post(
        "/api/v1/reports/2025/lines/bulk",
        {"lines": [{"product_group": "toaster", "quantity": 1}]},
        content_type="application/json",
        headers=bearer(token_a),
    )
    assert response.status_code == 400
    assert not PurchaseReport.objects.exists()
