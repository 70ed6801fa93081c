"""Tender documents ready to publish: A4, header, footer, properties, weights, evidence."""

import io

from docx import Document
from pypdf import PdfReader

from cfit.criteria import services
from cfit.criteria.exports import build_document, to_docx, to_markdown, to_pdf
from cfit.criteria.models import CriterionVersion, ProductGroup, VersionStatus
from cfit.lib.markdown import render_markdown


def _document(**values):  # type: ignore[no-untyped-def]
    approved = CriterionVersion.objects.filter(status=VersionStatus.APPROVED)
    picks = [
        services.Pick(version=approved.get(criterion__code=code), values=values)
        for code in ("REFU-03", "LIFE-01")
    ]
    award = approved.filter(kind="award").order_by("criterion__code").first()
    picks.append(services.Pick(version=award, values={}))
    return build_document(
        title="Laptops for the city",
        organisation="City of Alphen",
        product_group=ProductGroup.objects.get(code="laptop"),
        level="base",
        refurbished_lot=True,
        picks=picks,
        site_url="https://cfit.example",
        builder_url="https://cfit.example/criteria/tender-builder/",
    ), award


def test_the_docx_is_a4_with_header_footer_and_properties(db):
    document, _award = _document(years="1")
    docx = Document(io.BytesIO(to_docx(document)))
    section = docx.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (
        section.header.paragraphs[0].text == "Circular & Fair ICT Pact · City of Alphen"
    )
    footer_xml = section.footer.paragraphs[0]._p.xml
    assert " PAGE " in footer_xml and " NUMPAGES " in footer_xml
    assert (
        "Criteria versions: LIFE-01 v1, REFU-03 v1" in section.footer.paragraphs[0].text
    )
    properties = docx.core_properties
    assert properties.author == "City of Alphen"
    assert properties.title == "Laptops for the city"
    assert "python-docx" not in (properties.author + properties.comments)


def test_the_docx_has_the_award_weights_and_the_evidence_annex(db):
    document, award = _document(years="1")
    docx = Document(io.BytesIO(to_docx(document)))
    headings = [p.text for p in docx.paragraphs if p.style.name.startswith("Heading")]
    assert "Weights of the award criteria" in headings
    assert "Annex: evidence per criterion" in headings
    weights, annex = docx.tables
    assert [c.text for c in weights.rows[0].cells] == [
        "Criterion",
        "What earns points",
        "Weight (%)",
    ]
    assert weights.rows[1].cells[0].text == award.criterion.code
    codes = [row.cells[0].text.split()[0] for row in annex.rows[1:]]
    assert set(codes) == {"REFU-03", "LIFE-01", award.criterion.code}
    assert "The warranty terms." in annex.rows[1 + codes.index("REFU-03")].cells[1].text


def test_a_value_of_one_reads_in_the_singular(db):
    document, _award = _document(years="1")
    text = "\n".join(p.text for p in Document(io.BytesIO(to_docx(document))).paragraphs)
    assert "at least 1 year from delivery" in text
    assert "1 years" not in text
    document, _award = _document(years="3")
    assert "at least 3 years" in to_markdown(document)


def test_the_markdown_says_circular_and_fair_as_written(db):
    document, _award = _document(years="2")
    text = to_markdown(document)
    assert "Circular & Fair ICT Pact" in text
    assert "&amp;" not in text
    assert "| --- | --- |" in text  # the evidence annex
    assert "Circular &amp; Fair ICT Pact" in render_markdown(
        text
    )  # HTML escapes it once


def test_the_pdf_has_page_numbers_and_the_annex(db):
    document, _award = _document(years="2")
    pdf = PdfReader(io.BytesIO(to_pdf(document)))
    first = pdf.pages[0].extract_text()
    assert "Circular & Fair ICT Pact · City of Alphen" in first
    assert f"Page 1 of {len(pdf.pages)}" in first
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Annex: evidence per criterion" in text
