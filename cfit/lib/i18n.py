"""Which language a page speaks, and the same page in another language.

The order (issue 15): a signed-in person's stored choice; else the `/xx/` prefix of the
address; else, on an address without a prefix, the language the person chose with the
switcher (a cookie) or, on a first visit, the browser's Accept-Language. English has no
prefix, so every English address stays what it was; `/nl/…`, `/fr/…`, `/de/…`, `/es/…`
show the page in that language and can be shared.

Django's LocaleMiddleware (before CommonMiddleware) activates the language of the
address; `PreferredLanguageMiddleware` (after authentication) sends a person to the
address in their language when it differs. It redirects only a GET or HEAD, only to a
page that exists in that language, and the target needs no further redirect, so no loop.
Addresses outside the prefixed patterns (API, open data files, health, sitemap) stay
English; the few pages among them (admin, open data page, API tokens and docs) follow the
person's stored or chosen language.
"""

from collections.abc import Callable, Iterable
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import is_valid_path
from django.utils import translation
from django.utils.cache import patch_vary_headers

Handler = Callable[[HttpRequest], HttpResponse]

# Pages outside the prefix that follow the person's stored or chosen language (the
# open data files and the API themselves stay the same in every language).
FOLLOW_PERSON_OUTSIDE_PREFIX = ("/admin/", "/me/tokens/", "/api/v1/docs/")
FOLLOW_PERSON_PAGES = {"/open-data/", "/open-data/consent/"}


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def known_language(code: object) -> str | None:
    """`code` if it is one of the site's languages, else None."""
    return code if isinstance(code, str) and code in language_codes() else None


def prefix_language(path: str) -> str | None:
    """The language of a `/xx/…` prefix (never the default language, which has none)."""
    first = path.lstrip("/").split("/", 1)[0]
    code = known_language(first)
    return code if code != settings.LANGUAGE_CODE else None


def bare_path(path: str) -> str:
    """The path without its language prefix: '/nl/criteria/' -> '/criteria/'."""
    code = prefix_language(path)
    if code is None:
        return path
    rest = path[len(code) + 1 :]
    return rest if rest.startswith("/") else "/" + rest


def has_language_prefix(path: str) -> bool:
    """True for a page under the language prefixes (not API, health, admin…)."""
    probe = next(c for c in language_codes() if c != settings.LANGUAGE_CODE)
    with translation.override(probe):
        return bool(is_valid_path(f"/{probe}{bare_path(path)}"))


def path_in_language(url: str, language: str) -> str:
    """The same page in `language`: '/nl/criteria/?q=x' -> '/fr/criteria/?q=x'.

    Works on a path or a full address; an address outside the prefixed pages (API,
    open data, admin) comes back unchanged."""
    parts = urlsplit(url)
    bare = bare_path(parts.path or "/")
    if language == settings.LANGUAGE_CODE or not has_language_prefix(bare):
        path = bare
    else:
        path = f"/{language}{bare}"
    return urlunsplit(parts._replace(path=path))


def person_language(user: object) -> str | None:
    """The language a person stored (profile or switcher), or None if they never chose."""
    if user is None or isinstance(user, AnonymousUser):
        return None
    return known_language(getattr(user, "language", None))


def recipient_language(user: object) -> str:
    """The language to write to a person in (emails, tasks): their choice, else English."""
    return person_language(user) or settings.LANGUAGE_CODE


def by_language[T](people: Iterable[T]) -> dict[str, list[T]]:
    """People grouped by the language to write to them in."""
    groups: dict[str, list[T]] = {}
    for person in people:
        groups.setdefault(recipient_language(person), []).append(person)
    return groups


def _stored(request: HttpRequest) -> str | None:
    user = getattr(request, "user", None)
    return person_language(user) if user and user.is_authenticated else None


def _chosen(request: HttpRequest) -> str | None:
    """Stored on the signed-in person, else chosen with the switcher on this browser."""
    return _stored(request) or known_language(
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    )


def _wanted(request: HttpRequest) -> str | None:
    """The language the person wants, when it is not simply the address's."""
    stored = _stored(request)
    if stored:
        return stored
    if prefix_language(request.path_info):
        return None  # a shared /xx/ address is read in its language
    chosen = _chosen(request)
    if chosen:
        return chosen
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    return translation.get_language_from_request(request) if header else None


class PreferredLanguageMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        current = prefix_language(path) or settings.LANGUAGE_CODE
        wanted = _wanted(request)
        prefixed_page = has_language_prefix(path)
        if (
            wanted
            and wanted != current
            and request.method in ("GET", "HEAD")
            and prefixed_page
        ):
            response: HttpResponse = HttpResponseRedirect(
                path_in_language(request.get_full_path(), wanted)
            )
        else:
            if not prefixed_page and (
                path.startswith(FOLLOW_PERSON_OUTSIDE_PREFIX)
                or path in FOLLOW_PERSON_PAGES
            ):
                chosen = _chosen(request)
                if chosen:
                    translation.activate(chosen)
                    request.LANGUAGE_CODE = chosen
            response = self.get_response(request)
        if prefix_language(path) is None:
            # One address, several languages: caches keep one copy per header and cookie.
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
