"""Which language a page speaks: the stored choice, the /xx/ address, the browser."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from cfit.accounts.services import user_language_set
from cfit.accounts.tests.factories import UserFactory
from cfit.groups.models import Notice
from cfit.groups.services import notices_create, notify
from cfit.lib.i18n import bare_path, path_in_language
from cfit.lib.mail import send_templated_mail

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def test_the_five_languages_are_named_in_their_own_language():
    assert dict(settings.LANGUAGES) == {
        "en": "English",
        "nl": "Nederlands",
        "fr": "Français",
        "de": "Deutsch",
        "es": "Español",
    }


def test_english_keeps_its_addresses_and_each_language_has_a_prefix(client):
    assert reverse("criteria:list") == "/criteria/"
    for code in ("nl", "fr", "de", "es"):
        with translation.override(code):
            assert reverse("criteria:list") == f"/{code}/criteria/"
        response = client.get(f"/{code}/criteria/")
        assert response.status_code == 200
        assert f'<html lang="{code}">' in response.content.decode()
        assert response["Content-Language"] == code
    english = client.get("/criteria/")
    assert '<html lang="en">' in english.content.decode()


def test_machines_read_one_address_in_every_language(client):
    for path in ("/health/", "/sitemap.xml", "/api/v1/docs/", "/open-data/"):
        assert client.get(path).status_code == 200, path
    for path in ("/nl/health/", "/nl/sitemap.xml", "/nl/api/v1/docs/"):
        assert client.get(path).status_code == 404, path
    with translation.override("nl"):
        assert reverse("health") == "/health/"
        assert reverse("api:open-data") == "/open-data/"


def test_a_page_shows_django_words_in_the_language_of_its_address(client):
    """Form errors come from the catalogues: Django's own say it in Dutch."""
    user = UserFactory()
    client.force_login(user)
    response = client.post("/nl/me/profile/", {"first_name": "", "last_name": "X"})
    assert "Dit veld is verplicht." in response.content.decode()


