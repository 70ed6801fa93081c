"""The base layout's navigation is drawn once and kept (templates/base.html): each
copy still fits the page, the language and the person it is shown to."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def navigation(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.text.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]


def test_the_navigation_marks_the_page_being_read_and_no_other(client):
    signatories = reverse("organisations:signatories")
    criteria = reverse("criteria:list")
    assert f'href="{signatories}" aria-current="page"' in navigation(
        client, signatories
    )
    on_criteria = navigation(client, criteria)
    assert f'href="{criteria}" aria-current="page"' in on_criteria
    assert f'href="{signatories}" aria-current' not in on_criteria


def test_the_navigation_of_a_page_without_an_entry_marks_nothing(
    client, organisation_a
):
    assert "aria-current" not in navigation(client, organisation_a.get_absolute_url())


def test_the_navigation_speaks_the_pages_language(client):
    assert ">Signatories<" in navigation(client, "/criteria/")
    dutch = navigation(client, "/nl/criteria/")
    assert 'href="/nl/criteria/" aria-current="page"' in dutch
    assert ">Signatories<" not in dutch


def test_the_navigation_shows_each_person_their_own_entries(
    client, procurer_a, secretariat
):
    me = reverse("accounts:home")
    review = reverse("organisations:review-list")
    visitor = navigation(client, "/criteria/")
    assert me not in visitor
    client.force_login(procurer_a)
    procurer = navigation(client, "/criteria/")
    assert me in procurer
    assert review not in procurer
    client.force_login(secretariat)
    assert review in navigation(client, "/criteria/")
