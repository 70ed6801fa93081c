import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from cfit.criteria import services
from cfit.criteria.models import Criterion, CriterionVersion, ProductGroup

pytestmark = pytest.mark.django_db
LIST = "/criteria/"


def codes(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {v.criterion.code for v in response.context["page"].object_list}


def test_the_list_shows_all_39_starting_criteria(client):
    response = client.get(LIST)
    assert response.context["total"] == 39


def test_full_text_search_needs_every_word(client):
    assert codes(client.get(LIST, {"q": "spare parts"})) == {"LIFE-04"}
    found = codes(client.get(LIST, {"q": "IEC EN 61960"}))
    assert found == {"BATT-01", "BATT-04"}
    assert client.get(LIST, {"q": "no-such-word"}).context["total"] == 0


@pytest.mark.parametrize(
    ("filters", "expected_in", "expected_out"),
    [
        ({"product_group": "smartphone"}, "LIFE-07", "ENER-01"),
        ({"category": "social"}, "FAIR-01", "LIFE-01"),
        ({"kind": "contract_clause"}, "LIFE-03", "LIFE-01"),
        ({"level": "frontrunner"}, "CLIM-02", "LIFE-01"),
        ({"source": "pact_working_group"}, "FAIR-04", "FAIR-01"),
        ({"ecolabel": "tco-certified-edge"}, "EOL-04", "LIFE-01"),
    ],
)
def test_each_filter_narrows_the_list(client, filters, expected_in, expected_out):
    found = codes(client.get(LIST, filters))
    assert expected_in in found and expected_out not in found


def test_a_filter_change_by_htmx_returns_only_the_results(client):
    response = client.get(LIST, {"level": "base"}, headers={"HX-Request": "true"})
    assert 'id="results"' in response.text
    assert "<footer" not in response.text


def test_a_criterion_page_shows_text_verification_source_and_history(client):
    page = client.get("/criteria/BATT-01/").text
    assert "keeps at least 80 % of its rated capacity after 500 full charge" in page
    assert "TCO Certified" in page
    assert "EU GPP TS6" in page
    assert "Version 1 (shown)" in page
    assert "300–1500" in page


def test_the_base_page_lists_only_base_criteria_of_the_product_group(client):
    response = client.get(reverse("criteria:base", args=["smartphone"]))
    text = response.text
    assert "LIFE-01" in text and "BATT-02" in text
    assert "LIFE-02" not in text  # ambitious
    assert "ENER-01" not in text  # laptops only
    assert "Also in the base when a lot buys refurbished devices" in text


def test_product_groups_not_yet_in_scope_are_marked_and_new_ones_appear(client):
    ProductGroup.objects.create(
        code="server", name="Server", baseline_lifetime_years=5, cpv_codes="48820000-2"
    )
    text = client.get(reverse("criteria:product-groups")).text
    assert (
        text.count("Not yet in the Pact scope") == 4
    )  # tablet, desktop, display, server
    assert "Server" in text
    builder = client.get("/criteria/tender-builder/").text
    assert "Server (not yet in the Pact scope)" in builder
    assert "Server" in client.get(LIST).text


CSV_HEADER = "code,title,product_groups,category,kind,level,tender_text,source,ecolabels,parameters\n"


def test_an_import_with_an_unknown_product_group_says_where_and_saves_nothing(
    secretariat,
):
    data = (
        CSV_HEADER
        + 'TEST-01,Good one,laptop,lifetime,Technical specification,base,"Text {years}.",eu_gpp_2021,,years|Years|years|integer|3|2|7\n'
        + "TEST-02,Bad one,laptop tablett,lifetime,award,base,Text,eu_gpp_2021,,\n"
    ).encode()
    with pytest.raises(ValidationError) as error:
        services.criteria_import(by=secretariat, data=data)
    assert error.value.messages == [
        "Row 3, column product_groups: Unknown product group tablett. Known product "
        "groups: laptop, smartphone, tablet, desktop, display."
    ]
    assert not Criterion.objects.filter(code__startswith="TEST").exists()


def test_an_import_makes_drafts_for_new_criteria_and_new_versions(secretariat):
    data = (
        CSV_HEADER
        + 'TEST-01,New one,laptop smartphone,lifetime,technical_specification,ambitious,"Text {years}.",eu_gpp_2021,tco-certified,years|Years|years|integer|3|2|7\n'
        + "LIFE-03,Service reports,laptop,lifetime,contract_clause,base,Reports every year.,eu_gpp_2021,,\n"
    ).encode()
    versions = services.criteria_import(by=secretariat, data=data)
    assert [(v.criterion.code, v.number, v.status) for v in versions] == [
        ("TEST-01", 1, "draft"),
        ("LIFE-03", 2, "draft"),
    ]
    assert versions[0].parameters.get().maximum == 7


def test_the_import_page_shows_every_problem_and_saves_nothing(client, secretariat):
    client.force_login(secretariat)
    upload = SimpleUploadedFile(
        "criteria.csv",
        (CSV_HEADER + "bad,,laptop,colour,award,base,,eu_gpp_2021,,\n").encode(),
    )
    response = client.post(reverse("criteria:import"), {"file": upload})
    assert "Nothing was imported" in response.text
    assert "Row 2, column code" in response.text
    assert CriterionVersion.objects.count() == 39


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=120))
def test_reading_parameters_either_works_or_says_why(cell):
    try:
        specs = services.parse_parameters(cell)
    except ValidationError as error:
        assert error.messages
    else:
        assert all(spec.name for spec in specs)


def test_the_ecolabels_page_lists_the_criteria_each_label_proves(client):
    proofs = {
        p.ecolabel.code: {v.criterion.code for v in p.versions}
        for p in client.get(reverse("criteria:ecolabels")).context["proofs"]
    }
    assert proofs["tco-certified-edge"] == {"EOL-04"}
    assert {"SUBS-01"} <= proofs["blue-angel"]
    assert proofs["eu-ecolabel"] == set()
