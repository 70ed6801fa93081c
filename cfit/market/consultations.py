"""Writes about market consultations: set up, questions, answers, closing, summary."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cfit.accounts.models import User
from cfit.criteria.models import Criterion, ProductGroup
from cfit.groups.models import BuyerGroup, WorkingGroup
from cfit.groups.services import notify
from cfit.lib.uploads import check_uploaded_document

from . import selectors
from .models import (
    Answer,
    ConsultationQuestion,
    ConsultationResponse,
    MarketConsultation,
    MarketParty,
    MarketPartyKind,
    QuestionKind,
    ResponseStatus,
)
from .services import party_people


@dataclass(frozen=True)
class ConsultationDetails:
    title: str
    context: str
    opens_at: datetime
    closes_at: datetime
    audience_kinds: list[str]
    answers_attributed: bool
    organiser_group: BuyerGroup | None = None
    organiser_working_group: WorkingGroup | None = None
    buyer_groups: tuple[BuyerGroup, ...] = ()
    product_groups: tuple[ProductGroup, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    original_language: str = "en"


def _check_details(by: User, details: ConsultationDetails) -> None:
    if details.closes_at <= details.opens_at:
        raise ValidationError(
            {"closes_at": _("The close date must be after the opening.")}
        )
    unknown = set(details.audience_kinds) - set(MarketPartyKind.values)
    if unknown:
        raise ValidationError({"audience_kinds": _("Choose kinds from the list.")})
    group, working_group = details.organiser_group, details.organiser_working_group
    if group is None and working_group is None and not selectors.is_secretariat(by):
        raise ValidationError(
            _("Choose the buyer group or working group that runs the consultation.")
        )
    if group is not None and group not in selectors.organiser_groups_for(by):
        raise PermissionDenied
    if (
        working_group is not None
        and working_group not in selectors.organiser_working_groups_for(by)
    ):
        raise PermissionDenied


@transaction.atomic
def consultation_save(
    *,
    by: User,
    details: ConsultationDetails,
    consultation: MarketConsultation | None = None,
    is_demo: bool = False,
) -> MarketConsultation:
    """Set up a consultation, or change its details before it is sent to the market."""
    if consultation is not None:
        if not selectors.is_organiser(by, consultation):
            raise PermissionDenied
        if consultation.is_published:
            raise ValidationError(
                _("The consultation is sent: only its close date can still change.")
            )
    _check_details(by, details)
    if consultation is None:
        consultation = MarketConsultation(created_by=by, is_demo=is_demo)
    for name in (
        "title",
        "context",
        "opens_at",
        "closes_at",
        "audience_kinds",
        "answers_attributed",
        "organiser_group",
        "organiser_working_group",
        "original_language",
    ):
        setattr(consultation, name, getattr(details, name))
    consultation.title = " ".join(details.title.split())
    consultation.save()
    consultation.buyer_groups.set(details.buyer_groups)
    consultation.product_groups.set(details.product_groups)
    # The criteria named by per-criterion questions stay linked whatever the form says.
    asked = Criterion.objects.filter(market_questions__consultation=consultation)
    consultation.criteria.set({*details.criteria, *asked})
    return consultation


def _refuse_if_answered(consultation: MarketConsultation) -> None:
    if consultation.responses.exists():
        raise ValidationError(
            _(
                "Market parties have started answering: the questions can no longer "
                "change. You can still extend the close date."
            )
        )


@transaction.atomic
def question_add(
    *,
    consultation: MarketConsultation,
    by: User,
    text: str,
    kind: str,
    choices: str = "",
    criterion: Criterion | None = None,
    required: bool = False,
) -> ConsultationQuestion:
    """Add a question; refused once an answer exists."""
    if not selectors.is_organiser(by, consultation):
        raise PermissionDenied
    _refuse_if_answered(consultation)
    if kind == QuestionKind.CRITERION and criterion is None:
        raise ValidationError({"criterion": _("Choose the criterion you ask about.")})
    lines = [line.strip() for line in choices.splitlines() if line.strip()]
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(lines) < 2:
        raise ValidationError(
            {"choices": _("Give at least two choices, one per line.")}
        )
    question = ConsultationQuestion.objects.create(
        consultation=consultation,
        position=consultation.questions.count() + 1,
        text=text.strip(),
        kind=kind,
        choices="\n".join(lines),
        criterion=criterion if kind == QuestionKind.CRITERION else None,
        required=required,
    )
    if question.criterion is not None:
        consultation.criteria.add(question.criterion)
    return question


@transaction.atomic
def question_delete(*, question: ConsultationQuestion, by: User) -> None:
    if not selectors.is_organiser(by, question.consultation):
        raise PermissionDenied
    _refuse_if_answered(question.consultation)
    question.delete()


@transaction.atomic
def consultation_publish(
    *, consultation: MarketConsultation, by: User
) -> MarketConsultation:
    """Send the consultation to its audience; they are told."""
    if not selectors.is_organiser(by, consultation):
        raise PermissionDenied
    if consultation.is_published:
        raise ValidationError(_("The consultation has already been sent."))
    if not consultation.questions.exists():
        raise ValidationError(_("Add at least one question first."))
    if consultation.closes_at <= timezone.now():
        raise ValidationError(_("The close date has passed: set a later one first."))
    consultation.is_published = True
    consultation.save(update_fields=["is_published"])
    parties = MarketParty.objects.verified()
    if consultation.audience_kinds:
        parties = parties.filter(kind__in=consultation.audience_kinds)
    people = [person for party in parties for person in party_people(party)]
    title = consultation.title
    url = consultation.get_absolute_url()
    transaction.on_commit(
        lambda: notify(
            recipients=people,
            kind="consultation.opened",
            # Written in each recipient's language.
            text=lambda: _("A new market consultation: %(title)s") % {"title": title},
            url=url,
            email_template="email/notice",
        )
    )
    return consultation


@transaction.atomic
def consultation_set_close(
    *, consultation: MarketConsultation, by: User, closes_at: datetime
) -> MarketConsultation:
    """Move the close date: extend it, or close now (a moment in the past is now)."""
    if not selectors.is_organiser(by, consultation):
        raise PermissionDenied
    closes_at = max(closes_at, timezone.now())
    if closes_at <= consultation.opens_at:
        raise ValidationError(_("The close date must be after the opening."))
    consultation.closes_at = closes_at
    consultation.save(update_fields=["closes_at"])
    return consultation


# Answers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerValue:
    """What a party entered for one question; which field counts depends on the kind."""

    text: str = ""
    selected: tuple[str, ...] = ()
    number: Decimal | None = None
    yes: bool | None = None
    meets_today: bool | None = None
    expected_year: int | None = None
    upload: UploadedFile | None = None

    def is_empty(self, kind: str) -> bool:
        if kind == QuestionKind.CRITERION:
            return self.meets_today is None and self.expected_year is None
        empty: dict[str, bool] = {
            QuestionKind.TEXT: not self.text.strip(),
            QuestionKind.SINGLE: not self.selected,
            QuestionKind.MULTIPLE: not self.selected,
            QuestionKind.NUMBER: self.number is None,
            QuestionKind.YES_NO: self.yes is None,
            QuestionKind.FILE: self.upload is None,
        }
        return empty.get(kind, True)


def _store_answer(
    response: ConsultationResponse, question: ConsultationQuestion, value: AnswerValue
) -> None:
    answer, _created = Answer.objects.get_or_create(
        response=response, question=question
    )
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        allowed = question.choice_list
        if any(choice not in allowed for choice in value.selected) or (
            question.kind == QuestionKind.SINGLE and len(value.selected) > 1
        ):
            raise ValidationError(_("Choose from the choices given."))
    if question.kind == QuestionKind.CRITERION and value.meets_today:
        value = AnswerValue(meets_today=True)
    answer.text = value.text.strip()
    answer.selected = list(value.selected)
    answer.number = value.number
    answer.yes = value.yes
    answer.meets_today = value.meets_today
    answer.expected_year = value.expected_year
    if question.kind == QuestionKind.FILE and value.upload is not None:
        file_type = check_uploaded_document(
            value.upload, field=f"question_{question.pk}"
        )
        name = value.upload.name or f"answer.{file_type}"
        answer.file.save(name, value.upload, save=False)
        answer.file_name = name[:255]
    answer.save()


def _refuse_missing(
    response: ConsultationResponse,
    questions: Iterable[ConsultationQuestion],
    values: dict[int, AnswerValue],
) -> None:
    kept_files = set(
        Answer.objects.filter(response=response)
        .exclude(file="")
        .values_list("question_id", flat=True)
    )
    missing = [
        question.text
        for question in questions
        if question.required
        and values.get(question.pk, AnswerValue()).is_empty(question.kind)
        and question.pk not in kept_files
    ]
    if missing:
        raise ValidationError(
            _("Answer every required question before you submit: %(questions)s")
            % {"questions": "; ".join(missing)}
        )


@transaction.atomic
def answers_save(
    *,
    consultation: MarketConsultation,
    by: User,
    values: dict[int, AnswerValue],
    submit: bool,
) -> ConsultationResponse:
    """Save the party's answers as a draft, or submit them; amend until the close date.

    All or nothing: a refused file or a missing required answer stores nothing.
    """
    party = selectors.verified_party_for_user(by)
    if party is None or not selectors.in_audience(party, consultation):
        raise PermissionDenied
    if not consultation.is_open:
        raise ValidationError(
            _("This consultation is closed: answers can no longer be given or changed.")
            if consultation.is_closed
            else _("This consultation is not open yet.")
        )
    response, _created = ConsultationResponse.objects.select_for_update().get_or_create(
        consultation=consultation, party=party
    )
    questions: Iterable[ConsultationQuestion] = list(consultation.questions.all())
    if submit:
        _refuse_missing(response, questions, values)
    for question in questions:
        value = values.get(question.pk, AnswerValue())
        if question.kind == QuestionKind.FILE and value.upload is None:
            continue  # keep the document sent before
        _store_answer(response, question, value)
    now = timezone.now()
    if submit:
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = now
    response.updated_at = now
    response.updated_by = by
    response.save()
    return response


@transaction.atomic
def summary_publish(
    *, consultation: MarketConsultation, by: User, summary: str
) -> MarketConsultation:
    """Publish the summary of a closed consultation: everyone can read it."""
    if not selectors.is_organiser(by, consultation):
        raise PermissionDenied
    if not consultation.is_closed:
        raise ValidationError(_("Publish the summary after the consultation closes."))
    if not summary.strip():
        raise ValidationError({"summary": _("Write the summary first.")})
    consultation.summary = summary.strip()
    consultation.summary_published_at = timezone.now()
    consultation.save(update_fields=["summary", "summary_published_at"])
    people = [
        person
        for response in selectors.submitted_responses(consultation)
        for person in party_people(response.party)
    ]
    title = consultation.title
    url = reverse("market:consultation", kwargs={"pk": consultation.pk})
    transaction.on_commit(
        lambda: notify(
            recipients=people,
            kind="consultation.summary",
            text=lambda: _("The summary of %(title)s is published.") % {"title": title},
            url=url,
        )
    )
    return consultation
