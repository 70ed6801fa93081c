"""The publication rule, walked over every page, export and panel that shows figures.

The data: three organisations bought laptops, and one of them alone bought 777
refurbished smartphones. That one cell must never be readable by anyone outside that
organisation: not on a page, not in a CSV, XLSX or PDF, not in a panel.
"""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.template import Context, Template
from django.urls import reverse
from pypdf import PdfReader

from cfit.impact.models import FactorSet
from cfit.impact.selectors import impact_by, pact_impact
from cfit.impact.templatetags.impact import figure
from cfit.monitoring.models import PurchaseLine
from cfit.monitoring.tests.factories import buyer_group_of
from cfit.organisations.tests.factories import signatory

from .conftest import report_with

pytestmark = pytest.mark.django_db

ALONE = 777  # the smartphones only organisation C bought


@pytest.fixture
def one_cell_of_one_organisation(
    organisation_a, organisation_b, coordinating_organisation
):
    organisation_c = signatory(
        name="Province of Ceres", slug="province-of-ceres", country="NL"
    )
    report_with(
        organisation_a, {"quantity": 10, "expected_lifetime_years": Decimal("5")}
    )
    report_with(
        organisation_b, {"quantity": 20, "expected_lifetime_years": Decimal("4")}
    )
    report_with(
        organisation_c,
        {"quantity": 30, "expected_lifetime_years": Decimal("6")},
        {
            "product_group": "smartphone",
            "quantity": ALONE,
            "condition": "refurbished",
            "expected_lifetime_years": Decimal("3"),
        },
    )
    buyer_group_of(
        coordinating_organisation,
        organisation_a,
        organisation_b,
        organisation_c,
        slug="west",
    )
    return organisation_c


def _secrets():
    """Texts that would give the lone cell away: its devices and its figures."""
    lone = impact_by(PurchaseLine.objects.filter(quantity=ALONE)).total
    return [
        str(ALONE),
        figure(lone.footprint.gwp_kg),
        figure(lone.saving.gwp_kg),
        figure(lone.baseline.gwp_kg),
    ]


def _text(response) -> str:
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    kind = response.get("Content-Type", "")
    if "pdf" in kind:
        return " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(content)).pages
        )
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return " ".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return content.decode()


def _figure_urls():
    version = FactorSet.objects.current().version
    pact = reverse("dashboards:pact")
    return [
        reverse("home"),
        reverse("impact:pact"),
        reverse("impact:factorset", args=[version]),
        pact,
        f"{pact}?download=csv",
        f"{pact}?download=xlsx",
        f"{pact}?product_group=smartphone",
        f"{pact}?product_group=smartphone&download=csv",
        reverse("dashboards:pact-report", args=[2025]),
    ]


def _member_urls():
    group = reverse("dashboards:group", args=["west"])
    return [
        reverse("impact:group", args=["west"]),
        group,
        f"{group}?download=csv",
        f"{group}?download=xlsx",
        f"{group}?product_group=smartphone",
    ]


def test_no_page_or_export_shows_a_cell_of_one_organisation_to_a_visitor(
    client, one_cell_of_one_organisation
):
    secrets = _secrets()
    for url in _figure_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text(response)
        for secret in secrets:
            assert secret not in text, f"{url} shows {secret}"


def test_no_page_or_export_shows_a_cell_of_one_organisation_to_another_member(
    client, one_cell_of_one_organisation, procurer_a
):
    secrets = _secrets()
    client.force_login(procurer_a)
    for url in [*_figure_urls(), *_member_urls()]:
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text(response)
        for secret in secrets:
            assert secret not in text, f"{url} shows {secret}"


def test_the_pact_panel_hides_the_lone_cell_but_adds_it_to_an_other_row(
    one_cell_of_one_organisation,
):
    shown = pact_impact()
    assert shown is not None
    assert shown.total.devices == 10 + 20 + 30 + ALONE
    assert [g.key for g in shown.groups] == [{}]  # only the merged row
    html = Template('{% include "impact/pact_panel.html" %}').render(
        Context({"pact_impact": shown})
    )
    assert "Other (each under three organisations, added up)" in html
    for secret in _secrets():
        assert secret not in html


def test_the_secretariat_sees_the_lone_cell(
    client, one_cell_of_one_organisation, secretariat
):
    client.force_login(secretariat)
    page = client.get(reverse("impact:pact")).content.decode()
    assert str(ALONE) in page
