import io

import pytest
from django.core.management import call_command

from cfit.monitoring.models import (
    DemandForecast,
    PurchaseLine,
    PurchaseReport,
    ReportStatus,
)

pytestmark = pytest.mark.django_db


def test_demo_reports_are_plausible_and_loading_twice_changes_nothing():
    call_command("load_demo", stdout=io.StringIO())
    counts = (
        PurchaseReport.objects.count(),
        PurchaseLine.objects.count(),
        DemandForecast.objects.count(),
    )
    call_command("load_demo", stdout=io.StringIO())
    assert (
        PurchaseReport.objects.count(),
        PurchaseLine.objects.count(),
        DemandForecast.objects.count(),
    ) == counts
    statuses = list(PurchaseReport.objects.values_list("status", flat=True))
    assert statuses.count(ReportStatus.ACCEPTED) > len(statuses) / 2
    assert ReportStatus.DRAFT in statuses
    own = PurchaseReport.objects.filter(organisation__slug="demo-02").order_by("year")
    assert [r.status for r in own] == ["accepted", "accepted", "submitted"]
    assert len({r.year for r in PurchaseReport.objects.all()}) == 3
    assert PurchaseLine.objects.filter(applies_base_criteria=True).exists()
    assert PurchaseLine.objects.filter(has_ecolabel=True).exists()


def test_the_demo_season_is_in_progress_with_its_notices(
    django_capture_on_commit_callbacks,
):
    from cfit.accounts.models import User
    from cfit.groups.models import Notice
    from cfit.monitoring.models import ChangeAction, LineQuery, ReportChange
    from cfit.monitoring.selectors import reports_to_review

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    coordinator = User.objects.get(email="coordinator@demo.cfit.example")
    # The coordinator's to-do list: the demo procurer's report waits for review, and
    # a question is open on another member's.
    waiting = reports_to_review(coordinator)
    assert waiting.filter(
        organisation__slug="demo-02", status=ReportStatus.SUBMITTED
    ).exists()
    question = LineQuery.objects.get()
    assert question.asked_by == coordinator and question.is_open
    assert question.line.report.status == ReportStatus.QUERIED
    # Made by the services: the history and the notices exist.
    kinds = set(
        Notice.objects.filter(recipient=coordinator).values_list("kind", flat=True)
    )
    assert "report.submitted" in kinds
    assert ReportChange.objects.filter(
        action=ChangeAction.ACCEPTED, report__year=question.line.report.year
    ).exists()
    accepted_orgs = PurchaseReport.objects.filter(
        year=question.line.report.year, status=ReportStatus.ACCEPTED
    ).values("organisation")
    assert Notice.objects.filter(
        kind="report.accepted", recipient__memberships__organisation__in=accepted_orgs
    ).exists()
