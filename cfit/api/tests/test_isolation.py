"""A token of organisation A can neither read nor change organisation B's data, through
any endpoint: the test walks every operation of the OpenAPI document."""

import json
import re

import pytest

from cfit.api.api import api
from cfit.monitoring.models import DemandForecast, PurchaseLine, ReportingPeriod
from cfit.monitoring.tests.factories import (
    PurchaseLineFactory,
    PurchaseReportFactory,
    product_group,
)

from .conftest import bearer

pytestmark = pytest.mark.django_db

# A quantity no one else uses: if it shows up in A's answers, B's data leaked.
B_QUANTITY = 7771
B_YEAR = 2024


@pytest.fixture
def data_of_b(organisation_b, procurer_b):
    # Closed: A cannot start a 2024 report of its own, so every year path is B's.
    ReportingPeriod.objects.create(year=B_YEAR, deadline="2025-03-31", open=False)
    report = PurchaseReportFactory(organisation=organisation_b, year=B_YEAR)
    line = PurchaseLineFactory(report=report, quantity=B_QUANTITY, country_of_use="BE")
    DemandForecast.objects.create(
        organisation=organisation_b,
        title="Bruges laptops 2027",
        product_group=product_group("laptop"),
        quantity=B_QUANTITY,
        year=2027,
        level="base",
        created_by=procurer_b,
    )
    return line


def _secured_operations():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if operation.get("security"):
                yield path, method


def _fill(path: str, line: PurchaseLine) -> str:
    path = path.replace("/api/v1", "")
    path = path.replace("{year}", str(B_YEAR)).replace("{line_id}", str(line.pk))
    assert not re.search(r"{\w+}", path), f"the test does not know {path}"
    return "/api/v1" + path


BODIES = {
    "post": {"product_group": "laptop", "quantity": 1},
    "patch": {"version": 1, "quantity": 1},
}


def test_a_token_of_a_cannot_read_or_change_bs_data_through_any_endpoint(
    client, token_a, report_a, data_of_b
):
    before = json.dumps(
        list(PurchaseLine.objects.filter(pk=data_of_b.pk).values()), default=str
    )
    walked = []
    for path, method in _secured_operations():
        url = _fill(path, data_of_b)
        body = BODIES.get(method)
        if path.endswith("/bulk"):
            body = {"lines": [BODIES["post"]]}
        if method == "delete":
            url += "?version=1"
        response = getattr(client, method)(
            url,
            json.dumps(body) if body else None,
            content_type="application/json",
            headers=bearer(token_a),
        )
        text = response.content.decode()
        assert str(B_QUANTITY) not in text, f"{method} {url} shows B's data"
        assert "Bruges" not in text, f"{method} {url} shows B's data"
        if "{" in path:
            assert response.status_code == 404, f"{method} {url}: {text[:300]}"
        walked.append((method, path))
    assert len(walked) >= 12
    after = json.dumps(
        list(PurchaseLine.objects.filter(pk=data_of_b.pk).values()), default=str
    )
    assert after == before
    assert not PurchaseLine.objects.filter(
        report__organisation=data_of_b.report.organisation
    ).exclude(pk=data_of_b.pk)


def test_b_reads_its_own_line_with_its_own_token(client, token_b, data_of_b):
    response = client.get(f"/api/v1/lines/{data_of_b.pk}", headers=bearer(token_b))
    assert response.status_code == 200
    assert response.json()["quantity"] == B_QUANTITY
