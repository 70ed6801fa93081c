"""Files the market side hands out: the answers to a consultation as a workbook."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from . import selectors
from .models import MarketConsultation

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe.

    The smallest private helper until a shared one exists (cfit.lib.spreadsheets).
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def answers_workbook(consultation: MarketConsultation) -> bytes:
    """One sheet per question, one row per submitted answer.

    Where answers are confidential, a party is a number and its kind, never its name:
    the file may travel further than the organisers.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    per_question = selectors.answers_side_by_side(consultation, attributed=False)
    for number, item in enumerate(per_question, start=1):
        question = item.question
        sheet = workbook.create_sheet(title=_("Question %(n)s") % {"n": number})
        sheet.append([safe_cell(question.text)])  # type: ignore[attr-defined]
        sheet["A1"].font = Font(bold=True)
        sheet.append([_("Market party"), _("Answer")])
        for label, answer in item.rows:
            sheet.append(
                [safe_cell(label), safe_cell(answer.display if answer else "")]
            )
        sheet.column_dimensions["A"].width = 40
        sheet.column_dimensions["B"].width = 80
    if not per_question:
        workbook.create_sheet(title=_("No questions"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
