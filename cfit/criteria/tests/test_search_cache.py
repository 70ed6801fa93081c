"""The search is cached for everyone who sends the same filters, and every write to
the criteria base (services, translations, admin) shows in it at once."""

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cfit.criteria.models import CriterionVersionTranslation, ProductGroup
from cfit.criteria.translation_services import version_translation_save

from .factories import approved_version

pytestmark = pytest.mark.django_db
LIST = "/criteria/"


def test_a_second_visitor_with_the_same_filters_is_served_without_a_search(client):
    client.get(LIST, {"q": "battery", "level": "base"})
    with CaptureQueriesContext(connection) as captured:
        second = client.get(LIST, {"q": "battery", "level": "base"})
    assert "BATT-01" in second.text
    assert not [q for q in captured.captured_queries if "criteria_" in q["sql"]]


def test_a_criterion_approved_through_the_services_is_found_at_once(
    client, secretariat
):
    assert "TEST-01" not in client.get(LIST, {"q": "zebra"}).text
    approved_version(secretariat, title="Keyboards with zebra stripes")
    assert "TEST-01" in client.get(LIST, {"q": "zebra"}).text


def test_a_criterion_retired_through_the_services_leaves_the_search_at_once(
    client, secretariat
):
    from cfit.criteria import services

    version = approved_version(secretariat, title="Keyboards with zebra stripes")
    assert "TEST-01" in client.get(LIST).text
    services.version_retire(version=version, by=secretariat)
    assert "TEST-01" not in client.get(LIST).text


def test_a_translation_saved_on_the_translation_page_shows_in_the_search_at_once(
    client, secretariat
):
    version = approved_version(secretariat, title="Keyboards with zebra stripes")
    assert "Tastaturen" not in client.get("/de" + LIST).text
    version_translation_save(
        version=version,
        language="de",
        texts={
            "title": "Tastaturen mit Zebrastreifen",
            "tender_text": "Eine Garantie von mindestens {years} Jahren.",
        },
        by=secretariat,
    )
    assert "Tastaturen mit Zebrastreifen" in client.get("/de" + LIST).text


def test_each_language_gets_the_search_in_its_own_words(client):
    dutch = CriterionVersionTranslation.objects.filter(
        master__criterion__code="BATT-01", language_code="nl"
    ).first()
    assert dutch is not None
    english_page = client.get(LIST, {"q": "BATT-01"}).text
    dutch_page = client.get("/nl" + LIST, {"q": "BATT-01"}).text
    assert dutch.translated_title not in english_page
    assert dutch.translated_title in dutch_page


def test_a_product_group_renamed_in_the_admin_shows_in_the_search_at_once(
    client, secretariat
):
    def results() -> str:
        # The results alone: the admin's message after the save names the group too.
        return client.get(LIST, {"q": "BATT-01"}).text.split('id="results"')[1]

    client.force_login(secretariat)
    assert "Notebook computers" not in results()
    laptop = ProductGroup.objects.get(code="laptop")
    data = {
        key: "" if value is None else value
        for key, value in model_to_dict(laptop).items()
    }
    data["name"] = "Notebook computers"
    response = client.post(
        reverse("admin:criteria_productgroup_change", args=[laptop.pk]), data
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert "Notebook computers" in results()
