"""The report page keeps its effects, its BASE criteria and the rows of its lines in the
cache, and shows every change at once: to the report's lines (its version) and to the
criteria base. What is one reader's own (their rights, their CSRF token) is never kept
for another."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from cfit.criteria.tests.factories import approved_version
from cfit.impact import selectors as impact_selectors
from cfit.monitoring import lines_table, services
from cfit.monitoring.models import PurchaseReport
from cfit.organisations.tests.factories import member_of

from .factories import product_group

pytestmark = pytest.mark.django_db


def _page(client, report: PurchaseReport) -> str:  # type: ignore[no-untyped-def]
    url = reverse(
        "monitoring:report",
        kwargs={"slug": report.organisation.slug, "year": report.year},
    )
    return client.get(url).text


def _add_line(report: PurchaseReport, by, quantity: int) -> None:  # type: ignore[no-untyped-def]
    services.line_create(
        report=report,
        by=by,
        values={
            "product_group": product_group("laptop"),
            "quantity": quantity,
            "condition": "new",
            "country_of_use": "NL",
            "expected_lifetime_years": Decimal("6"),
        },
        ecolabels=[],
        criteria=[],
    )


def test_the_effects_panel_shows_a_line_added_through_the_services_at_once(
    client, procurer_a, report_a
):
    client.force_login(procurer_a)
    assert "25 devices, computed with FactorSet" in _page(client, report_a)
    _add_line(report_a, procurer_a, 1000)
    assert "1,025 devices, computed with FactorSet" in _page(client, report_a)


def test_the_effects_are_computed_once_per_version_of_the_report(
    procurer_a, report_a, monkeypatch
):
    computed = []
    real_impact_by = impact_selectors.impact_by

    def counting_impact_by(*args, **kwargs):  # type: ignore[no-untyped-def]
        computed.append(1)
        return real_impact_by(*args, **kwargs)

    monkeypatch.setattr(impact_selectors, "impact_by", counting_impact_by)
    for _ in range(2):
        impact_selectors.report_impact(PurchaseReport.objects.get(pk=report_a.pk))
    assert len(computed) == 1
    _add_line(report_a, procurer_a, 10)
    result = impact_selectors.report_impact(PurchaseReport.objects.get(pk=report_a.pk))
    assert len(computed) == 2
    assert result.total.devices == 35


def test_a_new_base_criterion_shows_as_missing_on_the_report_at_once(
    client, procurer_a, report_a, secretariat
):
    client.force_login(procurer_a)
    assert "TEST-01" not in _page(client, report_a)
    approved_version(secretariat, title="Warranty for test laptops", level="base")
    assert "TEST-01" in _page(client, report_a)


def _row_quantity(page: str, line_pk: int) -> str:
    match = re.search(
        rf'id="line-{line_pk}">\s*<th scope="row">[^<]*</th>\s*<td class="num">([^<]*)<',
        page,
    )
    assert match, page
    return match[1]


def test_a_line_edited_through_the_services_shows_on_the_report_page_at_once(
    client, procurer_a, report_a
):
    client.force_login(procurer_a)
    line = report_a.lines.get()
    assert _row_quantity(_page(client, report_a), line.pk) == "25"
    services.line_update(
        line=line,
        by=procurer_a,
        expected_version=line.version,
        values={"quantity": 31},
        ecolabels=[],
        criteria=[],
    )
    assert _row_quantity(_page(client, report_a), line.pk) == "31"


def test_the_rows_of_lines_are_rendered_once_per_version_of_the_report(
    client, procurer_a, report_a, monkeypatch
):
    rendered = []
    real = lines_table.lines_with_base_status

    def counting(lines):  # type: ignore[no-untyped-def]
        rendered.append(1)
        return real(lines)

    monkeypatch.setattr(lines_table, "lines_with_base_status", counting)
    client.force_login(procurer_a)
    _page(client, report_a)
    _page(client, report_a)
    assert len(rendered) == 1
    _add_line(report_a, procurer_a, 3)
    assert "28 devices, computed with FactorSet" in _page(client, report_a)
    assert len(rendered) == 2


def test_kept_rows_never_carry_one_readers_rights_or_token_to_another(
    client, procurer_a, coordinator, report_a
):
    line = report_a.lines.get()
    services.report_submit(report=report_a, by=procurer_a)
    services.line_query_ask(line=line, by=coordinator, question="Which model is it?")
    edit_url = reverse(
        "monitoring:line-edit",
        kwargs={"slug": report_a.organisation.slug, "year": 2025, "pk": line.pk},
    )
    query = line.queries.get()
    answer_url = reverse(
        "monitoring:query-answer",
        kwargs={"slug": report_a.organisation.slug, "year": 2025, "pk": query.pk},
    )

    client.force_login(procurer_a)
    member_page = _page(client, report_a)
    assert f'href="{edit_url}"' in member_page
    assert answer_url in member_page
    assert "Ask a question" not in member_page

    reviewer = Client()
    reviewer.force_login(coordinator)
    reviewer_page = _page(reviewer, report_a)
    assert f'href="{edit_url}"' not in reviewer_page
    assert answer_url not in reviewer_page
    assert "Waiting for the procurer" in reviewer_page
    assert "Ask a question" in reviewer_page

    # A colleague gets the rows kept for members, with an answer form of their own.
    colleague = Client(enforce_csrf_checks=True)
    colleague.force_login(
        member_of(report_a.organisation, email="colleague@example.org")
    )
    colleague_page = _page(colleague, report_a)
    token = re.search(
        rf'action="{answer_url}" class="form">\s*'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
        colleague_page,
    )
    assert token, colleague_page
    response = colleague.post(
        answer_url, {"answer": "A refurbished laptop", "csrfmiddlewaretoken": token[1]}
    )
    assert response.status_code == 302
    assert "A refurbished laptop" in _page(colleague, report_a)
