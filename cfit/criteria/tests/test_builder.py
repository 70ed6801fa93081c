import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from cfit.criteria import services
from cfit.criteria.exports import build_document, md, to_docx, to_markdown, to_pdf
from cfit.criteria.models import (
    CriterionParameter,
    CriterionUse,
    CriterionVersion,
    ProductGroup,
    TenderSelection,
)

from .factories import approved_version

pytestmark = pytest.mark.django_db
BUILDER = "/criteria/tender-builder/"


def laptop_post(**extra):  # type: ignore[no-untyped-def]
    data = {
        "product_group": "laptop",
        "level": "ambitious",
        "title": "Laptops for the city offices",
        "criteria": ["LIFE-01", "LIFE-02", "BATT-01"],
        "param-LIFE-01-years": "4",
        "param-LIFE-02-years": "6",
        "param-BATT-01-cycles": "800",
        "action": "md",
    }
    data.update(extra)
    return data


def test_the_level_preselects_base_and_then_ambitious_criteria_on_top(client):
    base = client.get(BUILDER, {"product_group": "laptop", "level": "base"})
    ambitious = client.get(BUILDER, {"product_group": "laptop", "level": "ambitious"})
    base_codes = set(base.context["chosen"])
    ambitious_codes = set(ambitious.context["chosen"])
    assert "LIFE-01" in base_codes and "LIFE-02" not in base_codes
    assert base_codes < ambitious_codes and "LIFE-02" in ambitious_codes
    assert "CLIM-02" not in ambitious_codes  # front-runner
    # Laptop only: no smartphone criteria; refurbished-lot criteria only when asked.
    offered = {v.criterion.code for g in base.context["groups"] for v in g.versions}
    assert "LIFE-07" not in offered and "ENER-01" in offered
    assert "REFU-03" not in base_codes
    refurbished = client.get(
        BUILDER, {"product_group": "laptop", "level": "base", "refurbished_lot": "on"}
    )
    assert "REFU-03" in refurbished.context["chosen"]


def test_a_download_fills_in_the_parameters_and_counts_the_use(client):
    response = client.post(BUILDER, laptop_post())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode()
    assert "# Laptops for the city offices" in text
    assert "warranty of at least 4 years" in text
    assert "extends the warranty to 6 years" in text
    assert text.index("## Technical specifications") < text.index("LIFE-01")
    assert "/criteria/LIFE-01/v1/" in text
    assert CriterionUse.objects.filter(event="exported").count() == 3


@pytest.mark.parametrize("value", ["-1", "99", "three", "2.5", ""])
def test_a_parameter_outside_its_range_is_refused_and_nothing_is_counted(client, value):
    response = client.post(BUILDER, laptop_post(**{"param-LIFE-01-years": value}))
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Content-Disposition" not in response
    assert not CriterionUse.objects.exists()


def test_the_range_message_says_what_is_allowed(client):
    response = client.post(BUILDER, laptop_post(**{"param-LIFE-01-years": "99"}))
    assert "Warranty period must be between 2 and 7 years." in response.text


def test_a_selection_without_criteria_is_refused(client, procurer_a):
    client.force_login(procurer_a)
    response = client.post(BUILDER, laptop_post(criteria=[], action="save"))
    assert "Choose at least one criterion for the tender." in response.text
    assert not TenderSelection.objects.exists()


def test_a_member_saves_a_selection_with_the_versions_used(
    client, procurer_a, organisation_a
):
    client.force_login(procurer_a)
    response = client.post(BUILDER, laptop_post(action="save"))
    selection = TenderSelection.objects.get()
    assert response.url == selection.get_absolute_url()
    assert selection.organisation == organisation_a
    items = {i.version.criterion.code: i for i in selection.items.all()}
    assert set(items) == {"LIFE-01", "LIFE-02", "BATT-01"}
    assert items["LIFE-01"].version.number == 1
    assert items["LIFE-01"].parameter_values == {"years": "4"}
    assert CriterionUse.objects.filter(event="saved").count() == 3


