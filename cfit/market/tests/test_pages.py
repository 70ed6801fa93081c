"""The market pages open for the people they are for, and not for others."""

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from cfit.criteria.models import Criterion, ProductGroup
from cfit.market import services
from cfit.market.admin import MilestoneAdmin
from cfit.market.models import Milestone
from cfit.monitoring.tests.factories import DemandForecastFactory

from .factories import close, open_consultation


def test_public_market_pages_open_for_a_visitor(client, db):
    for name in ("home", "parties", "consultations", "statements", "roadmap"):
        assert client.get(reverse(f"market:{name}")).status_code == 200, name


def test_an_organiser_reads_the_pages_of_the_consultation(
    client, coordinator, group, party_person
):
    consultation = open_consultation(
        coordinator, group=group, criterion=Criterion.objects.get(code="LIFE-01")
    )
    client.force_login(coordinator)
    for name in ("consultation", "answers", "consultation-edit"):
        url = reverse(f"market:{name}", kwargs={"pk": consultation.pk})
        assert client.get(url).status_code == 200, name
    assert client.get(reverse("market:consultation-new")).status_code == 200
    client.force_login(party_person)
    answer_url = reverse("market:answer", kwargs={"pk": consultation.pk})
    assert b"LIFE-01" in client.get(answer_url).content
    for name in ("answers", "consultation-edit"):
        url = reverse(f"market:{name}", kwargs={"pk": consultation.pk})
        assert client.get(url).status_code == 404, name


def test_a_closed_consultation_refuses_answers_through_the_form_with_a_message(
    client, coordinator, group, party_person
):
    consultation = open_consultation(coordinator, group=group)
    question = consultation.questions.get()
    client.force_login(party_person)
    close(consultation)
    response = client.post(
        reverse("market:answer", kwargs={"pk": consultation.pk}),
        {f"question_{question.pk}": "Late", "action": "submit"},
    )
    assert response.status_code == 200
    assert b"This consultation is closed" in response.content
    assert not consultation.responses.exists()


def test_a_procurer_cannot_start_a_consultation_without_a_group_to_run_it(
    client, procurer_b, party_person
):
    for person in (procurer_b, party_person):
        client.force_login(person)
        assert client.get(reverse("market:consultation-new")).status_code == 404
        assert client.get(reverse("market:statement-new")).status_code == 404


@pytest.fixture
def milestone(secretariat):
    return Milestone(
        theme="repair", title="Spare parts for seven years", target_year=2028
    )


def test_the_roadmap_is_kept_through_the_admin_by_the_secretariat_only(
    milestone, secretariat, procurer_a, client
):
    admin = MilestoneAdmin(Milestone, site)
    request = RequestFactory().post("/")
    request.user = procurer_a
    with pytest.raises(PermissionDenied):
        admin.save_model(request, milestone, form=None, change=False)
    request.user = secretariat
    admin.save_model(request, milestone, form=None, change=False)
    page = client.get(reverse("market:roadmap"))
    assert b"Spare parts for seven years" in page.content
    assert b"2028" in page.content


def test_only_organisers_change_a_consultation(
    client, coordinator, group, party_person, procurer_a
):
    consultation = open_consultation(coordinator, group=group)
    closes_at = consultation.closes_at
    question = consultation.questions.get()
    posts = [
        ("market:question-add", {"text": "Sneaky?", "kind": "text"}),
        ("market:consultation-close", {"now": "1"}),
        ("market:summary-publish", {"summary": "Fake"}),
        ("market:consultation-publish", {}),
    ]
    for person in (party_person, procurer_a):
        client.force_login(person)
        for name, data in posts:
            url = reverse(name, kwargs={"pk": consultation.pk})
            assert client.post(url, data).status_code == 404, name
        url = reverse(
            "market:question-delete",
            kwargs={"pk": consultation.pk, "question_pk": question.pk},
        )
        assert client.post(url).status_code == 404
    consultation.refresh_from_db()
    assert consultation.closes_at == closes_at
    assert consultation.questions.count() == 1
    assert consultation.summary_published_at is None


def test_only_drafters_change_or_publish_a_draft_statement(
    client, secretariat, coordinator, procurer_a, party_person
):
    draft = services.statement_save(
        by=secretariat,
        title="Draft statement",
        text="Not yet",
        from_year=2027,
        level="base",
        criteria=Criterion.objects.filter(code="LIFE-01"),
        product_groups=ProductGroup.objects.filter(code="laptop"),
    )
    for person in (coordinator, procurer_a, party_person):
        client.force_login(person)
        edit = reverse("market:statement-edit", kwargs={"slug": draft.slug})
        publish = reverse("market:statement-publish", kwargs={"slug": draft.slug})
        assert client.get(edit).status_code == 404
        assert client.post(publish).status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_market_party_cannot_express_interest_in_a_tender(client, party_person):
    forecast = DemandForecastFactory()
    client.force_login(party_person)
    url = reverse("market:tender-interest", kwargs={"pk": forecast.pk})
    assert client.post(url).status_code == 404
    assert not forecast.interests.exists()
