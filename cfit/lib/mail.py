"""One way to send the site's emails: a subject and a body template, the Pact's prefix.

Each person gets the email in their language (cfit.lib.i18n.recipient_language), with
the links of the context (`…url` values) on the pages in that language.
"""

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template import Context
from django.template.loader import get_template
from django.utils import translation

from cfit.lib.i18n import path_in_language, recipient_language


def _render_text(name: str, context: Mapping[str, object]) -> str:
    # Emails are plain text: "Circular & Fair", not "Circular &amp; Fair".
    template = get_template(name).template  # type: ignore[attr-defined]
    return str(template.render(Context(dict(context), autoescape=False)))


def render_templated_mail(
    template: str, context: Mapping[str, object]
) -> tuple[str, str]:
    """The subject (with the Pact's prefix, on one line) and body of `template`.

    Every template gets `site_url` for absolute links and `secretariat_email` to name
    who to write to.
    """
    full_context = {
        **context,
        "site_url": settings.SITE_URL,
        "secretariat_email": settings.SECRETARIAT_EMAIL,
    }
    subject = _render_text(f"{template}_subject.txt", full_context)
    body = _render_text(f"{template}.txt", full_context)
    return settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()), body


def send_rendered_mail(subject: str, body: str, to: list[str]) -> None:
    """Send one email per address, so that no one sees who else received it."""
    for address in dict.fromkeys(to):
        send_mail(subject, body, None, [address])


def links_in_language(
    context: Mapping[str, object], language: str
) -> dict[str, object]:
    """The context with its page links (keys ending in "url") in `language`."""
    return {
        key: path_in_language(value, language)
        if key.endswith("url") and isinstance(value, str) and value.startswith("/")
        else value
        for key, value in context.items()
    }


def render_in_language(
    template: str, context: Mapping[str, object], language: str
) -> tuple[str, str]:
    """`render_templated_mail` in `language`, its links on that language's pages."""
    with translation.override(language):
        return render_templated_mail(template, links_in_language(context, language))


def languages_of(addresses: Iterable[str]) -> dict[str, list[str]]:
    """Addresses grouped by the language of the person who has each one; an address
    that is no one's account (the secretariat's mailbox) gets the site's language."""
    addresses = list(dict.fromkeys(addresses))
    people = get_user_model().objects.filter(email__in=[a.lower() for a in addresses])
    language = {person.email: recipient_language(person) for person in people}
    groups: dict[str, list[str]] = {}
    for address in addresses:
        code = language.get(address.lower(), settings.LANGUAGE_CODE)
        groups.setdefault(code, []).append(address)
    return groups


def send_templated_mail(
    template: str,
    context: Mapping[str, object],
    to: list[str],
    *,
    language: str | None = None,
) -> None:
    """Render `<template>_subject.txt` and `<template>.txt` and send them to `to`,
    each person in their language (or all in `language`, when given).

    Nothing is sent to an empty list.
    """
    groups = {language: to} if language and to else languages_of(to)
    for language, addresses in groups.items():
        subject, body = render_in_language(template, context, language)
        send_rendered_mail(subject, body, addresses)