def test_a_saved_selection_reopens_in_the_builder_with_its_values(client, procurer_a):
    client.force_login(procurer_a)
    client.post(BUILDER, laptop_post(action="save"))
    selection = TenderSelection.objects.get()
    page = client.get(BUILDER, {"selection": selection.pk})
    assert page.context["chosen"] == {"LIFE-01", "LIFE-02", "BATT-01"}
    assert page.context["form"]["param-LIFE-01-years"].value() == "4"
    # Saving again updates the same selection.
    client.post(
        BUILDER,
        laptop_post(action="save", selection=selection.pk, criteria=["LIFE-01"]),
    )
    assert TenderSelection.objects.get().items.count() == 1


def test_a_visitor_cannot_save_but_can_download(client):
    response = client.post(BUILDER, laptop_post(action="save"), follow=True)
    assert "Only members of an organisation can save" in response.text
    assert not TenderSelection.objects.exists()


def test_another_organisation_cannot_see_open_or_download_a_selection(
    client, procurer_a, procurer_b, secretariat
):
    client.force_login(procurer_a)
    client.post(BUILDER, laptop_post(action="save"))
    selection = TenderSelection.objects.get()
    for someone in (procurer_b, secretariat):
        client.force_login(someone)
        assert client.get(selection.get_absolute_url()).status_code == 404
        assert client.get(BUILDER, {"selection": selection.pk}).status_code == 404
        assert (
            client.post(
                reverse("criteria:selection-export", args=[selection.pk, "pdf"])
            ).status_code
            == 404
        )
        assert (
            client.post(
                reverse("criteria:selection-delete", args=[selection.pk])
            ).status_code
            == 404
        )
    assert TenderSelection.objects.exists()


def test_the_saved_selections_page_is_not_found_for_someone_without_organisation(
    client, outsider
):
    client.force_login(outsider)
    assert client.get(reverse("criteria:selections")).status_code == 404


def test_the_secretariat_sees_how_often_criteria_are_used(
    client, procurer_a, secretariat
):
    client.force_login(procurer_a)
    client.post(BUILDER, laptop_post(action="save"))
    client.post(BUILDER, laptop_post(criteria=["LIFE-01"], action="docx"))
    client.force_login(secretariat)
    rows = {r.code: r for r in client.get(reverse("criteria:usage")).context["rows"]}
    assert (rows["LIFE-01"].saved, rows["LIFE-01"].exported) == (1, 1)
    assert rows["LIFE-01"].organisations == 1
    assert (rows["LIFE-02"].saved, rows["LIFE-02"].exported) == (1, 0)
    assert rows["CLIM-02"].saved == 0


NASTY = (
    '<script>alert(1)</script> **bold** [link](http://evil.example) & "quotes" \x0b\x01'
)


def _nasty_document(secretariat):  # type: ignore[no-untyped-def]
    version = approved_version(
        secretariat,
        title=NASTY,
        tender_text=NASTY + " {years} years </p></body>",
    )
    return build_document(
        title="Tender " + NASTY,
        organisation="City & Co <b>",
        product_group=ProductGroup.objects.get(code="laptop"),
        level="base",
        refurbished_lot=False,
        picks=[services.Pick(version=version, values={"years": "5"})],
        site_url="https://cfit.example",
        builder_url="https://cfit.example/criteria/tender-builder/",
    )


def test_the_markdown_export_escapes_any_text(secretariat):
    text = to_markdown(_nasty_document(secretariat))
    assert "<script>" not in text
    assert "\\<script\\>" in text
    assert "\\*\\*bold\\*\\*" in text
    assert "\\[link\\]" in text
    assert "\x0b" not in text and "\x01" not in text
    assert "5 years" in text


def test_the_docx_export_keeps_the_text_as_written(secretariat):
    document = Document(io.BytesIO(to_docx(_nasty_document(secretariat))))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "<script>alert(1)</script> **bold**" in text
    assert "5 years </p></body>" in text


