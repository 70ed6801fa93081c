"""Authors translate their examples, news and events; readers get their language."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from cfit.knowledge import event_services, services
from cfit.knowledge.selectors import ExampleFilters, search_examples
from cfit.knowledge.tests.conftest import make_example, published


def _get_in(client, language, url_name, **kwargs):  # type: ignore[no-untyped-def]
    with translation.override(language):
        url = reverse(url_name, kwargs=kwargs)
        return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


@pytest.fixture
def news(secretariat):  # type: ignore[no-untyped-def]
    return event_services.news_post(
        by=secretariat,
        title="Pact reaches 40",
        summary="Forty signatories.",
        body="The Pact has **forty** signatories.",
    )


def test_a_news_item_reads_in_dutch_once_its_author_translates_it(
    client, secretariat, news
):
    client.force_login(secretariat)
    url = reverse("knowledge:news-translate", args=[news.slug, "nl"])
    response = client.post(
        url,
        {
            "title": "Pact telt 40",
            "summary": "Veertig ondertekenaars.",
            "body": "Het Pact telt **veertig** ondertekenaars.",
        },
    )
    assert response.status_code == 302
    client.logout()
    dutch = _get_in(
        client, "nl", "knowledge:news-item", slug=news.slug
    ).content.decode()
    assert "Pact telt 40" in dutch and "<strong>veertig</strong>" in dutch
    german = _get_in(
        client, "de", "knowledge:news-item", slug=news.slug
    ).content.decode()
    assert '<span lang="en">Pact reaches 40</span>' in german
    assert '<div lang="en">' in german


def test_only_the_author_or_the_secretariat_translates_news(client, procurer_a, news):
    client.force_login(procurer_a)
    url = reverse("knowledge:news-translate", args=[news.slug, "fr"])
    assert client.get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.content_translation_save(
            item=news, language="fr", texts={"title": "x"}, by=procurer_a
        )


def test_an_example_cannot_be_translated_into_its_own_language(client, procurer_a):
    example = make_example(procurer_a, language="nl")
    client.force_login(procurer_a)
    url = reverse("knowledge:example-translate", args=[example.slug, "nl"])
    assert client.get(url).status_code == 404


def test_a_translated_example_is_found_by_the_words_of_its_translation(
    procurer_a, secretariat
):
    example = published(make_example(procurer_a), secretariat)
    services.content_translation_save(
        item=example,
        language="nl",
        texts={
            "title": "Gereviseerde laptops voor de stad",
            "summary": "Hoe wij gereviseerde laptops kochten.",
            "results": "De apparaten gaan zes jaar mee.",
        },
        by=procurer_a,
    )
    with translation.override("nl"):
        found = list(search_examples(AnonymousUser(), ExampleFilters(q="gereviseerde")))
    assert found == [example]


@pytest.mark.postgresql
def test_a_dutch_reader_finds_an_english_example_by_an_inflected_dutch_word(
    procurer_a, secretariat
):
    example = published(make_example(procurer_a), secretariat)
    services.content_translation_save(
        item=example,
        language="nl",
        texts={
            "title": "Laptops",
            "summary": "Kort.",
            "results": "De apparaten gaan langer mee.",
        },
        by=procurer_a,
    )
    with translation.override("nl"):
        found = list(search_examples(AnonymousUser(), ExampleFilters(q="langere")))
    assert found == [example]


def test_news_written_from_a_dutch_page_is_stored_as_dutch(client, secretariat):
    from cfit.knowledge.models import NewsItem

    client.force_login(secretariat)
    with translation.override("nl"):
        url = reverse("knowledge:news-new")
        response = client.post(
            url,
            {
                "title": "Nieuws",
                "summary": "Kort.",
                "body": "Tekst.",
                "audience": "public",
            },
            HTTP_ACCEPT_LANGUAGE="nl",
        )
    assert response.status_code == 302
    assert NewsItem.objects.get(title="Nieuws").original_language == "nl"
