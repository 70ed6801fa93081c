from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SecurityAction


class SecurityEventFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("What happened"),
        required=False,
        choices=[("", _("Everything"))] + list(SecurityAction.choices),
    )
    person = forms.CharField(
        label=_("Person (part of an email address)"), required=False, max_length=254
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
