from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cfit.lib.countries import country_choices

from .models import OrganisationKind, SignatureRole


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    country = forms.ChoiceField(label=_("Country"))
    kind = forms.ChoiceField(
        label=_("Kind of organisation"), choices=OrganisationKind.choices
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        help_text=_("For example: https://www.example.gov"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country: forms.ChoiceField = self.fields["country"]  # type: ignore[assignment]
        country.choices = [("", _("Choose a country")), *country_choices()]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Enter the full name of the organisation."))
        return name


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the administrators"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say who you are, so they recognise you."),
    )


class SignatureForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role in which your organisation signs"),
        choices=SignatureRole.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Procuring: your organisation buys ICT and reports what it buys. "
            "Coordinating: your organisation sets up and runs a buyer group. "
            "To sign in both roles, sign twice."
        ),
    )
    signatory_name = forms.CharField(label=_("Name of the signatory"), max_length=200)
    signatory_title = forms.CharField(
        label=_("Title or function of the signatory"),
        max_length=200,
        help_text=_("For example: Chief Procurement Officer"),
    )
    agree = forms.BooleanField(
        label=_(
            "I sign the Pact text shown above on behalf of my organisation, and I may do so."
        ),
    )

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        """Offer only the roles the organisation has not signed (or asked to sign) yet."""
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        role.choices = [c for c in SignatureRole.choices if c[0] in roles]  # type: ignore[attr-defined]
        if len(roles) == 1:
            role.initial = roles[0]


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The organisation's administrators receive this text."),
    )


class SignatoryFilterForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("Both roles"))] + list(SignatureRole.choices),
    )
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        required=False,
        choices=[("", _("All kinds"))] + list(OrganisationKind.choices),
    )

    def __init__(
        self, *args: Any, countries: set[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # Only the countries that have signatories: a shorter list to choose from, and
        # a page that does not draw 250 options on every visit.
        choices = [
            (code, name)
            for code, name in country_choices()
            if countries is None or code in countries
        ]
        self.fields["country"].choices = [("", _("All countries")), *choices]  # type: ignore[attr-defined]
