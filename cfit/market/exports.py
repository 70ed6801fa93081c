"""Files the market side hands out: the answers to a consultation as a workbook."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from cfit.lib.spreadsheets import xlsx_row

from . import selectors
from .models import MarketConsultation


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
        sheet.append(xlsx_row(sheet, [question.text]))  # type: ignore[attr-defined]
        sheet["A1"].font = Font(bold=True)
        sheet.append([_("Market party"), _("Answer")])
        for label, answer in item.rows:
            sheet.append(xlsx_row(sheet, [label, answer.display if answer else ""]))
        sheet.column_dimensions["A"].width = 40
        sheet.column_dimensions["B"].width = 80
    if not per_question:
        workbook.create_sheet(title=_("No questions"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
