"""Pages of market consultations: set up, answer, read answers, export, summary."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cfit.lib.translations import other_languages
from cfit.lib.typing import AuthenticatedRequest
from cfit.organisations.selectors import is_secretariat
from cfit.security.models import SecurityAction
from cfit.security.services import audit_record

from . import consultations as services
from . import selectors
from .exports import answers_workbook
from .forms import (
    AnswersForm,
    CloseDateForm,
    ConsultationForm,
    QuestionForm,
    SummaryForm,
    end_of,
    start_of,
)
from .models import Answer, ConsultationQuestion, MarketConsultation


def _get_visible(request: HttpRequest, pk: int) -> MarketConsultation:
    consultation = get_object_or_404(MarketConsultation, pk=pk)
    if not selectors.can_see_consultation(request.user, consultation):
        raise Http404
    return consultation


def _get_for_organiser(request: HttpRequest, pk: int) -> MarketConsultation:
    consultation = get_object_or_404(MarketConsultation, pk=pk)
    if not selectors.is_organiser(request.user, consultation):
        raise Http404
    return consultation


def consultation_list(request: HttpRequest) -> HttpResponse:
    party = selectors.verified_party_for_user(request.user)
    return render(
        request,
        "market/consultation_list.html",
        {
            "party": party,
            "open_for_party": selectors.consultations_for_party(party) if party else [],
            "run_by_me": selectors.consultations_run_by(request.user),
            "summaries": selectors.published_summaries(),
            "can_run": selectors.can_run_consultations(request.user),
        },
    )


def _consultation_form(
    request: AuthenticatedRequest, initial: dict | None = None
) -> ConsultationForm:
    return ConsultationForm(
        request.POST or None,
        initial=initial,
        groups=selectors.organiser_groups_for(request.user),
        working_groups=selectors.organiser_working_groups_for(request.user),
        secretariat=is_secretariat(request.user),
    )


def _details(form: ConsultationForm) -> services.ConsultationDetails:
    data = form.cleaned_data
    field = form.fields["organiser"]
    group, working_group = field.organiser(data.get("organiser") or "")  # type: ignore[attr-defined]
    return services.ConsultationDetails(
        title=data["title"],
        context=data["context"],
        opens_at=start_of(data["opens_on"]),
        closes_at=end_of(data["closes_on"]),
        audience_kinds=list(data["audience_kinds"]),
        answers_attributed=data["answers_attributed"],
        organiser_group=group,
        organiser_working_group=working_group,
        buyer_groups=tuple(data["buyer_groups"]),
        product_groups=tuple(data["product_groups"]),
        criteria=tuple(data["criteria"]),
        original_language=data["original_language"],
    )


@login_required
def consultation_edit(
    request: AuthenticatedRequest, pk: int | None = None
) -> HttpResponse:
    consultation = _get_for_organiser(request, pk) if pk else None
    if consultation is None and not selectors.can_run_consultations(request.user):
        raise Http404
    initial = _initial(consultation) if consultation else None
    form = _consultation_form(request, initial)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_save(
                by=request.user, details=_details(form), consultation=consultation
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The consultation is saved. Add its questions.")
            )
            return redirect(consultation)
    return render(
        request,
        "market/consultation_form.html",
        {"form": form, "consultation": consultation},
    )


def _initial(consultation: MarketConsultation) -> dict:
    organiser = ""
    if consultation.organiser_group_id:
        organiser = f"group:{consultation.organiser_group_id}"
    elif consultation.organiser_working_group_id:
        organiser = f"working-group:{consultation.organiser_working_group_id}"
    return {
        "title": consultation.title,
        "original_language": consultation.original_language,
        "organiser": organiser,
        "context": consultation.context,
        "buyer_groups": consultation.buyer_groups.all(),
        "product_groups": consultation.product_groups.all(),
        "criteria": consultation.criteria.all(),
        "opens_on": timezone.localtime(consultation.opens_at).date(),
        "closes_on": timezone.localtime(consultation.closes_at).date(),
        "audience_kinds": consultation.audience_kinds,
        "answers_attributed": consultation.answers_attributed,
    }


def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _get_visible(request, pk)
    is_organiser = selectors.is_organiser(request.user, consultation)
    party = selectors.verified_party_for_user(request.user)
    return render(
        request,
        "market/consultation_detail.html",
        {
            "consultation": consultation,
            "can_translate": is_organiser,
            "translate_languages": other_languages(consultation),
            "questions": consultation.questions.select_related("criterion"),
            "is_organiser": is_organiser,
            "in_audience": selectors.in_audience(party, consultation),
            "response": selectors.response_of(party, consultation),
            "has_answers": consultation.responses.exists(),
            "submitted": selectors.submitted_responses(consultation).count(),
            "question_form": QuestionForm() if is_organiser else None,
            "close_form": CloseDateForm() if is_organiser else None,
            "summary_form": SummaryForm(initial={"summary": consultation.summary})
            if is_organiser
            else None,
            "attributed": selectors.answers_side_by_side(consultation, attributed=False)
            if consultation.summary_published_at and consultation.answers_attributed
            else [],
        },
    )


def _organiser_action(
    request: AuthenticatedRequest,
    pk: int,
    action: Callable[[MarketConsultation], str],
) -> HttpResponse:
    consultation = _get_for_organiser(request, pk)
    try:
        messages.success(request, action(consultation))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(consultation)


@login_required
@require_POST
def question_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    form = QuestionForm(request.POST)

    def act(consultation: MarketConsultation) -> str:
        if not form.is_valid():
            raise ValidationError(
                [error for errors in form.errors.values() for error in errors]
            )
        services.question_add(
            consultation=consultation, by=request.user, **form.cleaned_data
        )
        return _("The question is added.")

    return _organiser_action(request, pk, act)


@login_required
@require_POST
def question_delete(
    request: AuthenticatedRequest, pk: int, question_pk: int
) -> HttpResponse:
    def act(consultation: MarketConsultation) -> str:
        question = get_object_or_404(
            ConsultationQuestion, pk=question_pk, consultation=consultation
        )
        services.question_delete(question=question, by=request.user)
        return _("The question is removed.")

    return _organiser_action(request, pk, act)


@login_required
@require_POST
def consultation_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def act(consultation: MarketConsultation) -> str:
        services.consultation_publish(consultation=consultation, by=request.user)
        return _("The consultation is sent to the market parties it asks.")

    return _organiser_action(request, pk, act)


@login_required
@require_POST
def consultation_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Close now, or move the close date (extend it)."""
    form = CloseDateForm(request.POST)

    def act(consultation: MarketConsultation) -> str:
        if request.POST.get("now"):
            closes_at = timezone.now()
        elif form.is_valid():
            closes_at = end_of(form.cleaned_data["closes_on"])
        else:
            raise ValidationError(_("Enter a valid date."))
        services.consultation_set_close(
            consultation=consultation, by=request.user, closes_at=closes_at
        )
        if consultation.is_closed:
            return _("The consultation is closed.")
        return _("The close date is changed.")

    return _organiser_action(request, pk, act)


