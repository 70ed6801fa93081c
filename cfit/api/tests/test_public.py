"""Public endpoints: open to anyone, the publication rule applied, errors as problems."""

import pytest

from cfit.monitoring.tests.factories import PurchaseLineFactory, PurchaseReportFactory
from cfit.organisations.tests.factories import signatory

pytestmark = pytest.mark.django_db


def test_product_groups_are_public_with_their_cpv_codes(client):
    response = client.get("/api/v1/product-groups")
    assert response.status_code == 200
    laptop = next(g for g in response.json() if g["code"] == "laptop")
    assert laptop["cpv_codes"] == ["30213100-6"]


def test_signatories_are_the_approved_ones(client, organisation_a):
    response = client.get("/api/v1/signatories?country=nl")
    assert response.status_code == 200
    assert [s["organisation"] for s in response.json()["items"]] == ["City of Alphen"]


def _reporting(count: int) -> None:
    for number in range(count):
        organisation = signatory(
            name=f"Town {number}", slug=f"town-{number}", country="NL"
        )
        report = PurchaseReportFactory(
            organisation=organisation, year=2025, status="submitted"
        )
        PurchaseLineFactory(report=report, quantity=10 + number)


def test_figures_of_fewer_than_three_organisations_are_not_shown(client):
    _reporting(2)
    body = client.get("/api/v1/figures").json()
    assert body["protected"] is True
    assert body["headlines"] == []
    devices = next(
        f for f in body["figures"] if f["slug"] == "devices-by-product-group"
    )
    assert all(v is None for s in devices["series"] for v in s["values"])


def test_figures_of_three_organisations_are_shown(client):
    _reporting(3)
    body = client.get("/api/v1/figures").json()
    devices = next(h for h in body["headlines"] if h["unit"] == "devices")
    assert devices["value"] == 10 + 11 + 12


def test_a_bad_filter_is_a_400_problem(client):
    response = client.get("/api/v1/figures?year_from=1200")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 400


def test_a_bad_cursor_is_a_400_problem(client):
    response = client.get("/api/v1/criteria?cursor=nonsense")
    assert response.status_code == 400
    assert response.json()["type"].endswith("/bad-request")


def test_an_unknown_address_is_a_404_problem(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_an_unknown_criterion_is_a_404_problem(client):
    response = client.get("/api/v1/criteria/NOPE-99")
    assert response.status_code == 404
    assert response.json()["title"]


def test_the_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/reports/{year}/lines/bulk" in response.json()["paths"]


def test_the_interactive_docs_load_everything_from_the_site(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.casefold()
    assert "https://" not in page.split("<main")[1].split("</main>")[0]


def test_methodology_names_the_current_factorset(client):
    body = client.get("/api/v1/methodology").json()
    versions = [f["version"] for f in client.get("/api/v1/factorsets").json()]
    if body["current_factorset"]:
        assert body["current_factorset"]["version"] in versions
    assert {i["key"] for i in body["indicators"]} == {"gwp_kg", "adpe_kg_sb"}
