import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cfit.criteria.models import Criterion
from cfit.groups.models import Notice
from cfit.market import consultations
from cfit.market.consultations import AnswerValue
from cfit.market.models import QuestionKind, ResponseStatus
from cfit.market.selectors import MINIMUM_READINESS_ANSWERS, criterion_readiness

from .factories import close, open_consultation, party_with_person


@pytest.fixture
def criterion(db):
    return Criterion.objects.get(code="LIFE-01")


def answer(consultation, person, *, meets_today=None, year=None, text="", submit=True):
    questions = {q.kind: q for q in consultation.questions.all()}
    values = {questions[QuestionKind.TEXT].pk: AnswerValue(text=text)}
    if QuestionKind.CRITERION in questions:
        values[questions[QuestionKind.CRITERION].pk] = AnswerValue(
            meets_today=meets_today, expected_year=year
        )
    return consultations.answers_save(
        consultation=consultation, by=person, values=values, submit=submit
    )


def test_a_coordinator_runs_a_consultation_for_the_group_they_coordinate(
    coordinator, group, party_person, criterion, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        consultation = open_consultation(coordinator, criterion=criterion, group=group)
    assert consultation.is_open
    assert list(consultation.criteria.all()) == [criterion]
    # The verified party in the audience is told.
    assert Notice.objects.filter(
        recipient=party_person, text__contains="Battery replacement"
    ).exists()


def test_a_procurer_cannot_run_a_consultation_for_a_group_they_do_not_coordinate(
    procurer_a, group
):
    with pytest.raises(PermissionDenied):
        open_consultation(procurer_a, group=group)


def test_a_party_saves_a_draft_then_submits_and_amends_until_the_close_date(
    coordinator, group, party_person, criterion
):
    consultation = open_consultation(coordinator, criterion=criterion, group=group)
    draft = answer(consultation, party_person, text="Spare parts", submit=False)
    assert draft.status == ResponseStatus.DRAFT
    submitted = answer(consultation, party_person, meets_today=True, text="Nothing")
    assert submitted.status == ResponseStatus.SUBMITTED
    amended = answer(consultation, party_person, meets_today=True, text="Nothing now")
    assert amended.answers.get(question__kind=QuestionKind.TEXT).text == "Nothing now"


def test_answers_after_the_close_date_are_refused_with_a_message(
    coordinator, group, party_person
):
    consultation = open_consultation(coordinator, group=group)
    close(consultation)
    with pytest.raises(ValidationError, match="closed"):
        answer(consultation, party_person, text="Too late")
    assert not consultation.responses.exists()


def test_the_questions_cannot_change_once_an_answer_exists_but_the_close_date_can(
    coordinator, group, party_person
):
    consultation = open_consultation(coordinator, group=group)
    answer(consultation, party_person, text="Draft", submit=False)
    with pytest.raises(ValidationError, match="no longer change"):
        consultations.question_add(
            consultation=consultation, by=coordinator, text="More?", kind="text"
        )
    with pytest.raises(ValidationError):
        consultations.question_delete(
            question=consultation.questions.first(), by=coordinator
        )
    later = consultation.closes_at + timedelta(days=14)
    consultations.consultation_set_close(
        consultation=consultation, by=coordinator, closes_at=later
    )
    consultation.refresh_from_db()
    assert consultation.closes_at == later


def test_a_party_outside_the_audience_cannot_answer_nor_see_the_consultation(
    client, coordinator, group, secretariat
):
    consultation = open_consultation(
        coordinator, group=group, audience_kinds=["recycler"]
    )
    _party, person = party_with_person(secretariat, name="Brand X", kind="brand")
    with pytest.raises(PermissionDenied):
        answer(consultation, person, text="Hello")
    client.force_login(person)
    assert client.get(consultation.get_absolute_url()).status_code == 404


def test_an_unverified_party_cannot_answer(coordinator, group, secretariat):
    consultation = open_consultation(coordinator, group=group)
    _party, person = party_with_person(secretariat, name="New Co", verified=False)
    with pytest.raises(PermissionDenied):
        answer(consultation, person, text="Hello")


def test_a_party_never_sees_another_partys_answers_or_drafts(
    client, coordinator, group, party_person, secretariat
):
    consultation = open_consultation(coordinator, group=group)
    _other, other_person = party_with_person(secretariat, name="Other Refurb")
    answer(consultation, other_person, text="Our secret plan")
    client.force_login(party_person)
    for method, name in (("get", "market:answers"), ("post", "market:answers-xlsx")):
        url = reverse(name, kwargs={"pk": consultation.pk})
        assert getattr(client, method)(url).status_code == 404
    page = client.get(consultation.get_absolute_url())
    assert page.status_code == 200
    assert b"Our secret plan" not in page.content
    assert b"Other Refurb" not in page.content
    # Nor the draft form of the other party: its own form starts empty.
    form = client.get(reverse("market:answer", kwargs={"pk": consultation.pk}))
    assert b"Our secret plan" not in form.content


def test_a_document_answer_goes_through_the_upload_check(
    coordinator, group, party_person, media_root
):
    consultation = open_consultation(coordinator, group=group)
    consultation.questions.all().delete()  # no answer yet: questions may change
    consultation.refresh_from_db()
    question = consultations.question_add(
        consultation=consultation, by=coordinator, text="Your datasheet", kind="file"
    )
    fake = SimpleUploadedFile("sheet.pdf", b"MZ\x90 not a pdf")
    with pytest.raises(ValidationError):
        consultations.answers_save(
            consultation=consultation,
            by=party_person,
            values={question.pk: AnswerValue(upload=fake)},
            submit=True,
        )
    assert not consultation.responses.exists()


def test_the_export_has_one_sheet_per_question_and_never_names_a_confidential_party(
    client, coordinator, group, party_person, criterion
):
    consultation = open_consultation(coordinator, criterion=criterion, group=group)
    answer(consultation, party_person, meets_today=False, year=2028, text="=1+1")
    client.force_login(coordinator)
    response = client.post(
        reverse("market:answers-xlsx", kwargs={"pk": consultation.pk})
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 2
    text_sheet, criterion_sheet = workbook.worksheets
    cells = [c.value for row in text_sheet.iter_rows() for c in row]
    formula_like = [
        c for row in text_sheet.iter_rows() for c in row if c.value == "=1+1"
    ]
    # A formula is neutralised: the text is kept, as a text cell.
    assert formula_like and all(c.data_type == "s" for c in formula_like)
    assert "#1 (Refurbisher)" in cells
    assert not any("Renewed Devices" in str(c) for c in cells)
    assert "Expects to meet it in 2028" in [
        c.value for row in criterion_sheet.iter_rows() for c in row
    ]


def test_after_closing_the_summary_is_published_for_everyone(
    client, coordinator, group, party_person
):
    consultation = open_consultation(coordinator, group=group)
    answer(consultation, party_person, text="A note")
    with pytest.raises(ValidationError):
        consultations.summary_publish(
            consultation=consultation, by=coordinator, summary="Too early"
        )
    assert client.get(consultation.get_absolute_url()).status_code == 404
    close(consultation)
    consultations.summary_publish(
        consultation=consultation, by=coordinator, summary="The market is *ready*."
    )
    page = client.get(consultation.get_absolute_url())
    assert page.status_code == 200
    assert b"<em>ready</em>" in page.content
    assert b"Renewed Devices" not in page.content  # confidential


def _parties_answer(secretariat, consultation, answers):
    for kind, meets_today, year in answers:
        _party, person = party_with_person(
            secretariat, name=f"Party {kind} {meets_today} {year}", kind=kind
        )
        answer(consultation, person, meets_today=meets_today, year=year, text="x")


def test_readiness_shows_only_once_enough_parties_answered_a_closed_consultation(
    client, coordinator, group, secretariat, criterion
):
    consultation = open_consultation(coordinator, criterion=criterion, group=group)
    answers = [
        ("refurbisher", True, None),
        ("refurbisher", False, 2027),
        ("brand", True, None),
        ("brand", False, 2028),
    ][:MINIMUM_READINESS_ANSWERS]
    _parties_answer(secretariat, consultation, answers[:-1])
    close(consultation)
    assert criterion_readiness(criterion) is None
    page = client.get(criterion.get_absolute_url())
    assert b"Shown once at least" in page.content

    consultation.closes_at = timezone.now() + timedelta(days=1)
    consultation.save()
    _parties_answer(secretariat, consultation, answers[-1:])
    assert criterion_readiness(criterion) is None  # still open
    close(consultation)
    readiness = criterion_readiness(criterion)
    assert readiness is not None
    assert readiness.parties == MINIMUM_READINESS_ANSWERS
    assert readiness.today == sum(1 for _k, today, _y in answers if today)
    assert readiness.by_year == [(2027, 1)]
    page = client.get(criterion.get_absolute_url())
    assert b"Market readiness" in page.content
    assert b"meet it today" in page.content


def test_changing_the_details_keeps_the_criteria_of_its_questions(
    coordinator, group, criterion
):
    consultation = consultations.consultation_save(
        by=coordinator,
        details=consultations.ConsultationDetails(
            title="Draft",
            context="Why",
            opens_at=timezone.now(),
            closes_at=timezone.now() + timedelta(days=3),
            audience_kinds=[],
            answers_attributed=False,
            organiser_group=group,
        ),
    )
    consultations.question_add(
        consultation=consultation,
        by=coordinator,
        text="Today?",
        kind=QuestionKind.CRITERION,
        criterion=criterion,
    )
    other = Criterion.objects.get(code="LIFE-02")
    consultations.consultation_save(
        by=coordinator,
        consultation=consultation,
        details=consultations.ConsultationDetails(
            title="Draft, renamed",
            context="Why",
            opens_at=consultation.opens_at,
            closes_at=consultation.closes_at,
            audience_kinds=["brand"],
            answers_attributed=False,
            organiser_group=group,
            criteria=(other,),
        ),
    )
    assert set(consultation.criteria.all()) == {criterion, other}


def test_a_document_answer_is_stored_and_only_the_organisers_and_the_party_fetch_it(
    client, coordinator, group, party_person, secretariat, media_root
):
    consultation = open_consultation(coordinator, group=group)
    consultation.questions.all().delete()
    question = consultations.question_add(
        consultation=consultation, by=coordinator, text="Your datasheet", kind="file"
    )
    pdf = SimpleUploadedFile(
        "datasheet.pdf", b"%PDF-1.4 a datasheet", "application/pdf"
    )
    response = consultations.answers_save(
        consultation=consultation,
        by=party_person,
        values={question.pk: AnswerValue(upload=pdf)},
        submit=True,
    )
    stored = response.answers.get()
    url = reverse(
        "market:answer-file", kwargs={"pk": consultation.pk, "answer_pk": stored.pk}
    )
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    client.force_login(party_person)
    assert client.get(url).status_code == 200
    _other, other_person = party_with_person(secretariat, name="Nosy Reseller")
    client.force_login(other_person)
    assert client.get(url).status_code == 404
