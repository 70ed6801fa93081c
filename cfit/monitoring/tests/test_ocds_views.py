"""The OCDS import pages: upload, complete what OCDS lacks, store with the report."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cfit.monitoring.models import PurchaseLine, PurchaseReport

PACKAGE = Path(__file__).parent / "data" / "ocds_release_package.json"
UPLOAD = "/reports/city-of-alphen/2025/ocds/"
COMPLETE = "/reports/city-of-alphen/2025/ocds/complete/"

pytestmark = pytest.mark.django_db


def _upload(client):
    return client.post(
        UPLOAD,
        {
            "file": SimpleUploadedFile(
                "portal.json", PACKAGE.read_bytes(), "application/json"
            )
        },
    )


def _completion(**overrides):
    data = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "3"}
    for index, quantity in enumerate((100, 50, 20)):
        data |= {
            f"form-{index}-include": "on",
            f"form-{index}-quantity": str(quantity),
            f"form-{index}-condition": "new",
        }
    data |= {
        "form-2-condition": "refurbished",
        "form-0-expected_lifetime_years": "6",
        "form-0-ecolabels": ["tco-certified"],
    }
    return data | overrides


def test_a_procurer_uploads_a_package_completes_the_lines_and_stores_them(
    client, procurer_a, period
):
    client.force_login(procurer_a)
    response = _upload(client)
    assert response.status_code == 302
    page = client.get(COMPLETE)
    assert page.status_code == 200
    assert "ocds-ex4mpl-2025-calloff-7/1" in page.content.decode()
    response = client.post(COMPLETE, _completion())
    assert response.status_code == 302, response.content.decode()[:2000]
    lines = PurchaseLine.objects.order_by("tender_reference")
    assert [(line.tender_reference, line.condition) for line in lines] == [
        ("ocds-ex4mpl-2025-001/1", "new"),
        ("ocds-ex4mpl-2025-001/2", "new"),
        ("ocds-ex4mpl-2025-calloff-7/1", "refurbished"),
    ]
    first = lines[0]
    assert first.expected_lifetime_years == 6
    assert first.has_ecolabel
    assert first.spend_eur == 80000
    # The same file again proposes nothing.
    _upload(client)
    assert "proposes no new lines" in client.get(COMPLETE).content.decode()


def test_lines_left_out_are_not_stored(client, procurer_a, period):
    client.force_login(procurer_a)
    _upload(client)
    client.post(COMPLETE, _completion(**{"form-1-include": ""}))
    assert PurchaseLine.objects.count() == 2


def test_a_problem_in_a_line_stores_nothing_and_says_which_line(
    client, procurer_a, period
):
    client.force_login(procurer_a)
    _upload(client)
    response = client.post(COMPLETE, _completion(**{"form-1-quantity": ""}))
    assert response.status_code == 200
    assert "Line 2" in response.content.decode()
    assert not PurchaseLine.objects.exists()
    assert not PurchaseReport.objects.exists()


def test_a_file_that_is_not_ocds_is_refused_on_the_page(client, procurer_a, period):
    client.force_login(procurer_a)
    response = client.post(
        UPLOAD, {"file": SimpleUploadedFile("x.json", b"[1, 2]", "application/json")}
    )
    assert response.status_code == 200
    assert "not an OCDS release or record package" in response.content.decode()


def test_another_organisations_procurer_cannot_open_the_import(
    client, procurer_b, period
):
    client.force_login(procurer_b)
    assert client.get(UPLOAD).status_code == 404
    assert client.get(COMPLETE).status_code == 404
