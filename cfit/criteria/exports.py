"""Tender documents from chosen criteria: DOCX, PDF and Markdown.

Every text that comes from a criterion or a procurer is escaped for the format, and
characters XML cannot hold are dropped, so no text can break a document.
"""

import functools
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cfit.lib.translations import translated_text

from .models import (
    KIND_HEADINGS,
    KIND_ORDER,
    CriterionKind,
    CriterionLevel,
    ProductGroup,
    localised_value,
    value_with_unit,
)
from .services import Pick

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean(text: str) -> str:
    """Text without the control characters that Word and PDF files cannot hold."""
    return CONTROL_CHARACTERS.sub("", str(text))


@dataclass
class DocumentCriterion:
    code: str
    title: str
    version: int
    level: str
    text: str
    parameters: list[tuple[str, str]]
    verification: str
    ecolabels: list[str]
    url: str

    @property
    def proof(self) -> str:
        if not self.ecolabels:
            return ""
        return _("Accepted as proof: %(labels)s, or equivalent proof.") % {
            "labels": ", ".join(self.ecolabels)
        }


@dataclass
class DocumentSection:
    heading: str
    kind: str = ""
    criteria: list[DocumentCriterion] = field(default_factory=list)


@dataclass
class TenderDocument:
    title: str
    organisation: str
    product_group: str
    cpv_codes: str
    level: str
    refurbished_lot: bool
    sections: list[DocumentSection]
    builder_url: str
    made_on: str
    language: str = "en"

    @property
    def versions_line(self) -> str:
        return ", ".join(
            f"{c.code} v{c.version}" for s in self.sections for c in s.criteria
        )

    @property
    def award_criteria(self) -> list[DocumentCriterion]:
        return [
            c
            for s in self.sections
            if s.kind == CriterionKind.AWARD
            for c in s.criteria
        ]

    @property
    def evidence(self) -> list[tuple[DocumentCriterion, str]]:
        """Per criterion, what a bidder hands in to show it is met."""
        rows = []
        for section in self.sections:
            for criterion in section.criteria:
                parts = [criterion.verification, criterion.proof]
                rows.append((criterion, " ".join(p for p in parts if p) or "–"))
        return rows

    @property
    def header(self) -> str:
        pact = _("Circular & Fair ICT Pact")
        return f"{pact} · {self.organisation}" if self.organisation else pact

    @property
    def footer(self) -> str:
        """The criteria versions the document was made from, for the footer."""
        versions = self.versions_line
        if len(versions) > 80:
            versions = _("listed in the last section")
        return _("Criteria versions: %(versions)s · made on %(date)s") % {
            "versions": versions,
            "date": self.made_on,
        }


def build_document(
    *,
    language: str = "en",
    title: str,
    organisation: str,
    product_group: ProductGroup,
    level: str,
    refurbished_lot: bool,
    picks: Sequence[Pick],
    site_url: str,
    builder_url: str,
) -> TenderDocument:
    """The content of a tender document, grouped by kind in the order of a tender,
    entirely in the tender's language: headings, criteria texts, units and numbers."""
    with translation.override(language):
        return _build_document(
            language=language,
            title=title,
            organisation=organisation,
            product_group=product_group,
            level=level,
            refurbished_lot=refurbished_lot,
            picks=picks,
            site_url=site_url,
            builder_url=builder_url,
        )


def _build_document(
    *,
    language: str,
    title: str,
    organisation: str,
    product_group: ProductGroup,
    level: str,
    refurbished_lot: bool,
    picks: Sequence[Pick],
    site_url: str,
    builder_url: str,
) -> TenderDocument:
    sections = {
        kind: DocumentSection(str(KIND_HEADINGS[CriterionKind(kind)]), kind=kind)
        for kind in KIND_ORDER
    }
    for pick in sorted(picks, key=lambda p: p.version.criterion.code):
        version = pick.version
        filled = version.filled(pick.values, language)
        parameters = [
            (
                clean(translated_text(parameter, "label", language)),
                clean(
                    _value_with_unit(
                        str(pick.values.get(parameter.name) or parameter.default),
                        translated_text(parameter, "unit", language),
                        language,
                    )
                ),
            )
            for parameter in version.parameters.all()
        ]
        verification = translated_text(version, "verification", language)
        labels = [
            clean(translated_text(label, "name", language))
            for label in version.ecolabels.all()
        ]
        sections[version.kind].criteria.append(
            DocumentCriterion(
                code=clean(version.criterion.code),
                title=clean(translated_text(version, "title", language)),
                version=version.number,
                level=str(CriterionLevel(version.level).label),
                text=clean(filled.text),
                parameters=parameters,
                verification=clean(verification),
                ecolabels=labels,
                url=site_url + version.get_absolute_url(),
            )
        )
    return TenderDocument(
        title=clean(title),
        organisation=clean(organisation),
        product_group=clean(translated_text(product_group, "name", language)),
        cpv_codes=clean(product_group.cpv_codes),
        level=str(CriterionLevel(level).label),
        refurbished_lot=refurbished_lot,
        sections=[s for s in sections.values() if s.criteria],
        builder_url=builder_url,
        made_on=formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT"),
        language=language,
    )