def test_the_pdf_export_keeps_the_text_as_written(secretariat):
    pdf = PdfReader(io.BytesIO(to_pdf(_nasty_document(secretariat))))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "<script>alert(1)</script>" in text
    assert "5 years </p></body>" in text


def test_markdown_escaping_neutralises_line_starts():
    assert md("# heading\n- item\n1. one") == "\\# heading\n\\- item\n\\1. one"


def test_the_pdf_and_docx_of_the_builder_hold_the_criteria(client):
    docx = client.post(BUILDER, laptop_post(action="docx"))
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "LIFE-02 Extended service agreement offered" in text
    assert "extends the warranty to 6 years" in text
    pdf = client.post(BUILDER, laptop_post(action="pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    pdf_text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "BATT-01" in pdf_text and "800" in pdf_text


def test_a_criterion_whose_version_changed_is_flagged_when_reopened(
    client, procurer_a, secretariat
):
    client.force_login(procurer_a)
    client.post(BUILDER, laptop_post(action="save"))
    selection = TenderSelection.objects.get()
    life = CriterionVersion.objects.get(criterion__code="LIFE-01")
    draft = services.version_draft(
        criterion=life.criterion,
        by=secretariat,
        content=services.VersionContent(
            title=life.title,
            level=life.level,
            category=life.category,
            kind=life.kind,
            tender_text=life.tender_text,
            source=life.source,
            product_groups=list(life.product_groups.all()),
            parameters=[
                services.ParameterSpec(
                    name="years",
                    label="Warranty period",
                    default="3",
                    minimum=2,
                    maximum=7,
                )
            ],
        ),
    )
    services.version_submit(version=draft, by=secretariat)
    services.version_approve(version=draft, by=secretariat)
    page = client.get(BUILDER, {"selection": selection.pk})
    assert any("LIFE-01 has a new version" in note for note in page.context["notes"])


def test_changing_the_level_by_htmx_returns_only_the_criteria(client):
    response = client.get(
        BUILDER,
        {"product_group": "smartphone", "level": "base"},
        headers={"HX-Request": "true"},
    )
    assert 'id="criteria"' in response.text
    assert "<footer" not in response.text
    assert "LIFE-07" in response.text


def test_a_malformed_selection_number_is_not_found(client, procurer_a):
    client.force_login(procurer_a)
    assert client.get(BUILDER, {"selection": "abc"}).status_code == 404


def test_leaving_out_a_base_criterion_is_allowed_but_flagged(client):
    data = laptop_post(criteria=["LIFE-02"], action="nothing")
    response = client.post(BUILDER, data)
    assert "Not chosen from the common base: " in response.text
    assert "LIFE-01" in response.context["missing_base"]


def test_a_members_page_links_to_the_builder_and_saved_selections(client, procurer_a):
    client.force_login(procurer_a)
    text = client.get(reverse("accounts:home")).text
    assert reverse("criteria:builder") in text
    assert reverse("criteria:selections") in text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_a_parameter_value_is_either_within_range_or_refused_with_a_reason(raw):
    parameter = CriterionParameter(
        name="years",
        label="Warranty period",
        unit="years",
        default="3",
        minimum=Decimal("2"),
        maximum=Decimal("7"),
    )
    try:
        value = parameter.clean_value(raw)
    except ValidationError as error:
        assert error.messages
    else:
        assert Decimal(value) == Decimal(value).to_integral()
        assert 2 <= Decimal(value) <= 7


def test_downloading_a_saved_tender_counts_on_the_form_post_never_on_a_get(
    client, procurer_a
):
    client.force_login(procurer_a)
    client.post(BUILDER, laptop_post(action="save"))
    selection = TenderSelection.objects.get()
    exported = CriterionUse.objects.filter(event="exported")
    page = client.get(selection.get_absolute_url()).text
    url = reverse("criteria:selection-export", args=[selection.pk, "md"])
    assert f'formaction="{url}"' in page
    # An image tag or a link elsewhere sends a GET: refused, nothing counted.
    assert client.get(url).status_code == 405
    assert not exported.exists()
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.md"')
    assert exported.count() == selection.items.count()
