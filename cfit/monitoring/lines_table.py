"""The report page's table of lines, rendered once per report version.

The rows of a page of lines are the same for everyone who may do the same with them
(edit the lines, or ask about them), so they are kept in the cache under the report's
version (every write to its lines raises it, from every door: cfit/monitoring/
services.py), the page, the language, the criteria base's generation (names of product
groups, ecolabels and criteria, the missing BASE criteria) and those two rights. What
is the reader's own is added on every request: the reviewers' questions, with the
answer forms and the reader's CSRF token, which must never be kept for someone else.
"""

import re
from collections import defaultdict

from django.core.cache import cache
from django.core.paginator import Page
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from cfit.organisations.models import Organisation

from .models import LineQuery, PurchaseReport, ReportStatus
from .selectors import ReportAccess, lines_with_base_status

TEMPLATE = "monitoring/_report_lines.html"
# Rebuilt at least this often, whatever happens.
TIMEOUT_SECONDS = 60 * 60
# Where a line's questions go in the kept rows (see the template).
_QUERIES_MARK = re.compile(r"<!--cfit:queries:(\d+)-->")


def _rows_html(
    *,
    report: PurchaseReport,
    organisation: Organisation,
    page: Page,
    can_edit_lines: bool,
    can_ask: bool,
    criteria_base: str,
) -> str:
    key = ":".join(
        str(part)
        for part in (
            "monitoring:lines",
            report.pk,
            report.version,
            organisation.slug,
            page.number,
            get_language(),
            criteria_base,
            int(can_edit_lines),
            int(can_ask),
        )
    )
    html: str | None = cache.get(key)
    if html is None:
        context = {
            "rows": lines_with_base_status(page.object_list),
            "organisation": organisation,
            "year": report.year,
            "can_edit_lines": can_edit_lines,
            "can_ask": can_ask,
        }
        html = render_to_string(f"{TEMPLATE}#line_rows", context)
        cache.set(key, html, TIMEOUT_SECONDS)
    return html


def report_queries(report: PurchaseReport) -> dict[int, list[LineQuery]]:
    """The reviewers' questions on the report's lines, by line (one query)."""
    by_line: dict[int, list[LineQuery]] = defaultdict(list)
    queries = LineQuery.objects.filter(line__report=report).select_related(
        "asked_by", "answered_by"
    )
    for query in queries:
        by_line[query.line_id].append(query)
    return by_line


def lines_table(
    request: HttpRequest,
    *,
    report: PurchaseReport,
    organisation: Organisation,
    page: Page,
    access: ReportAccess,
    queries: dict[int, list[LineQuery]],
    criteria_base: str,
) -> SafeString:
    """The rows of the page's lines with their questions, as the reader may see them.

    `criteria_base` is the criteria base's generation (criteria_generation()), read
    once by the page for everything it keeps.
    """
    html = _rows_html(
        report=report,
        organisation=organisation,
        page=page,
        can_edit_lines=access.can_edit and report.is_editable,
        can_ask=access.can_review
        and report.status in (ReportStatus.SUBMITTED, ReportStatus.QUERIED),
        criteria_base=criteria_base,
    )

    def questions(mark: re.Match[str]) -> str:
        asked = queries.get(int(mark[1]))
        if not asked:
            return ""
        context = {
            "queries": asked,
            "access": access,
            "organisation": organisation,
            "year": report.year,
        }
        return render_to_string(f"{TEMPLATE}#line_queries", context, request=request)

    # The kept rows were rendered from escaped text and the template only.
    return mark_safe(_QUERIES_MARK.sub(questions, html))  # noqa: S308
