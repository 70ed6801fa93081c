import zoneinfo
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cfit.accounts.forms import human_check_field
from cfit.criteria.models import (
    Criterion,
    CriterionLevel,
    CriterionVersion,
    ProductGroup,
)
from cfit.groups.models import BuyerGroup
from cfit.lib.countries import country_choices
from cfit.lib.forms import BoundedModelMultipleChoiceField
from cfit.lib.translations import reader_language
from cfit.monitoring.models import Condition, PurchaseLine

from .models import (
    PUBLISHABLE_EFFECTS,
    Event,
    ExampleLanguage,
    GoodExample,
    NewsItem,
    Procedure,
)

# Time zones offered for events: Europe's, and those of signatories elsewhere.
TIME_ZONES = sorted(
    zone
    for zone in zoneinfo.available_timezones()
    if zone.startswith("Europe/")
    or zone
    in {
        "UTC",
        "America/Toronto",
        "America/New_York",
        "America/Chicago",
        "America/Los_Angeles",
        "Australia/Sydney",
        "Africa/Nairobi",
    }
)


class VersionChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.criterion.code} v{obj.number} ({obj.get_level_display()}): {obj.title}"


class LineChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _(
            "%(year)s report: %(quantity)s × %(group)s, %(condition)s, %(country)s"
        ) % {
            "year": obj.report.year,
            "quantity": obj.quantity,
            "group": obj.product_group.name,
            "condition": obj.get_condition_display(),
            "country": obj.get_country_of_use_display(),
        }


class ExampleForm(forms.ModelForm):
    product_groups = BoundedModelMultipleChoiceField(
        label=_("Product groups"),
        queryset=ProductGroup.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    criterion_versions = VersionChoiceField(
        label=_("Criteria used"),
        queryset=CriterionVersion.objects.public().select_related("criterion"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each with the version and level you used."),
    )
    purchase_lines = LineChoiceField(
        label=_("Purchase lines of this tender"),
        queryset=PurchaseLine.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The platform computes the effects of these lines. Only your organisation, "
            "its coordinators and the secretariat see the lines themselves."
        ),
    )
    published_effects = forms.MultipleChoiceField(
        label=_("Totals shown to every reader"),
        choices=[(key, label) for key, (label, _unit) in PUBLISHABLE_EFFECTS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = GoodExample
        fields = [
            "title",
            "kind",
            "summary",
            "language",
            "tags",
            "visibility",
            "product_groups",
            "devices",
            "contract_value",
            "duration_months",
            "contract_type",
            "condition",
            "year",
            "procedure",
            "criterion_versions",
            "market_consultation",
            "award_weights",
            "verification",
            "buyer_group",
            "show_contact",
            "results",
            "what_worked",
            "do_differently",
            "purchase_lines",
            "published_effects",
        ]
        widgets = {
            "visibility": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "market_consultation": _("You can use Markdown."),
            "results": _("You can use Markdown."),
        }

    def __init__(
        self,
        *args: Any,
        groups: Any = None,
        lines: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buyer_group"].queryset = (  # type: ignore[attr-defined]
            groups if groups is not None else BuyerGroup.objects.none()
        )
        self.fields["purchase_lines"].queryset = (  # type: ignore[attr-defined]
            lines if lines is not None else PurchaseLine.objects.none()
        )
        if self.instance.pk:
            self.initial["criterion_versions"] = list(
                self.instance.criteria_used.values_list("version", flat=True)
            )


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label=_("What should the author change?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment or question"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Members of the Pact read it. You can use Markdown."),
    )
    is_question = forms.BooleanField(
        label=_("This is a question to the author"), required=False
    )


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class ExampleFilterForm(forms.Form):
    """The search and its filters, read from the URL so that a search can be shared."""

    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    product_group = forms.ChoiceField(label=_("Product group"), required=False)
    criterion = forms.ChoiceField(label=_("Criterion"), required=False)
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=_blank(_("Any level")) + list(CriterionLevel.choices),
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=_blank(_("Any language")) + list(ExampleLanguage.choices),
    )
    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=2000, max_value=2100
    )
    condition = forms.ChoiceField(
        label=_("Condition"),
        required=False,
        choices=_blank(_("Any condition")) + list(Condition.choices),
    )
    procedure = forms.ChoiceField(
        label=_("Procedure"),
        required=False,
        choices=_blank(_("Any procedure")) + list(Procedure.choices),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product_group"].choices = _blank(_("Any product group")) + list(  # type: ignore[attr-defined]
            ProductGroup.objects.values_list("code", "name")
        )
        self.fields["criterion"].choices = _blank(_("Any criterion")) + [  # type: ignore[attr-defined]
            (code, f"{code} {title}")
            for code, title in Criterion.objects.filter(
                versions__good_examples__isnull=False
            )
            .distinct()
            .values_list("code", "title")
        ]
        self.fields["country"].choices = _blank(_("Any country")) + list(  # type: ignore[attr-defined]
            country_choices()
        )


def _language_written_in(form: forms.ModelForm) -> None:
    """The language the author writes in: the page's, unless they say otherwise."""
    field = form.fields["original_language"]
    field.required = False
    field.label = _("Language you write in")
    if not form.instance.pk:
        field.initial = reader_language()


def clean_original_language(form: forms.ModelForm) -> str:
    return form.cleaned_data.get("original_language") or reader_language()


class NewsForm(forms.ModelForm):
    class Meta:
        model = NewsItem
        fields = ["title", "summary", "body", "original_language", "audience", "group"]
        widgets = {"audience": forms.RadioSelect}

    def __init__(self, *args: Any, groups: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = (  # type: ignore[attr-defined]
            groups if groups is not None else BuyerGroup.objects.none()
        )
        _language_written_in(self)
        self.fields["group"].help_text = _("Only for news of one buyer group.")

    def clean_original_language(self) -> str:
        return clean_original_language(self)

    def _post_clean(self) -> None:
        """The service checks the rules; the form only reads the values."""


class EventForm(forms.ModelForm):
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("In the event's time zone."),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("In the event's time zone."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=[(zone, zone.replace("_", " ")) for zone in TIME_ZONES],
        initial="Europe/Brussels",
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "description",
            "starts_at",
            "ends_at",
            "time_zone",
            "place",
            "online_url",
            "audience",
            "group",
            "registration_open",
            "capacity",
            "original_language",
        ]
        widgets = {"audience": forms.RadioSelect}

    def __init__(self, *args: Any, groups: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = (  # type: ignore[attr-defined]
            groups if groups is not None else BuyerGroup.objects.none()
        )
        _language_written_in(self)
        self.fields["group"].help_text = _("Only for an event of one buyer group.")
        if self.instance.pk:
            # Shown as written: in the event's own time zone, not the site's.
            zone = zoneinfo.ZoneInfo(self.instance.time_zone)
            for name in ("starts_at", "ends_at"):
                value = getattr(self.instance, name).astimezone(zone)
                self.initial[name] = value.replace(tzinfo=None)

    def clean_original_language(self) -> str:
        return clean_original_language(self)

    def _post_clean(self) -> None:
        """The service checks the rules (end after start, audience); not the form."""


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Your email address"))
    organisation = forms.CharField(
        label=_("Your organisation"), max_length=200, required=False
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 6})
    )
    human_check = human_check_field()
