"""A procurer builds a tender in French and finds French criteria and numbers in it.

The builder is opened at the French address once the interface has /fr/ addresses;
the tender's language is chosen in the builder either way. Fields are found by name,
so the test reads the same whatever the interface's language.
"""

import io
import re

from django.urls import reverse
from django.utils import translation
from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from cfit.criteria.models import CriterionVersion


def _french(code: str):  # type: ignore[no-untyped-def]
    version = CriterionVersion.objects.approved().get(criterion__code=code)
    return version.translations.get(language_code="fr")


def test_a_tender_built_in_french_downloads_in_french(live_server, page):
    with translation.override("fr"):
        builder = live_server.url + reverse("criteria:builder")
    page.goto(builder)
    page.locator('select[name="product_group"]').select_option("laptop")
    page.locator('input[name="level"][value="base"]').check()
    page.locator('select[name="language"]').select_option("fr")
    page.locator("form.filters button[type=submit]").click()

    battery = page.locator('input[name="criteria"][value="BATT-01"]')
    expect(battery).to_be_visible()
    battery.check()
    page.locator('input[name="param-BATT-01-cycles"]').fill("1200")
    page.locator('input[name="title"]').fill("Ordinateurs portables pour Liège")

    with page.expect_download() as download_info:
        page.locator('button[name="action"][value="docx"]').click()
    docx = Document(download_info.value.path())
    docx_text = "\n".join(p.text for p in docx.paragraphs)
    for table in docx.tables:
        docx_text += "\n".join(cell.text for row in table.rows for cell in row.cells)

    with page.expect_download() as download_info:
        page.locator('button[name="action"][value="pdf"]').click()
    with open(download_info.value.path(), "rb") as pdf_file:
        pdf = PdfReader(io.BytesIO(pdf_file.read()))
    pdf_text = " ".join(p.extract_text() for p in pdf.pages)

    title = _french("BATT-01").translated_title
    opening = _french("BATT-01").translated_tender_text.split("{cycles}")[0].strip()
    assert title in docx_text and opening in docx_text
    # 1 200 with the French thousands separator, not 1,200 or 1200.
    assert re.search(r"1[\u00a0\u202f ]200 cycles", docx_text)
    flat_pdf = re.sub(
        r"\s+", " ", pdf_text.replace("\u00a0", " ").replace("\u202f", " ")
    )
    assert re.sub(r"\s+", " ", opening)[:40] in flat_pdf
    assert "1 200 cycles" in flat_pdf
    assert "1,200" not in docx_text and "1,200" not in flat_pdf
