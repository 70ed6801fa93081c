from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cfit.criteria.models import Criterion, CriterionLevel, ProductGroup
from cfit.groups.models import BuyerGroup, WorkingGroup
from cfit.lib.countries import country_choices
from cfit.lib.forms import BoundedModelMultipleChoiceField
from cfit.lib.translations import WrittenInField

from .consultations import AnswerValue
from .models import (
    Answer,
    ConsultationQuestion,
    MarketPartyKind,
    QuestionKind,
    StatementOfDemand,
)


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def end_of(day: date) -> datetime:
    """A consultation closes at the end of its close date, in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


MAX_PLEDGE_DEVICES = 100_000_000


class MarketPartyForm(forms.Form):
    name = forms.CharField(label=_("Name of the company or NGO"), max_length=200)
    country = forms.ChoiceField(label=_("Country"))
    kind = forms.ChoiceField(label=_("Kind"), choices=MarketPartyKind.choices)
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        help_text=_("For example: https://www.example.com"),
    )
    product_groups = BoundedModelMultipleChoiceField(
        label=_("Product groups you serve"),
        queryset=ProductGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country: forms.ChoiceField = self.fields["country"]  # type: ignore[assignment]
        country.choices = [("", _("Choose a country")), *country_choices()]


def _organiser_choices(
    groups: Any, working_groups: Any, *, secretariat: bool
) -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = []
    if secretariat:
        choices.append(("", str(_("The secretariat"))))
    choices += [(f"group:{g.pk}", str(g)) for g in groups]
    choices += [(f"working-group:{w.pk}", str(w)) for w in working_groups]
    return choices


class OrganiserField(forms.ChoiceField):
    """Who runs it: a buyer group, a working group, or (empty) the secretariat."""

    def organiser(self, value: str) -> tuple[BuyerGroup | None, WorkingGroup | None]:
        kind, _sep, pk = value.partition(":")
        if kind == "group":
            return BuyerGroup.objects.filter(pk=pk).first(), None
        if kind == "working-group":
            return None, WorkingGroup.objects.filter(pk=pk).first()
        return None, None


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    original_language = WrittenInField()
    organiser = OrganiserField(label=_("Run by"), required=False)
    context = forms.CharField(
        label=_("Context"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Why you ask and what you do with the answers. Markdown works."),
    )
    buyer_groups = BoundedModelMultipleChoiceField(
        label=_("Buyer groups concerned"),
        queryset=BuyerGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    product_groups = BoundedModelMultipleChoiceField(
        label=_("Product groups concerned"),
        queryset=ProductGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    criteria = BoundedModelMultipleChoiceField(
        label=_("Criteria it is about"),
        queryset=Criterion.objects.published(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Questions about a criterion add it here by themselves."),
    )
    opens_on = forms.DateField(
        label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(
        label=_("Closes at the end of"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    audience_kinds = forms.MultipleChoiceField(
        label=_("Ask only these kinds of market party"),
        choices=MarketPartyKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose none to ask every verified market party."),
    )
    answers_attributed = forms.BooleanField(
        label=_("Name the parties with their answers in the published summary"),
        required=False,
        help_text=_("Otherwise answers stay confidential to the organisers."),
    )

    def __init__(
        self,
        *args: Any,
        groups: Any,
        working_groups: Any,
        secretariat: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field: OrganiserField = self.fields["organiser"]  # type: ignore[assignment]
        field.choices = _organiser_choices(
            groups, working_groups, secretariat=secretariat
        )
        field.required = not secretariat

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The close date must be after the opening."))
        return data


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Question"), widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices)
    choices = forms.CharField(
        label=_("Choices, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only for one choice or several choices."),
    )
    criterion = forms.ModelChoiceField(
        label=_("Criterion"),
        queryset=Criterion.objects.published(),
        required=False,
        help_text=_("Only for the question whether a party can meet a criterion."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)


class CloseDateForm(forms.Form):
    closes_on = forms.DateField(
        label=_("New close date"), widget=forms.DateInput(attrs={"type": "date"})
    )


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "What the market said and what the buyers will do. Markdown works."
        ),
    )


def _answer_field(question: ConsultationQuestion) -> forms.Field:
    label = question.text
    if question.kind == QuestionKind.TEXT:
        return forms.CharField(
            label=label, required=False, widget=forms.Textarea(attrs={"rows": 4})
        )
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        choices = [(c, c) for c in question.choice_list]
        if question.kind == QuestionKind.SINGLE:
            return forms.ChoiceField(
                label=label, choices=choices, required=False, widget=forms.RadioSelect
            )
        return forms.MultipleChoiceField(
            label=label,
            choices=choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    if question.kind == QuestionKind.NUMBER:
        return forms.DecimalField(label=label, required=False, max_digits=16)
    if question.kind == QuestionKind.YES_NO:
        return forms.ChoiceField(
            label=label,
            choices=[("yes", _("Yes")), ("no", _("No"))],
            required=False,
            widget=forms.RadioSelect,
        )
    if question.kind == QuestionKind.FILE:
        return forms.FileField(
            label=label,
            required=False,
            help_text=_("PDF, Word (DOCX), Excel (XLSX) or OpenDocument text (ODT)."),
        )
    return forms.ChoiceField(
        label=label,
        choices=[
            ("today", _("Yes, today")),
            ("later", _("Not yet")),
            ("never", _("No")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )


class AnswersForm(forms.Form):
    """One field per question (two for a question about a criterion)."""

    def __init__(
        self,
        *args: Any,
        questions: list[ConsultationQuestion],
        answers: dict[int, Answer],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            name = f"question_{question.pk}"
            self.fields[name] = _answer_field(question)
            answer = answers.get(question.pk)
            if question.kind == QuestionKind.CRITERION:
                self.fields[f"year_{question.pk}"] = forms.IntegerField(
                    label=_("If not yet: in which year do you expect to meet it?"),
                    required=False,
                    min_value=timezone.localdate().year,
                    max_value=2100,
                )
            if answer is not None:
                self._initial_from(question, answer)

    def _initial_from(self, question: ConsultationQuestion, answer: Answer) -> None:
        name = f"question_{question.pk}"
        kind = question.kind
        if kind == QuestionKind.CRITERION:
            self.initial[name] = (
                "today"
                if answer.meets_today
                else "later"
                if answer.expected_year
                else "never"
                if answer.meets_today is False
                else ""
            )
            self.initial[f"year_{question.pk}"] = answer.expected_year
        elif kind == QuestionKind.YES_NO and answer.yes is not None:
            self.initial[name] = "yes" if answer.yes else "no"
        elif kind == QuestionKind.SINGLE:
            self.initial[name] = answer.selected[0] if answer.selected else ""
        elif kind == QuestionKind.MULTIPLE:
            self.initial[name] = answer.selected
        elif kind == QuestionKind.NUMBER:
            self.initial[name] = answer.number
        elif kind == QuestionKind.TEXT:
            self.initial[name] = answer.text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for question in self.questions:
            if (
                question.kind == QuestionKind.CRITERION
                and data.get(f"question_{question.pk}") == "later"
                and not data.get(f"year_{question.pk}")
            ):
                self.add_error(
                    f"year_{question.pk}", _("Say in which year you expect to meet it.")
                )
        return data

    def values(self) -> dict[int, AnswerValue]:
        data = self.cleaned_data
        values = {}
        for question in self.questions:
            raw = data.get(f"question_{question.pk}")
            kind = question.kind
            if kind == QuestionKind.CRITERION:
                values[question.pk] = AnswerValue(
                    meets_today={"today": True, "later": False, "never": False}.get(
                        str(raw)
                    ),
                    expected_year=data.get(f"year_{question.pk}")
                    if raw == "later"
                    else None,
                )
            elif kind == QuestionKind.YES_NO:
                values[question.pk] = AnswerValue(
                    yes={"yes": True, "no": False}.get(str(raw))
                )
            elif kind == QuestionKind.SINGLE:
                values[question.pk] = AnswerValue(selected=(raw,) if raw else ())
            elif kind == QuestionKind.MULTIPLE:
                values[question.pk] = AnswerValue(selected=tuple(raw or ()))
            elif kind == QuestionKind.NUMBER:
                values[question.pk] = AnswerValue(number=raw)
            elif kind == QuestionKind.FILE:
                values[question.pk] = AnswerValue(upload=raw or None)
            else:
                values[question.pk] = AnswerValue(text=raw or "")
        return values


class StatementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    original_language = WrittenInField()
    drafted_by = OrganiserField(label=_("Drafted by"), required=False)
    text = forms.CharField(
        label=_("What the buyers will ask for"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "For example: from 2027 we buy smartphones with a 5-year warranty."
        ),
    )
    from_year = forms.IntegerField(
        label=_("From the year"), min_value=2020, max_value=2100
    )
    level = forms.ChoiceField(label=_("Criteria level"), choices=CriterionLevel.choices)
    criteria = BoundedModelMultipleChoiceField(
        label=_("Criteria"),
        queryset=Criterion.objects.published(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    product_groups = BoundedModelMultipleChoiceField(
        label=_("Product groups"),
        queryset=ProductGroup.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        groups: Any,
        working_groups: Any,
        secretariat: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field: OrganiserField = self.fields["drafted_by"]  # type: ignore[assignment]
        field.choices = _organiser_choices(
            groups, working_groups, secretariat=secretariat
        )
        field.required = not secretariat


class EndorseForm(forms.Form):
    """Endorse, with an optional pledge per product group of the statement."""

    def __init__(self, *args: Any, statement: StatementOfDemand, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.product_groups = list(statement.product_groups.all())
        for group in self.product_groups:
            self.fields[f"pledge_{group.pk}"] = forms.IntegerField(
                label=_("%(group)s: devices per year (optional)") % {"group": group},
                required=False,
                min_value=0,
                # More devices than the world buys in a year is a typing slip.
                max_value=MAX_PLEDGE_DEVICES,
                error_messages={
                    "invalid": _("Enter a whole number of devices, 0 or more."),
                    "min_value": _("Enter a whole number of devices, 0 or more."),
                    "max_value": _("Enter at most %(limit_value)s devices a year."),
                },
            )

    def pledges(self) -> dict[ProductGroup, int | None]:
        return {
            group: self.cleaned_data.get(f"pledge_{group.pk}")
            for group in self.product_groups
        }


class CalendarEntryForm(forms.Form):
    open_to_joint_procurement = forms.BooleanField(
        label=_("Open to joint procurement"), required=False
    )
    aligned_criteria = forms.BooleanField(
        label=_("Open to aligning criteria with others"), required=False
    )
    show_name = forms.BooleanField(
        label=_("Show our name to market parties in the calendar"), required=False
    )
    note = forms.CharField(
        label=_("Note for other members"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the organisation (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
