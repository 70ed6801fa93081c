"""Every door writes a purchase line through the monitoring services.

The same purchase, entered through the form, an upload, the import command and the
admin, gives the same line, the same derived flags, the same summary rows, a raised
report version and an entry in the history.
"""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from cfit.criteria.models import Criterion
from cfit.monitoring.models import PurchaseLine, PurchaseReport, ReportSummary

from .factories import ReportingPeriodFactory, ecolabel, product_group

pytestmark = pytest.mark.django_db

SLUG = "city-of-alphen"


def base_criteria_of_laptops():
    return list(
        Criterion.objects.published()
        .base()
        .filter(product_groups=product_group("laptop"))
        .order_by("code")
    )


def form_fields():
    return {
        "product_group": product_group("laptop").pk,
        "quantity": "120",
        "condition": "refurbished",
        "expected_lifetime_years": "6",
        "warranty_years": "3",
        "ecolabels": [ecolabel("tco-certified").pk],
        "criteria": [c.pk for c in base_criteria_of_laptops()],
        "spend_eur": "1234.50",
        "country_of_use": "BE",
        "tender_reference": "T-1",
        "devices_retired": "50",
        "retired_to": "reuse",
    }


def file_content() -> bytes:
    codes = "; ".join(c.code for c in base_criteria_of_laptops())
    return (
        "Product group,Quantity,Condition,Expected lifetime (years),Warranty (years),"
        "Ecolabels,Criteria applied,Spend (EUR),Country of use,Tender reference,"
        "Devices retired,Retired to\n"
        f"laptop,120,refurbished,6,3,tco-certified,{codes},1234.50,BE,T-1,50,reuse\n"
    ).encode()


def by_form(client, procurer_a, year):
    client.force_login(procurer_a)
    url = reverse("monitoring:line-add", kwargs={"slug": SLUG, "year": year})
    assert client.post(url, form_fields()).status_code == 302


def by_upload(client, procurer_a, year):
    client.force_login(procurer_a)
    file = io.BytesIO(file_content())
    file.name = "purchases.csv"
    kwargs = {"slug": SLUG, "year": year}
    response = client.post(reverse("monitoring:upload", kwargs=kwargs), {"file": file})
    preview = client.get(response["Location"])
    pk = preview.context["purchase_import"].pk
    client.post(
        reverse("monitoring:import-confirm", kwargs={**kwargs, "pk": pk}),
        {"mode": "add"},
    )


def by_command(tmp_path, year):
    path = tmp_path / "purchases.csv"
    path.write_bytes(file_content())
    call_command(
        "import_purchases",
        str(path),
        "--organisation",
        SLUG,
        "--year",
        str(year),
        stdout=io.StringIO(),
    )


def by_admin(admin_client, organisation_a, year):
    report = PurchaseReport.objects.get_or_create(
        organisation=organisation_a, year=year
    )[0]
    response = admin_client.post(
        reverse("admin:monitoring_purchaseline_add"),
        {**form_fields(), "report": report.pk, "_save": "Save"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors


def what_was_stored(year):
    report = PurchaseReport.objects.get(organisation__slug=SLUG, year=year)
    [line] = PurchaseLine.objects.filter(report=report)
    fields = {
        name: getattr(line, name)
        for name in (
            "product_group_id",
            "quantity",
            "condition",
            "expected_lifetime_years",
            "warranty_years",
            "spend_eur",
            "country_of_use",
            "tender_reference",
            "devices_retired",
            "retired_to",
            "has_ecolabel",
            "applies_base_criteria",
        )
    }
    fields["ecolabels"] = sorted(e.code for e in line.ecolabels.all())
    fields["criteria"] = sorted(c.code for c in line.criteria.all())
    summaries = list(
        ReportSummary.objects.filter(report=report).values(
            "product_group_id",
            "condition",
            "country_of_use",
            "devices",
            "device_years",
            "devices_lifetime_unknown",
            "devices_reused",
            "devices_retired",
            "devices_with_ecolabel",
            "devices_with_base_criteria",
            "spend_eur",
            "lines",
        )
    )
    return fields, summaries, report.version, report.changes.count()


def test_the_form_the_upload_the_command_and_the_admin_store_the_same_line(
    client, admin_client, procurer_a, organisation_a, tmp_path
):
    assert base_criteria_of_laptops()
    for year in (2022, 2023, 2024, 2025):
        ReportingPeriodFactory(year=year)
    by_form(client, procurer_a, 2022)
    by_upload(client, procurer_a, 2023)
    by_command(tmp_path, 2024)
    by_admin(admin_client, organisation_a, 2025)

    stored = [what_was_stored(year) for year in (2022, 2023, 2024, 2025)]
    fields, summaries, _version, _changes = stored[0]
    assert fields["has_ecolabel"] and fields["applies_base_criteria"]
    assert fields["spend_eur"] == Decimal("1234.50")
    assert summaries[0]["devices_with_base_criteria"] == 120
    for other_fields, other_summaries, version, changes in stored:
        assert other_fields == fields
        assert other_summaries == summaries
        assert version > 1  # every door raised the report's version
        assert changes >= 1  # and wrote its history


def test_a_line_changed_in_the_admin_gets_its_flags_summary_and_history(
    admin_client, organisation_a
):
    by_admin(admin_client, organisation_a, 2025)
    line = PurchaseLine.objects.get()
    report = line.report
    version = PurchaseReport.objects.get(pk=report.pk).version
    data = {**form_fields(), "criteria": [], "ecolabels": [], "quantity": "80"}
    response = admin_client.post(
        reverse("admin:monitoring_purchaseline_change", args=[line.pk]),
        {**data, "_save": "Save"},
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.quantity, line.has_ecolabel, line.applies_base_criteria) == (
        80,
        False,
        False,
    )
    summary = ReportSummary.objects.get(report=report)
    assert (summary.devices, summary.devices_with_base_criteria) == (80, 0)
    assert PurchaseReport.objects.get(pk=report.pk).version > version
    assert report.changes.filter(action="line_changed").exists()
    admin_client.post(
        reverse("admin:monitoring_purchaseline_delete", args=[line.pk]),
        {"post": "yes"},
    )
    assert not ReportSummary.objects.filter(report=report).exists()
    assert report.changes.filter(action="line_deleted").exists()
