"""OCDS in: a package from a national portal proposes exactly the lines it should."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cfit.criteria.models import ProductGroup
from cfit.monitoring import ocds
from cfit.monitoring.models import PurchaseLine, PurchaseReport

PACKAGE = Path(__file__).parent / "data" / "ocds_release_package.json"

EXPECTED = [
    ("ocds-ex4mpl-2025-001/1", "laptop", 100, "80000.00", "EUR"),
    ("ocds-ex4mpl-2025-001/2", "smartphone", 50, "15000.00", "EUR"),
    ("ocds-ex4mpl-2025-calloff-7/1", "laptop", 20, "19000.00", "EUR"),
]


def _proposed(organisation, year=2025):
    proposal = ocds.propose_from_file(
        PACKAGE.read_bytes(), organisation=organisation, year=year
    )
    return proposal, [
        (p.tender_reference, p.product_group, p.quantity, p.amount, p.currency)
        for p in proposal.lines
    ]


@pytest.mark.django_db
def test_the_package_proposes_laptops_smartphones_and_the_call_off_and_nothing_else(
    organisation_a,
):
    proposal, lines = _proposed(organisation_a)
    assert lines == EXPECTED
    # The office chair and the paper are not devices; the framework itself buys nothing.
    assert proposal.unrelated == 2
    assert proposal.frameworks == 1


@pytest.mark.django_db
def test_a_second_import_of_the_same_package_proposes_nothing_already_stored(
    organisation_a,
):
    out = io.StringIO()
    call_command(
        "import_ocds",
        str(PACKAGE),
        organisation=organisation_a.slug,
        year=2025,
        stdout=out,
    )
    assert "3 lines stored" in out.getvalue()
    report = PurchaseReport.objects.get(organisation=organisation_a, year=2025)
    assert sorted(report.lines.values_list("tender_reference", "quantity")) == sorted(
        (reference, quantity) for reference, _g, quantity, _a, _c in EXPECTED
    )
    again = io.StringIO()
    call_command(
        "import_ocds",
        str(PACKAGE),
        organisation=organisation_a.slug,
        year=2025,
        stdout=again,
    )
    assert "0 lines proposed, 3 already stored" in again.getvalue()
    assert report.lines.count() == 3


@pytest.mark.django_db
def test_a_dry_run_stores_nothing(organisation_a):
    out = io.StringIO()
    call_command(
        "import_ocds",
        str(PACKAGE),
        organisation=organisation_a.slug,
        year=2025,
        dry_run=True,
        stdout=out,
    )
    assert "3 lines proposed" in out.getvalue()
    assert not PurchaseLine.objects.exists()


@pytest.mark.django_db
def test_items_of_another_year_are_not_proposed_for_this_one(organisation_a):
    proposal, lines = _proposed(organisation_a, year=2024)
    assert lines == []
    assert proposal.other_years == 3


@pytest.mark.django_db
def test_a_record_package_with_compiled_releases_is_read_too(organisation_a):
    releases = json.loads(PACKAGE.read_text())["releases"]
    compiled = ocds.compiled_releases({"releases": releases})
    package = {"records": [{"ocid": r["ocid"], "compiledRelease": r} for r in compiled]}
    proposal = ocds.propose(
        ocds.compiled_releases(package), organisation=organisation_a, year=2025
    )
    assert [p.tender_reference for p in proposal.lines] == [e[0] for e in EXPECTED]


@pytest.mark.django_db
def test_a_cpv_code_maps_to_a_product_group_through_its_parents():
    laptop = ProductGroup.objects.get(code="laptop")
    mapping = ocds.cpv_mapping()
    assert ocds.product_group_of("30213100", mapping) == laptop
    # A more precise code below the laptop's belongs to it...
    assert ocds.product_group_of("30213110", mapping) == laptop
    # ...but the broader "portable computers" code is not a laptop by itself.
    assert ocds.product_group_of("30213000", mapping) is None


@pytest.mark.django_db
def test_a_code_the_secretariat_maps_to_a_product_group_is_proposed(organisation_a):
    laptop = ProductGroup.objects.get(code="laptop")
    laptop.cpv_codes += ", 30197000-6"  # small office equipment, for the test
    laptop.save()
    proposal, lines = _proposed(organisation_a)
    assert "ocds-ex4mpl-2025-paper/1" in [line[0] for line in lines]


@pytest.mark.django_db
def test_a_file_that_is_not_ocds_is_refused_in_words(organisation_a):
    with pytest.raises(ocds.PackageRefused, match="not JSON"):
        ocds.propose_from_file(b"%PDF-1.4", organisation=organisation_a, year=2025)
    with pytest.raises(ocds.PackageRefused, match="releases"):
        ocds.propose_from_file(b'{"a": 1}', organisation=organisation_a, year=2025)


@given(st.text(max_size=12))
def test_cpv_parents_never_fail_and_end_at_the_division(code):
    parents = list(ocds.cpv_parents(code.ljust(8, "0")[:8]))
    assert all(len(p) == 8 for p in parents)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "releases",
                    "records",
                    "ocid",
                    "id",
                    "date",
                    "awards",
                    "contracts",
                    "items",
                    "classification",
                    "quantity",
                    "status",
                    "unit",
                    "value",
                    "amount",
                    "compiledRelease",
                    "tender",
                    "relatedProcesses",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=25,
)


@pytest.mark.django_db
@given(JSON)
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_json_is_read_or_refused_in_words_never_a_crash(organisation_a, data):
    try:
        ocds.propose_from_file(
            json.dumps(data).encode(), organisation=organisation_a, year=2025
        )
    except ocds.PackageRefused as refused:
        assert str(refused)
