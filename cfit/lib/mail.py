"""One way to send the site's emails: a subject and a body template, the Pact's prefix."""

from collections.abc import Mapping

from django.conf import settings
from django.core.mail import send_mail
from django.template import Context
from django.template.loader import get_template


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


def send_templated_mail(
    template: str, context: Mapping[str, object], to: list[str]
) -> None:
    """Render `<template>_subject.txt` and `<template>.txt` and send them to `to`.

    Nothing is sent to an empty list.
    """
    if not to:
        return
    subject, body = render_templated_mail(template, context)
    send_rendered_mail(subject, body, to)
