"""Statements of demand and consultations read in the reader's language."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from cfit.criteria.models import Criterion, CriterionVersion, ProductGroup
from cfit.market import services


@pytest.fixture
def statement(secretariat):  # type: ignore[no-untyped-def]
    statement = services.statement_save(
        by=secretariat,
        title="Laptops with a long warranty",
        text="From 2026 we buy laptops with a **5-year** warranty.",
        from_year=2026,
        level="ambitious",
        criteria=Criterion.objects.filter(code__in=["LIFE-01"]),
        product_groups=ProductGroup.objects.filter(code="laptop"),
    )
    return services.statement_publish(statement=statement, by=secretariat)


def _get_in(client, language, url):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_a_statement_translated_by_its_editor_reads_in_spanish(
    client, secretariat, statement
):
    client.force_login(secretariat)
    url = reverse("market:statement-translate", args=[statement.slug, "es"])
    response = client.post(
        url,
        {
            "title": "Portátiles con garantía larga",
            "text": "Desde 2026 compramos portátiles con **5 años** de garantía.",
        },
    )
    assert response.status_code == 302
    client.logout()
    with translation.override("es"):
        page_url = statement.get_absolute_url()
    page = _get_in(client, "es", page_url)
    assert "Portátiles con garantía larga" in page
    spanish_title = (
        CriterionVersion.objects.approved()
        .get(criterion__code="LIFE-01")
        .translations.get(language_code="es")
        .translated_title
    )
    assert spanish_title in page


def test_a_statement_without_german_shows_the_english_marked(client, statement):
    with translation.override("de"):
        page_url = statement.get_absolute_url()
    page = _get_in(client, "de", page_url)
    assert '<span lang="en">Laptops with a long warranty</span>' in page


def test_a_procurer_cannot_translate_a_statement(client, procurer_a, statement):
    client.force_login(procurer_a)
    url = reverse("market:statement-translate", args=[statement.slug, "nl"])
    assert client.get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.market_translation_save(
            item=statement, language="nl", texts={"title": "x"}, by=procurer_a
        )