def test_a_first_visit_follows_the_browser_to_the_prefixed_address(client):
    response = client.get("/criteria/?q=laptop", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert response.status_code == 302
    assert response.url == "/de/criteria/?q=laptop"
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]
    # The prefixed address is served as it is: no second redirect, no loop.
    followed = client.get(response.url, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert followed.status_code == 200


def test_an_english_browser_and_a_shared_address_are_left_alone(client):
    assert client.get("/criteria/", HTTP_ACCEPT_LANGUAGE="en-GB").status_code == 200
    # Someone sent a French link to a German reader: they read French.
    shared = client.get("/fr/criteria/", HTTP_ACCEPT_LANGUAGE="de")
    assert shared.status_code == 200
    assert shared["Content-Language"] == "fr"
    # A language nobody offers: English.
    assert client.get("/criteria/", HTTP_ACCEPT_LANGUAGE="ja").status_code == 200


def test_the_unprefixed_page_says_it_varies_by_language_and_cookie(client):
    response = client.get("/criteria/")
    assert "Accept-Language" in response["Vary"]
    assert "Cookie" in response["Vary"]


def test_the_switcher_keeps_the_person_on_the_same_page(client):
    page = client.get("/criteria/").content.decode()
    assert 'action="/language/"' in page
    for code, name in settings.LANGUAGES:
        assert f'value="{code}" lang="{code}"' in page
        assert name in page
    assert 'aria-current="true">English<' in page
    response = client.post(
        "/language/", {"language": "fr", "next": "/criteria/?q=laptop"}
    )
    assert response.status_code == 302
    assert response.url == "/fr/criteria/?q=laptop"
    assert response.cookies[COOKIE].value == "fr"
    # Back to English from a prefixed page, and the choice is kept over the browser's.
    response = client.post("/language/", {"language": "en", "next": "/fr/criteria/"})
    assert response.url == "/criteria/"
    assert client.get("/criteria/", HTTP_ACCEPT_LANGUAGE="nl").status_code == 200


def test_the_cookie_choice_brings_an_unprefixed_address_to_its_language(client):
    client.cookies[COOKIE] = "es"
    response = client.get("/signatories/")
    assert response.url == "/es/signatories/"


def test_the_switcher_refuses_other_sites_and_unknown_languages(client):
    outside = client.post(
        "/language/", {"language": "nl", "next": "https://evil.example/x"}
    )
    assert outside.url == "/nl/"
    unknown = client.post("/language/", {"language": "xx", "next": "/criteria/"})
    assert unknown.url == "/"
    assert client.get("/language/").status_code == 405


def test_the_switcher_stores_the_choice_of_a_signed_in_person(client):
    user = UserFactory()
    client.force_login(user)
    client.post("/language/", {"language": "de", "next": "/me/"})
    user.refresh_from_db()
    assert user.language == "de"
    # Their choice wins over the address: an English or a French link opens in German.
    assert client.get("/criteria/").url == "/de/criteria/"
    assert client.get("/fr/criteria/?q=a").url == "/de/criteria/?q=a"
    assert client.get("/de/criteria/").status_code == 200
    # Only pages are redirected: a form sent to another language's address is kept.
    assert client.post("/fr/me/profile/", {}).status_code == 200


def test_the_profile_page_sets_the_language(client):
    user = UserFactory(first_name="Ana", last_name="Ruiz")
    client.force_login(user)
    page = client.get("/me/profile/").content.decode()
    assert 'name="language"' in page
    response = client.post(
        "/me/profile/", {"first_name": "Ana", "last_name": "Ruiz", "language": "es"}
    )
    assert response.url == "/es/me/profile/"
    user.refresh_from_db()
    assert user.language == "es"
    assert client.get(response.url).status_code == 200


def test_the_service_refuses_a_language_the_site_does_not_offer():
    user = UserFactory()
    with pytest.raises(Exception, match="offered languages"):
        user_language_set(user=user, language="it")
    user_language_set(user=user, language="nl")
    user.refresh_from_db()
    assert user.language == "nl"


def test_the_admin_follows_the_stored_language_without_a_prefix(admin_client):
    admin = admin_client.get("/admin/").wsgi_request.user
    user_language_set(user=admin, language="de")
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert response["Content-Language"] == "de"
    assert "Abmelden" in response.content.decode()  # Django's German "Log out"


def test_the_api_stays_english_whatever_the_browser(client):
    response = client.get("/api/v1/nothing-here", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert response["Content-Language"] == "en"


def test_paths_change_language_without_touching_the_rest():
    assert bare_path("/nl/criteria/") == "/criteria/"
    assert bare_path("/nl/") == "/"
    assert bare_path("/criteria/") == "/criteria/"
    assert bare_path("/en/x/") == "/en/x/"  # English has no prefix
    assert path_in_language("/nl/criteria/?q=x#top", "fr") == "/fr/criteria/?q=x#top"
    assert path_in_language("/de/criteria/", "en") == "/criteria/"
    assert path_in_language("/open-data/", "nl") == "/open-data/"
    assert (
        path_in_language("https://cfit.example/es/pact/", "de")
        == "https://cfit.example/de/pact/"
    )


def test_each_person_gets_the_notice_email_in_their_language(
    django_capture_on_commit_callbacks, mailoutbox
):
    german = UserFactory(email="anna@berlin.example", language="de")
    english = UserFactory(email="ian@dublin.example")
    with translation.override("fr"):  # the person who acted reads French
        url = reverse("criteria:list")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[german, english],
            kind="test.event",
            text="Something happened.",
            url=url,
            email_template="email/notice",
        )
    bodies = {message.to[0]: message.body for message in mailoutbox}
    assert f"{settings.SITE_URL}/de/criteria/" in bodies["anna@berlin.example"]
    assert f"{settings.SITE_URL}/de/me/profile/" in bodies["anna@berlin.example"]
    assert f"{settings.SITE_URL}/criteria/" in bodies["ian@dublin.example"]
    assert "/fr/" not in "".join(bodies.values())
    # The notice keeps the address without a language: each reader opens it in theirs.
    assert set(Notice.objects.values_list("url", flat=True)) == {"/criteria/"}


def test_a_templated_email_is_rendered_in_the_language_of_its_recipient(mailoutbox):
    UserFactory(email="marie@lyon.example", language="fr")
    with translation.override("de"):
        send_templated_mail(
            "email/notice",
            {"text": "x", "url": "/de/criteria/"},
            ["marie@lyon.example", "secretariat@pact.example"],
        )
    bodies = {message.to[0]: message.body for message in mailoutbox}
    assert "/fr/criteria/" in bodies["marie@lyon.example"]
    assert "/fr/me/profile/" in bodies["marie@lyon.example"]
    # An address that is no one's account gets the site's language, English.
    assert f"{settings.SITE_URL}/criteria/" in bodies["secretariat@pact.example"]


def test_the_switcher_names_each_language_in_its_own_language_on_every_page(client):
    for prefix in ("", "/nl", "/de"):
        page = client.get(f"{prefix}/criteria/").content.decode()
        for code, name in settings.LANGUAGES:
            assert f'lang="{code}"' in page
            assert f">{name}</button>" in page, (prefix, name)


def test_the_sitemap_lists_every_page_in_every_language(client):
    xml = client.get("/sitemap.xml").content.decode()
    for prefix in ("", "/nl", "/fr", "/de", "/es"):
        assert f"http://testserver{prefix}/good-examples/</loc>" in xml, prefix
    assert 'hreflang="de" href="http://testserver/de/good-examples/"' in xml
    assert 'hreflang="x-default"' in xml


def test_a_notice_is_written_in_each_recipients_language(
    django_capture_on_commit_callbacks, mailoutbox
):
    """notify() and notices_create() write a text given as a function once per
    language: each person reads the notice (and the email) in theirs."""
    spanish = UserFactory(email="lucia@madrid.example", language="es")
    english = UserFactory(email="ian@cork.example")
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[spanish, english],
            kind="test.event",
            text=lambda: f"written in {translation.get_language()}",
            url="/criteria/",
            email_template="email/notice",
        )
        notices_create(
            recipients=[spanish],
            text=lambda: f"also in {translation.get_language()}",
            url="/de/criteria/",
        )
    texts = dict(
        Notice.objects.values_list("recipient__email", "text").filter(kind="test.event")
    )
    assert texts == {
        "lucia@madrid.example": "written in es",
        "ian@cork.example": "written in en",
    }
    assert Notice.objects.get(text__startswith="also").text == "also in es"
    assert Notice.objects.get(text__startswith="also").url == "/criteria/"
    bodies = {message.to[0]: message.body for message in mailoutbox}
    assert bodies["lucia@madrid.example"].startswith("written in es")
    assert bodies["ian@cork.example"].startswith("written in en")


def test_pages_outside_the_prefix_follow_the_switchers_choice(client):
    """The open data page and the API's documentation have one address; their words
    follow the language chosen with the switcher. The files and the API do not."""
    client.post("/language/", {"language": "de", "next": "/open-data/"})
    for path in ("/open-data/", "/api/v1/docs/"):
        response = client.get(path)
        assert response["Content-Language"] == "de", path
        assert '<html lang="de">' in response.content.decode()
    assert client.get("/health/")["Content-Language"] == "en"
    assert client.get("/open-data/signatories.csv")["Content-Language"] == "en"


def test_each_language_reads_its_compiled_catalogue(client):
    """The catalogues that `make install` compiled are the ones the pages speak."""
    for code, heading in {
        "nl": "De criteriabank",
        "fr": "La base de critères",
        "de": "Die Kriteriendatenbank",
        "es": "La base de criterios",
    }.items():
        compiled = settings.BASE_DIR / "locale" / code / "LC_MESSAGES" / "django.mo"
        assert compiled.is_file(), f"{compiled} is missing: run `make install`"
        assert heading in client.get(f"/{code}/criteria/").content.decode(), code
    assert "The criteria base" in client.get("/criteria/").content.decode()
