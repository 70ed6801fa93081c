"""One way to send the site's emails: a subject and a body template, the Pact's prefix."""

from collections.abc import Mapping

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def send_templated_mail(
    template: str, context: Mapping[str, object], to: list[str]
) -> None:
    """Render `<template>_subject.txt` and `<template>.txt` and send them to `to`.

    Nothing is sent to an empty list. Every template gets `site_url` for absolute links.
    """
    if not to:
        return
    full_context = {**context, "site_url": settings.SITE_URL}
    subject = render_to_string(f"{template}_subject.txt", full_context)
    body = render_to_string(f"{template}.txt", full_context)
    send_mail(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        body,
        None,
        to,
    )
