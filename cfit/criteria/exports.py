"""Tender documents from chosen criteria: DOCX, PDF and Markdown.

Every text that comes from a criterion or a procurer is escaped for the format, and
characters XML cannot hold are dropped, so no text can break a document.
"""

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    KIND_HEADINGS,
    KIND_ORDER,
    CriterionKind,
    CriterionLevel,
    ProductGroup,
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

    @property
    def versions_line(self) -> str:
        return ", ".join(
            f"{c.code} v{c.version}" for s in self.sections for c in s.criteria
        )


def build_document(
    *,
    title: str,
    organisation: str,
    product_group: ProductGroup,
    level: str,
    refurbished_lot: bool,
    picks: Sequence[Pick],
    site_url: str,
    builder_url: str,
) -> TenderDocument:
    """The content of a tender document, grouped by kind in the order of a tender."""
    sections = {
        kind: DocumentSection(str(KIND_HEADINGS[CriterionKind(kind)]))
        for kind in KIND_ORDER
    }
    for pick in sorted(picks, key=lambda p: p.version.criterion.code):
        version = pick.version
        parameters = [
            (
                clean(parameter.label),
                clean(
                    f"{pick.values.get(parameter.name) or parameter.default} {parameter.unit}".strip()
                ),
            )
            for parameter in version.parameters.all()
        ]
        verification = version.verification
        labels = [clean(label.name) for label in version.ecolabels.all()]
        sections[version.kind].criteria.append(
            DocumentCriterion(
                code=clean(version.criterion.code),
                title=clean(version.title),
                version=version.number,
                level=str(CriterionLevel(version.level).label),
                text=clean(version.filled_text(pick.values)),
                parameters=parameters,
                verification=clean(verification),
                ecolabels=labels,
                url=site_url + version.get_absolute_url(),
            )
        )
    return TenderDocument(
        title=clean(title),
        organisation=clean(organisation),
        product_group=clean(product_group.name),
        cpv_codes=clean(product_group.cpv_codes),
        level=str(CriterionLevel(level).label),
        refurbished_lot=refurbished_lot,
        sections=[s for s in sections.values() if s.criteria],
        builder_url=builder_url,
        made_on=timezone.localdate().isoformat(),
    )


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


# Markdown -----------------------------------------------------------------------------

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}#|!~])")
LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])", re.MULTILINE)


def md(text: str) -> str:
    """Markdown that shows the text as written: no markup, links or HTML from it."""
    text = clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


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


def to_docx(document: TenderDocument) -> bytes:
    from docx import Document  # imported here: only exports need python-docx

    doc = Document()
    doc.core_properties.title = document.title
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


def to_pdf(document: TenderDocument) -> bytes:
    from xhtml2pdf import pisa  # imported here: only exports need xhtml2pdf

    html = render_to_string(
        "criteria/export_pdf.html",
        {
            "document": document,
            "scope_lines": _scope_lines(document),
        },
    )
    buffer = io.BytesIO()
    result = pisa.CreatePDF(
        html, dest=buffer, encoding="utf-8", link_callback=_no_outside_resources
    )
    if result.err:
        raise RuntimeError("The PDF could not be made.")
    return buffer.getvalue()
