"""How the account library builds its emails: links from SITE_URL, the secretariat named."""

from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.mail import EmailMessage

# The links allauth puts in its emails, built from whatever host served the request.
_LINK_KEYS = ("activate_url", "password_reset_url", "signup_url")


def on_site(url: str) -> str:
    """The same path on the site's public address (SITE_URL), whatever host was asked."""
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{settings.SITE_URL}{parts.path}{query}"


class AccountAdapter(DefaultAccountAdapter):
    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        context = {
            **context,
            "site_url": settings.SITE_URL,
            "secretariat_email": settings.SECRETARIAT_EMAIL,
        }
        for key in _LINK_KEYS:
            if isinstance(context.get(key), str):
                context[key] = on_site(context[key])
        return super().render_mail(template_prefix, email, context, headers)