def _value_with_unit(raw: str, unit: str, language: str) -> str:
    """A parameter's value in the document's number format, with its unit."""
    value = localised_value(raw, language)
    if language == "en":
        return value_with_unit(value, unit)  # "1 year", not "1 years"
    return f"{value} {unit}".strip()


def in_document_language[Rendered: (str, bytes)](
    render: Callable[[TenderDocument], Rendered],
) -> Callable[[TenderDocument], Rendered]:
    """Render a document in its own language, whatever the interface's language."""

    @functools.wraps(render)
    def wrapper(document: TenderDocument) -> Rendered:
        with translation.override(document.language):
            return render(document)

    return wrapper


def _scope_lines(document: TenderDocument) -> list[str]:
    lines = [
        _("Product group: %(name)s (CPV %(cpv)s)")
        % {"name": document.product_group, "cpv": document.cpv_codes or "–"},
        _("Level of the Circular & Fair ICT Pact: %(level)s")
        % {"level": document.level},
    ]
    if document.refurbished_lot:
        lines.append(_("This lot buys refurbished devices."))
    if document.organisation:
        lines.append(
            _("Contracting authority: %(name)s") % {"name": document.organisation}
        )
    lines.append(
        _("Made with the Pact's tender builder on %(date)s.")
        % {"date": document.made_on}
    )
    return lines


WEIGHTS_NOTE = gettext_noop(
    "The contracting authority sets the weight of each award criterion; together with "
    "the weight of the price they make 100 %."
)


# Markdown -----------------------------------------------------------------------------

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}#|!~<>])")
# "&" stays "&" ("Circular & Fair"), unless it would start an entity such as "&copy;".
ENTITY_START = re.compile(r"&(?=#?\w+;)")
LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])", re.MULTILINE)


def md(text: str) -> str:
    """Markdown that shows the text as written: no markup, links or HTML from it."""
    text = MARKDOWN_SPECIAL.sub(r"\\\1", clean(text))
    text = ENTITY_START.sub("&amp;", text)
    return LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


@in_document_language
def to_markdown(document: TenderDocument) -> str:
    out = [f"# {md(document.title)}", "", f"## {md(_('Scope'))}", ""]
    out += [f"- {md(line)}" for line in _scope_lines(document)]
    for section in document.sections:
        out += ["", f"## {md(section.heading)}"]
        for criterion in section.criteria:
            out += [
                "",
                f"### {md(criterion.code)} {md(criterion.title)}",
                "",
                md(criterion.text),
                "",
            ]
            for label, value in criterion.parameters:
                out.append(f"- {md(label)}: **{md(value)}**")
            if criterion.verification:
                out.append(f"- {md(_('Verification'))}: {md(criterion.verification)}")
            if criterion.ecolabels:
                out.append(f"- {md(criterion.proof)}")
            out.append(
                f"- {md(_('Criterion %(code)s, version %(n)s, level %(level)s') % {'code': criterion.code, 'n': criterion.version, 'level': criterion.level})}: <{criterion.url}>"
            )
    if document.award_criteria:
        out += ["", f"## {md(_('Weights of the award criteria'))}", ""]
        out += [md(_(WEIGHTS_NOTE)), ""]
        out += [
            f"| {md(_('Criterion'))} | {md(_('What earns points'))} | "
            f"{md(_('Weight (%)'))} |",
            "| --- | --- | ---: |",
        ]
        out += [
            f"| {md(c.code)} | {md(c.title)} | … |" for c in document.award_criteria
        ]
    out += ["", f"## {md(_('Annex: evidence per criterion'))}", ""]
    out += [
        f"| {md(_('Criterion'))} | {md(_('What the bidder hands in'))} |",
        "| --- | --- |",
    ]
    out += [
        f"| {md(c.code)} {md(c.title)} | {md(proof)} |"
        for c, proof in document.evidence
    ]
    out += [
        "",
        "---",
        "",
        md(_("Criteria versions: %(versions)s") % {"versions": document.versions_line}),
        "",
        f"{md(_('The Circular & Fair ICT Pact tender builder'))}: <{document.builder_url}>",
        "",
    ]
    return "\n".join(out)


