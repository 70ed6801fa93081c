"""Changes to a person's account settings (the one write path for them)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cfit.lib.i18n import known_language

from .models import User


def user_language_set(*, user: User, language: str) -> User:
    """Store the language the person reads the site and their emails in."""
    if known_language(language) is None:
        raise ValidationError(_("Choose one of the offered languages."))
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
