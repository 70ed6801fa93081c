"""The line form offers the criteria that can count, and a line says whether it does."""

import pytest
from django.urls import reverse

from cfit.criteria.models import (
    Criterion,
    CriterionLevel,
    TenderSelection,
    TenderSelectionItem,
)

from .factories import PurchaseLineFactory, criterion, product_group

pytestmark = pytest.mark.django_db

SLUG = "city-of-alphen"


def add_url(year=2025):
    return reverse("monitoring:line-add", kwargs={"slug": SLUG, "year": year})


def laptop_base():
    return list(
        Criterion.objects.published()
        .base()
        .filter(product_groups=product_group("laptop"))
        .order_by("code")
    )


def offered(response):
    form = response.context["form"]
    return {c.code for c in form.fields["criteria"].queryset}


def test_the_line_form_offers_the_approved_criteria_of_the_product_group_only(
    client, procurer_a, report_a
):
    criterion("REVIEW-1", level=CriterionLevel.BASE, approved=False)
    criterion("PHONE-1", groups=("smartphone",))
    client.force_login(procurer_a)
    empty = client.get(add_url())
    assert offered(empty) == set()
    assert "Choose the product group first" in empty.content.decode()
    response = client.post(
        add_url(), {"product_group": product_group("laptop").pk, "show_criteria": "1"}
    )
    codes = offered(response)
    assert {c.code for c in laptop_base()} <= codes
    assert "REVIEW-1" not in codes and "PHONE-1" not in codes
    page = response.content.decode()
    assert "Base level" in page and "Tick every BASE criterion" in page
    assert not report_a.lines.exclude(quantity=25).exists()  # nothing was saved


def test_tick_every_base_criterion_fills_the_form_without_saving(
    client, procurer_a, report_a
):
    client.force_login(procurer_a)
    response = client.post(
        add_url(),
        {
            "product_group": product_group("laptop").pk,
            "quantity": "5",
            "tick_base": "1",
        },
    )
    form = response.context["form"]
    assert sorted(form.initial["criteria"]) == sorted(str(c.pk) for c in laptop_base())
    assert form.initial["quantity"] == "5"
    assert report_a.lines.count() == 1


def test_a_saved_tender_fills_the_product_group_and_its_criteria(
    client, procurer_a, report_a, organisation_a
):
    phone = criterion("PHONE-2", groups=("smartphone",))
    selection = TenderSelection.objects.create(
        organisation=organisation_a,
        title="Smartphones 2025",
        product_group=product_group("smartphone"),
        level=CriterionLevel.BASE,
    )
    TenderSelectionItem.objects.create(
        selection=selection, version=phone.versions.get()
    )
    client.force_login(procurer_a)
    page = client.get(add_url()).content.decode()
    assert "Smartphones 2025" in page
    response = client.post(
        add_url(), {"tender_selection": selection.pk, "take_tender": "1"}
    )
    form = response.context["form"]
    assert form.initial["product_group"] == product_group("smartphone").pk
    assert form.initial["criteria"] == [str(phone.pk)]
    assert form.initial["tender_reference"] == "Smartphones 2025"


def test_another_organisations_saved_tender_cannot_be_taken(
    client, procurer_a, report_a, organisation_b
):
    selection = TenderSelection.objects.create(
        organisation=organisation_b,
        title="Not yours",
        product_group=product_group("smartphone"),
        level=CriterionLevel.BASE,
    )
    client.force_login(procurer_a)
    response = client.post(
        add_url(), {"tender_selection": selection.pk, "take_tender": "1"}
    )
    assert "Not yours" not in response.content.decode()
    assert "product_group" not in response.context["form"].initial


def test_a_line_says_which_base_criteria_keep_it_from_counting(
    client, procurer_a, report_a
):
    base = laptop_base()
    assert len(base) >= 2
    line = PurchaseLineFactory(report=report_a, quantity=3)
    line.criteria.set(base[1:])
    client.force_login(procurer_a)
    page = client.get(
        reverse("monitoring:report", kwargs={"slug": SLUG, "year": 2025})
    ).content.decode()
    assert "Not counted as bought with the BASE criteria. Missing:" in page
    assert f">{base[0].code}</abbr>" in page