# DOCX ---------------------------------------------------------------------------------


def _page_field(paragraph: Any, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it shows the page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        run._r.append(element)


def _table(doc: Any, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def _a4_with_header_and_footer(doc: Any, document: TenderDocument) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(25))
    header = section.header.paragraphs[0]
    header.text = document.header
    header.runs[0].font.size = Pt(9)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(_("Page") + " ")
    _page_field(footer, "PAGE")
    footer.add_run(" " + _("of") + " ")
    _page_field(footer, "NUMPAGES")
    footer.add_run(" · " + document.footer)
    for run in footer.runs:
        run.font.size = Pt(8)


@in_document_language
def to_docx(document: TenderDocument) -> bytes:
    from docx import Document  # imported here: only exports need python-docx

    doc = Document()
    properties = doc.core_properties
    properties.title = document.title
    properties.author = document.organisation or _("Circular & Fair ICT Pact")
    properties.last_modified_by = properties.author
    properties.subject = document.product_group
    properties.keywords = f"CPV {document.cpv_codes}" if document.cpv_codes else ""
    properties.comments = _("Made with the Circular & Fair ICT Pact tender builder.")
    properties.category = _("Tender criteria")
    properties.language = translation.get_language() or "en"
    _a4_with_header_and_footer(doc, document)
    doc.add_heading(document.title, level=0)
    doc.add_heading(_("Scope"), level=1)
    for line in _scope_lines(document):
        doc.add_paragraph(line, style="List Bullet")
    for section in document.sections:
        doc.add_heading(section.heading, level=1)
        for criterion in section.criteria:
            doc.add_heading(f"{criterion.code} {criterion.title}", level=2)
            doc.add_paragraph(criterion.text)
            for label, value in criterion.parameters:
                paragraph = doc.add_paragraph(f"{label}: ", style="List Bullet")
                paragraph.add_run(value).bold = True
            if criterion.verification:
                doc.add_paragraph(
                    f"{_('Verification')}: {criterion.verification}",
                    style="List Bullet",
                )
            if criterion.ecolabels:
                doc.add_paragraph(criterion.proof, style="List Bullet")
            doc.add_paragraph(
                _("Criterion %(code)s, version %(n)s, level %(level)s: %(url)s")
                % {
                    "code": criterion.code,
                    "n": criterion.version,
                    "level": criterion.level,
                    "url": criterion.url,
                },
                style="List Bullet",
            )
    if document.award_criteria:
        doc.add_heading(_("Weights of the award criteria"), level=1)
        doc.add_paragraph(_(WEIGHTS_NOTE))
        _table(
            doc,
            [_("Criterion"), _("What earns points"), _("Weight (%)")],
            [[c.code, c.title, "…"] for c in document.award_criteria],
        )
    doc.add_heading(_("Annex: evidence per criterion"), level=1)
    _table(
        doc,
        [_("Criterion"), _("What the bidder hands in")],
        [[f"{c.code} {c.title}", proof] for c, proof in document.evidence],
    )
    doc.add_paragraph(
        _("Criteria versions: %(versions)s") % {"versions": document.versions_line}
    )
    doc.add_paragraph(
        _("The Circular & Fair ICT Pact tender builder: %(url)s")
        % {"url": document.builder_url}
    )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# PDF ----------------------------------------------------------------------------------


def _no_outside_resources(uri: str, rel: str) -> str:
    """xhtml2pdf may not fetch anything: a criterion's text cannot pull in a file or URL."""
    return ""


@in_document_language
def to_pdf(document: TenderDocument) -> bytes:
    from xhtml2pdf import pisa  # imported here: only exports need xhtml2pdf

    html = render_to_string(
        "criteria/export_pdf.html",
        {
            "document": document,
            "scope_lines": _scope_lines(document),
            "weights_note": _(WEIGHTS_NOTE),
        },
    )
    buffer = io.BytesIO()
    result = pisa.CreatePDF(
        html, dest=buffer, encoding="utf-8", link_callback=_no_outside_resources
    )
    if result.err:
        raise RuntimeError("The PDF could not be made.")
    return buffer.getvalue()
