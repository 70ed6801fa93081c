"""Small PDF and Word documents made in code, for the demo data and the tests."""

import io
from html import escape

import docx
from xhtml2pdf import pisa


def pdf_with_text(title: str, paragraphs: list[str]) -> bytes:
    """A one-page PDF whose text can be read back (xhtml2pdf writes real text)."""
    body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
    html = f"<html><body><h1>{escape(title)}</h1>{body}</body></html>"
    buffer = io.BytesIO()
    result = pisa.CreatePDF(html, dest=buffer)
    if result.err:
        raise RuntimeError("The sample PDF could not be made.")
    return buffer.getvalue()


def docx_with_text(title: str, paragraphs: list[str]) -> bytes:
    """A Word document with a heading, paragraphs and a small table."""
    document = docx.Document()
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Criterion"
    table.rows[0].cells[1].text = "Weight"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
