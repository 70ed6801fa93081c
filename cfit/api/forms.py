from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TokenScope
from .services import EXPIRY_CHOICES_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Say what uses it, for example “Finance system export”."),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text=_("Read only is enough to fetch reports and figures."),
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=[(d, _("%(days)s days") % {"days": d}) for d in EXPIRY_CHOICES_DAYS],
        initial=90,
    )


class ConsentForm(forms.Form):
    publish_planned_tenders = forms.BooleanField(
        label=_("Publish our planned tenders as open data (OCDS)"),
        required=False,
        help_text=_(
            "Their title, product group, estimated quantity, planned quarter and the "
            "Pact criteria you intend to use become public, so that the market can "
            "prepare. Nothing else of your organisation's data is published."
        ),
    )