@login_required
def answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A market party answers: save a draft, or submit; amend until the close date."""
    consultation = _get_visible(request, pk)
    party = selectors.verified_party_for_user(request.user)
    if not selectors.in_audience(party, consultation):
        raise Http404
    response = selectors.response_of(party, consultation)
    answers = {a.question_id: a for a in response.answers.all()} if response else {}
    questions = list(consultation.questions.select_related("criterion"))
    form = AnswersForm(
        request.POST or None,
        request.FILES or None,
        questions=questions,
        answers=answers,
    )
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.answers_save(
                consultation=consultation,
                by=request.user,
                values=form.values(),
                submit=submit,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Your answers are submitted. You can change them until the close date."
                )
                if submit
                else _("Your draft is saved. Submit it before the close date."),
            )
            return redirect(consultation)
    return render(
        request,
        "market/answer_form.html",
        {
            "consultation": consultation,
            "form": form,
            "response": response,
            "answers": answers,
        },
    )


@login_required
def answers(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Organisers read all submitted answers side by side, per question."""
    consultation = _get_for_organiser(request, pk)
    return render(
        request,
        "market/answers.html",
        {
            "consultation": consultation,
            "per_question": selectors.answers_side_by_side(
                consultation, attributed=True
            ),
        },
    )


@login_required
@require_POST
def answers_xlsx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The named answers as XLSX: they leave the platform, so the audit log keeps who
    took them (a POST: no link elsewhere can make a download happen)."""
    consultation = _get_for_organiser(request, pk)
    audit_record(
        action=SecurityAction.MEMBER_DATA_EXPORTED,
        actor=request.user,
        target=consultation,
        details=_("Answers of the market consultation, as XLSX"),
        request=request,
    )
    response = HttpResponse(
        answers_workbook(consultation),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="consultation-{consultation.pk}-answers.xlsx"'
    )
    return response


@login_required
def answer_file(request: AuthenticatedRequest, pk: int, answer_pk: int) -> FileResponse:
    """A document a party sent: for the organisers, and for the party itself."""
    consultation = get_object_or_404(MarketConsultation, pk=pk)
    found = get_object_or_404(Answer, pk=answer_pk, question__consultation=consultation)
    own = selectors.party_for_user(request.user)
    if (
        not (
            selectors.is_organiser(request.user, consultation)
            or (own is not None and found.response.party_id == own.pk)
        )
        or not found.file
    ):
        raise Http404
    return FileResponse(
        found.file.open("rb"), as_attachment=True, filename=found.file_name
    )


@login_required
@require_POST
def summary_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    form = SummaryForm(request.POST)

    def act(consultation: MarketConsultation) -> str:
        services.summary_publish(
            consultation=consultation,
            by=request.user,
            summary=form.data.get("summary", ""),
        )
        return _("The summary is published: everyone can read it.")

    return _organiser_action(request, pk, act)
