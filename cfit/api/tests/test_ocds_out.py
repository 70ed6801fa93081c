"""OCDS out: planned tenders of organisations that opted in, as an OCDS 1.1 release
package with the sustainability extension and CPV.

libcoveocds needs OCDS's schemas from standard.open-contracting.org at run time and
ships none, and the test machines have no outside network: the package is checked
here against the OCDS 1.1 rules it must meet (required fields, formats, codelists),
written out as a JSON Schema below.
"""

import jsonschema
import pytest

from cfit.api.services import consent_set
from cfit.criteria.models import CriterionKind
from cfit.criteria.tests.factories import approved_version
from cfit.monitoring.models import DemandForecast
from cfit.monitoring.tests.factories import product_group

pytestmark = pytest.mark.django_db

DATE_TIME = {"type": "string", "format": "date-time"}
ORGANISATION_REFERENCE = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
}
OCDS_1_1_PLANNING_PACKAGE = {
    "type": "object",
    "required": ["uri", "publisher", "publishedDate", "releases", "version"],
    "properties": {
        "uri": {"type": "string", "format": "uri"},
        "version": {"const": "1.1"},
        "publishedDate": DATE_TIME,
        "publisher": {"type": "object", "required": ["name"]},
        "license": {"type": "string", "format": "uri"},
        "publicationPolicy": {"type": "string", "format": "uri"},
        "extensions": {"type": "array", "items": {"type": "string", "format": "uri"}},
        "releases": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["ocid", "id", "date", "tag", "initiationType"],
                "properties": {
                    "ocid": {"type": "string", "pattern": "^ocds-[a-z0-9]{6}-"},
                    "id": {"type": "string", "minLength": 1},
                    "date": DATE_TIME,
                    "tag": {"type": "array", "items": {"enum": ["planning"]}},
                    "initiationType": {"const": "tender"},
                    "buyer": ORGANISATION_REFERENCE,
                    "parties": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["id", "name", "roles"],
                            "properties": {
                                "roles": {"type": "array", "items": {"enum": ["buyer"]}}
                            },
                        },
                    },
                    "tender": {
                        "type": "object",
                        "required": ["id"],
                        "properties": {
                            "status": {"enum": ["planning", "planned"]},
                            "mainProcurementCategory": {"enum": ["goods"]},
                            "items": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["id"],
                                    "properties": {
                                        "quantity": {"type": "number"},
                                        "classification": {
                                            "type": "object",
                                            "required": ["scheme", "id"],
                                            "properties": {
                                                "scheme": {"const": "CPV"},
                                                "id": {"pattern": "^[0-9]{8}$"},
                                            },
                                        },
                                    },
                                },
                            },
                            "tenderPeriod": {
                                "type": "object",
                                "properties": {
                                    "startDate": DATE_TIME,
                                    "endDate": DATE_TIME,
                                },
                            },
                            "hasSustainability": {"type": "boolean"},
                            "sustainability": {
                                "type": "array",
                                "minItems": 1,
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "goal": {
                                            "pattern": "^(environmental|social|economic|innovation)(\\.[A-Za-z]+)?$"
                                        },
                                        "strategies": {
                                            "type": "array",
                                            "minItems": 1,
                                            "uniqueItems": True,
                                            "items": {
                                                "enum": [
                                                    "awardCriteria",
                                                    "contractPerformanceConditions",
                                                    "marginOfPreference",
                                                    "selectionCriteria",
                                                    "technicalSpecifications",
                                                ]
                                            },
                                        },
                                    },
                                },
                            },
                            "documents": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["id"],
                                    "properties": {"url": {"format": "uri"}},
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


def _validate(package):
    jsonschema.validate(
        package,
        OCDS_1_1_PLANNING_PACKAGE,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


@pytest.fixture
def forecasts(organisation_a, organisation_b, procurer_a, procurer_b, secretariat):
    technical = approved_version(secretariat, code="LIFE-91")
    social = approved_version(
        secretariat,
        code="SOC-91",
        category="social",
        kind=CriterionKind.CONTRACT_CLAUSE,
    )
    mine = DemandForecast.objects.create(
        organisation=organisation_a,
        title="Alphen laptops 2027",
        product_group=product_group("laptop"),
        quantity=400,
        year=2027,
        quarter=2,
        level="base",
        created_by=procurer_a,
    )
    mine.criteria.set([technical.criterion, social.criterion])
    DemandForecast.objects.create(
        organisation=organisation_b,
        title="Bruges phones 2027",
        product_group=product_group("smartphone"),
        quantity=90,
        year=2027,
        level="base",
        created_by=procurer_b,
    )
    return mine


def test_only_planned_tenders_of_organisations_that_opted_in_are_published(
    client, forecasts, organisation_a, procurer_a
):
    assert client.get("/api/v1/ocds/planned-tenders").json()["releases"] == []
    consent_set(
        organisation=organisation_a, by=procurer_a, publish_planned_tenders=True
    )
    package = client.get("/api/v1/ocds/planned-tenders").json()
    assert [r["tender"]["title"] for r in package["releases"]] == [
        "Alphen laptops 2027"
    ]


def test_the_published_package_meets_ocds_1_1_with_sustainability_and_cpv(
    client, forecasts, organisation_a, procurer_a
):
    consent_set(
        organisation=organisation_a, by=procurer_a, publish_planned_tenders=True
    )
    package = client.get("/open-data/planned-tenders.ocds.json").json()
    _validate(package)
    [release] = package["releases"]
    tender = release["tender"]
    assert tender["items"][0]["classification"] == {
        "scheme": "CPV",
        "id": "30213100",
        "description": "Laptop (portable computer)",
    }
    assert tender["items"][0]["quantity"] == 400
    assert tender["tenderPeriod"]["startDate"] == "2027-04-01T00:00:00Z"
    goals = {s["goal"]: s["strategies"] for s in tender["sustainability"]}
    assert goals["environmental.circularEconomy"] == ["technicalSpecifications"]
    assert goals["social.humanRightsInSupplyChains"] == [
        "contractPerformanceConditions"
    ]
    assert package["extensions"] == [
        "https://raw.githubusercontent.com/open-contracting-extensions/"
        "ocds_sustainability_extension/master/extension.json"
    ]
    assert package["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_an_organisation_admin_opts_in_on_the_open_data_page(
    client, forecasts, procurer_a
):
    client.force_login(procurer_a)
    client.post("/open-data/consent/", {"publish_planned_tenders": "on"})
    assert len(client.get("/api/v1/ocds/planned-tenders").json()["releases"]) == 1
    client.post("/open-data/consent/", {})
    assert client.get("/api/v1/ocds/planned-tenders").json()["releases"] == []


def test_someone_outside_the_organisation_cannot_opt_it_in(client, outsider):
    client.force_login(outsider)
    assert (
        client.post(
            "/open-data/consent/", {"publish_planned_tenders": "on"}
        ).status_code
        == 404
    )
