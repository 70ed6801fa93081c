"""Open data: CSV and JSON at stable addresses, with licence, FactorSet and a
data-package descriptor that lists every field."""

import csv
import io

import pytest

from cfit.api.models import OpenDataSettings

pytestmark = pytest.mark.django_db


def test_the_signatory_list_is_open_data_as_csv(client, organisation_a):
    response = client.get("/open-data/signatories.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'rel="license"' in response["Link"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["organisation"], r["country"]) for r in rows] == [
        ("City of Alphen", "NL")
    ]


def test_every_dataset_has_json_with_licence_and_factorset(client):
    for name in ("pact-figures", "criteria", "signatories"):
        body = client.get(f"/open-data/{name}.json").json()
        assert body["licence"]["name"] == "CC-BY-4.0"
        assert "factorset" in body
        assert [f["name"] for f in body["fields"]]


def test_the_licence_is_the_one_the_secretariat_sets(client):
    OpenDataSettings.objects.create(
        pk=1,
        licence_name="ODbL-1.0",
        licence_title="Open Data Commons Open Database License",
        licence_url="https://opendatacommons.org/licenses/odbl/1-0/",
    )
    assert (
        client.get("/open-data/criteria.json").json()["licence"]["name"] == "ODbL-1.0"
    )


def test_the_data_package_lists_every_resource_with_its_fields(client):
    package = client.get("/open-data/datapackage.json").json()
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == {"pact-figures", "criteria", "signatories"}
    for resource in resources.values():
        header = client.get(resource["path"].replace("http://testserver", "")).content
        names = header.decode().splitlines()[0].split(",")
        assert names == [f["name"] for f in resource["schema"]["fields"]]


def test_public_figures_in_open_data_hide_cells_of_fewer_than_three_organisations(
    client, organisation_a, period
):
    from cfit.monitoring.tests.factories import (
        PurchaseLineFactory,
        PurchaseReportFactory,
    )

    report = PurchaseReportFactory(
        organisation=organisation_a, year=2025, status="submitted"
    )
    PurchaseLineFactory(report=report, quantity=4321)
    text = client.get("/open-data/pact-figures.csv").content.decode()
    assert "4321" not in text


def test_an_unknown_dataset_is_404(client):
    assert client.get("/open-data/secrets.csv").status_code == 404


def test_the_open_data_page_lists_the_files(client):
    page = client.get("/open-data/").content.decode()
    assert "/open-data/criteria.csv" in page
    assert "/open-data/datapackage.json" in page
