from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from cfit.criteria.models import ProductGroup
from cfit.lib.countries import country_choices
from cfit.lib.forms import BoundedModelMultipleChoiceField
from cfit.lib.uploads import DOCUMENT_TYPES

from .models import (
    DEFAULT_DELIVERY,
    LANGUAGE_CHOICES,
    NOTICE_KINDS,
    BuyerGroupKind,
    Delivery,
    NoticePreference,
    WorkingGroupTopic,
)


class BuyerGroupForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the group"),
        max_length=200,
        help_text=_("For example: Dutch national buyer group"),
    )
    kind = forms.ChoiceField(
        label=_("Kind of group"),
        choices=BuyerGroupKind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "A thematic group brings procurers together around one subject, across countries."
        ),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        help_text=_("Needed for a national, regional or local group."),
    )
    region = forms.CharField(
        label=_("Region or place"),
        max_length=120,
        required=False,
        help_text=_("Needed for a regional or local group."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages the group works in"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Public description"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Everyone can read this: what the group does and for whom."),
    )
    how_to_join = forms.CharField(
        label=_("How procurers join"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: who may join, and what members commit to."),
    )
    website = forms.URLField(
        label=_("Website of the existing group"),
        required=False,
        assume_scheme="https",
        help_text=_("If the group already exists outside this site, link to it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country: forms.ChoiceField = self.fields["country"]  # type: ignore[assignment]
        country.choices = [("", _("No country (international)")), *country_choices()]


class JoinGroupForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the group"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say who you are and why your organisation wants to join."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the organisation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you decline: say why. Its people receive this text."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "decline" and not data.get("message", "").strip():
            self.add_error(
                "message",
                _("Say why the request is declined; the organisation is told."),
            )
        return data


class NewsPostForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("News"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )


class DiscussionPostForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ComplexIssueForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Describe the issue"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What crosses groups, what you tried, and what you ask of the others."
        ),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )


class WorkingGroupForm(forms.Form):
    name = forms.CharField(label=_("Name of the working group"), max_length=200)
    topic = forms.ChoiceField(
        label=_("Topic"), choices=WorkingGroupTopic.choices, widget=forms.RadioSelect
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the working group will deliver, and by when."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    product_groups = BoundedModelMultipleChoiceField(
        label=_("Product groups concerned"),
        queryset=ProductGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class WorkingGroupDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("open", _("Open the working group")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the proposer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you decline: say why."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "decline" and not data.get("message", "").strip():
            self.add_error("message", _("Say why the proposal is declined."))
        return data


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word (DOCX), Excel (XLSX) or OpenDocument text (ODT)."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{ext}" for ext in DOCUMENT_TYPES)}
        ),
    )

    def __init__(self, *args: Any, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.help_text = _(
            "PDF, Word (DOCX), Excel (XLSX) or OpenDocument text (ODT), at most %(limit)s."
        ) % {"limit": filesizeformat(max_bytes)}
        # Read by static/js/groups-upload.js to warn before a too large file is sent.
        field.widget.attrs["data-max-bytes"] = str(max_bytes)


class NoticePreferencesForm(forms.Form):
    """One question per kind of event: email at once, a weekly digest, or no email."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = dict(
            NoticePreference.objects.filter(user=user).values_list("kind", "delivery")
        )
        for kind, label in NOTICE_KINDS.items():
            self.fields[kind] = forms.ChoiceField(
                label=str(label),
                choices=Delivery.choices,
                initial=chosen.get(kind, DEFAULT_DELIVERY),
            )
