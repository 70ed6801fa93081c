"""Downloads of a dashboard: CSV and XLSX of every figure's table, and the yearly Pact
report as PDF. They read the same Figure objects as the page, so they say the same."""

import base64
import io
from html import escape

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from cfit.lib.formatting import rounded, spreadsheet_format
from cfit.lib.spreadsheets import people_csv_writer, xlsx_row

from .figures import Figure
from .panels import Dashboard

NOT_SHOWN = ""


def _table(figure: Figure) -> list[list[object]]:
    header: list[object] = [figure.label_heading, *[s.name for s in figure.series]]
    rows: list[list[object]] = [header]
    for label, values, _link in figure.rows:
        rows.append([label, *[_number(v, figure.decimals) for v in values]])
    return rows


def _number(value: float | None, decimals: int) -> object:
    """The figure rounded as the page rounds it (half up), still a number."""
    number = rounded(value, decimals)
    if number is None:
        return NOT_SHOWN
    return int(number) if decimals == 0 else float(number)


def _headline_rows(dashboard: Dashboard) -> list[list[object]]:
    rows: list[list[object]] = [[_("Figure"), _("Value"), _("Unit")]]
    for headline in dashboard.headlines:
        rows.append(
            [
                headline.label,
                _number(headline.value, headline.decimals),
                headline.unit,
            ]
        )
    return rows


def _about(dashboard: Dashboard) -> list[str]:
    lines = [
        _("Circular & Fair ICT Pact: dashboard figures"),
        _("Made on %(when)s")
        % {"when": formats.date_format(timezone.localtime(), "DATETIME_FORMAT")},
    ]
    if dashboard.factorset:
        lines.append(
            _("Effects computed with FactorSet %(version)s")
            % {"version": dashboard.factorset}
        )
    if dashboard.protected:
        lines.append(
            _("Public figures: empty cells cover fewer than three organisations.")
        )
    return lines


def csv_response(dashboard: Dashboard, *, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = people_csv_writer(response)
    for line in _about(dashboard):
        writer.writerow([line])
    writer.writerow([])
    writer.writerow([_("Headline figures")])
    writer.writerows(_headline_rows(dashboard))
    for figure in dashboard.figures:
        writer.writerow([])
        writer.writerow([figure.title])
        writer.writerows(_table(figure))
        for note in figure.notes:
            writer.writerow([note])
    return response


def _sheet_title(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28].strip()
    name, n = base, 2
    while name in used:
        name = f"{base[:26]} {n}"
        n += 1
    used.add(name)
    return name


def _format_numbers(cells: tuple, decimals: int) -> None:
    """Numbers stay numbers, shown in the site's format (grouped, fixed decimals)."""
    for cell in cells:
        if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
            cell.number_format = spreadsheet_format(decimals)


def xlsx_response(dashboard: Dashboard, *, filename: str) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Headline figures")[:31]
    for line in _about(dashboard):
        sheet.append(xlsx_row(sheet, [line]))
    sheet.append([])
    for row, headline in zip(
        _headline_rows(dashboard), [None, *dashboard.headlines], strict=True
    ):
        sheet.append(xlsx_row(sheet, row))
        if headline is not None:
            _format_numbers(sheet[sheet.max_row], headline.decimals)
    used = {sheet.title}
    for figure in dashboard.figures:
        ws = workbook.create_sheet(_sheet_title(figure.slug, used))
        ws.append(xlsx_row(ws, [figure.title]))
        ws["A1"].font = Font(bold=True)
        for row in _table(figure):
            ws.append(xlsx_row(ws, row))
            _format_numbers(ws[ws.max_row], figure.decimals)
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for note in figure.notes:
            ws.append(xlsx_row(ws, [note]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


PALETTE = [
    "#0b5563",
    "#b45f06",
    "#6f52a3",
    "#00703c",
    "#b3261e",
    "#505a5f",
    "#1d70b8",
    "#912b88",
]


def bar_chart_svg(figure: Figure, *, width: int = 480, height: int = 170) -> str:
    """A plain grouped bar chart as SVG, drawn on the server for the PDF."""
    values = [v or 0.0 for s in figure.series for v in s.values]
    top = max([abs(v) for v in values] + [1.0])
    left, bottom, legend = 8, 18, 14 * len(figure.series)
    plot_h = height - bottom - legend - 6
    n_groups = max(len(figure.labels), 1)
    slot = (width - left) / n_groups
    bar = max(2.0, (slot - 8) / max(len(figure.series), 1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f'<line x1="{left}" y1="{plot_h}" x2="{width}" y2="{plot_h}" stroke="#1b1b1b" stroke-width="1"/>',
    ]
    for g, label in enumerate(figure.labels):
        x0 = left + g * slot + 4
        for s, series in enumerate(figure.series):
            value = series.values[g] or 0.0
            h = abs(value) / top * (plot_h - 4)
            y = plot_h - h if value >= 0 else plot_h
            colour = PALETTE[s % len(PALETTE)]
            parts.append(
                f'<rect x="{x0 + s * bar:.1f}" y="{y:.1f}" width="{bar - 1:.1f}" height="{h:.1f}" fill="{colour}"/>'
            )
        parts.append(
            f'<text x="{x0:.1f}" y="{plot_h + 12}" font-size="8" font-family="Helvetica">{escape(label[:18])}</text>'
        )
    for s, series in enumerate(figure.series):
        y = plot_h + bottom + 4 + s * 14
        colour = PALETTE[s % len(PALETTE)]
        parts.append(f'<rect x="{left}" y="{y}" width="9" height="9" fill="{colour}"/>')
        parts.append(
            f'<text x="{left + 14}" y="{y + 8}" font-size="8" font-family="Helvetica">{escape(series.name[:70])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def pdf_response(
    dashboard: Dashboard, *, history: Dashboard, year: int, filename: str
) -> HttpResponse:
    """The yearly Pact report: headline figures, charts and their tables."""
    from xhtml2pdf import pisa

    charted = [
        history.figure("devices-by-product-group"),
        history.figure("devices-by-condition"),
        *[f for f in history.figures if f.slug.startswith("saving-")],
    ]
    html = render_to_string(
        "dashboards/report_pdf.html",
        {
            "year": year,
            "dashboard": dashboard,
            "charts": [
                (figure, _data_uri(bar_chart_svg(figure)))
                for figure in charted
                if not figure.is_empty
            ],
            "tables": [
                f
                for f in dashboard.figures
                if not f.is_empty
                and f.slug in {"shares", "average-lifetime", "countries"}
            ],
            "made_on": timezone.localdate(),
        },
    )
    buffer = io.BytesIO()
    result = pisa.CreatePDF(html, dest=buffer, encoding="utf-8")
    if result.err:
        raise RuntimeError(f"The PDF report could not be made ({result.err} errors)")
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
