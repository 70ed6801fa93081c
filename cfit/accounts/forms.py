from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_altcha import AltchaField

HUMAN_CHECK_HELP = _(
    "Your browser solves a small puzzle to show you are a person. "
    "Nothing is sent to another website."
)


def human_check_field() -> AltchaField:
    """The self-hosted human check: a puzzle signed here and solved in the browser."""
    return AltchaField(
        label=_("Human check"),
        help_text=HUMAN_CHECK_HELP,
        hidefooter=True,  # no link to an outside website
        hidelogo=True,  # the logo is a hidden but focusable link (fails WCAG)
        maxnumber=settings.ALTCHA_MAX_NUMBER,
    )


class SignupForm(AllauthSignupForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    human_check = human_check_field()

    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    def save(self, request):  # noqa: ANN001 (allauth's signature)
        user = super().save(request)
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])
        return user


class ResetPasswordForm(AllauthResetPasswordForm):
    human_check = human_check_field()


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("The language of the site and of the emails it sends you."),
    )


class LanguageForm(forms.Form):
    """The switcher on every page: a language and the page to come back to."""

    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False, max_length=2000)
