from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cfit.criteria.models import Criterion, ProductGroup
from cfit.market import services
from cfit.market.selectors import reported_share
from cfit.monitoring.models import ReportStatus
from cfit.monitoring.tests.factories import PurchaseLineFactory, PurchaseReportFactory
from cfit.organisations.tests.factories import OrganisationFactory, member_of


@pytest.fixture
def statement(secretariat):
    statement = services.statement_save(
        by=secretariat,
        title="Laptops with a long warranty",
        text="From 2026 we buy laptops with a **5-year** warranty.",
        from_year=2026,
        level="ambitious",
        criteria=Criterion.objects.filter(code__in=["LIFE-01", "LIFE-02"]),
        product_groups=ProductGroup.objects.filter(code="laptop"),
    )
    return services.statement_publish(statement=statement, by=secretariat)


def endorser(statement, name, **pledges):
    organisation = OrganisationFactory(name=name)
    person = member_of(organisation)
    services.statement_endorse(
        statement=statement,
        by=person,
        pledges={ProductGroup.objects.get(code=k): v for k, v in pledges.items()},
    )
    return organisation, person


def line(
    organisation, year, quantity, *, criteria=(), group="laptop", status="submitted"
):
    report = organisation.purchase_reports.filter(
        year=year
    ).first() or PurchaseReportFactory(
        organisation=organisation, year=year, status=status
    )
    made = PurchaseLineFactory(
        report=report,
        quantity=quantity,
        product_group=ProductGroup.objects.get(code=group),
    )
    made.criteria.set(Criterion.objects.filter(code__in=criteria))
    return made


BOTH = ("LIFE-01", "LIFE-02")


def test_the_reported_share_matches_a_hand_computation(statement):
    year = statement.published_on.year
    a, _ = endorser(statement, "Alpha")
    b, _ = endorser(statement, "Beta")
    c, _ = endorser(statement, "Gamma")
    e, _ = endorser(statement, "Epsilon")
    f, f_person = endorser(statement, "Phi")
    d = OrganisationFactory(name="Delta")  # never endorsed

    line(a, year, 100, criteria=BOTH)  # meets both criteria
    line(a, year, 50, criteria=("LIFE-01",))  # meets one of two: counted, not met
    line(b, year, 30, criteria=BOTH)
    line(b, year, 20, criteria=BOTH, group="smartphone")  # not a named product group
    line(c, year, 80)  # no criteria
    line(c, year - 1, 60, criteria=BOTH, status="accepted")  # before the statement
    line(e, year, 40, criteria=BOTH, status=ReportStatus.DRAFT)  # a draft: not counted
    line(f, year, 500, criteria=BOTH)  # withdrawn below
    line(d, year, 1000, criteria=BOTH)  # not an endorser
    services.endorsement_withdraw(endorsement=f.endorsements.get(), by=f_person)

    share = reported_share(statement)
    # By hand: devices 100 + 50 + 30 + 80 = 260; meeting both criteria 100 + 30 = 130.
    assert (share.organisations, share.devices, share.devices_meeting) == (3, 260, 130)
    assert share.percent == Decimal("50.0")
    assert share.publishable


def test_the_share_is_not_shown_for_too_few_organisations(client, statement):
    year = statement.published_on.year
    a, _ = endorser(statement, "Alpha")
    b, _ = endorser(statement, "Beta")
    line(a, year, 10, criteria=BOTH)
    line(b, year, 10)
    assert not reported_share(statement).publishable
    page = client.get(statement.get_absolute_url())
    assert b"Shown once at least" in page.content
    assert b"50.0 %" not in page.content


def test_the_public_page_shows_endorsers_and_pledged_volume(client, statement):
    endorser(statement, "Alpha", laptop=1200)
    endorser(statement, "Beta", laptop=300)
    page = client.get(statement.get_absolute_url())
    assert page.status_code == 200
    assert b"Alpha" in page.content and b"Beta" in page.content
    assert b"1500 devices per year" in page.content
    assert b"<strong>5-year</strong>" in page.content


def test_a_withdrawn_endorsement_stays_in_the_history(client, statement):
    organisation, person = endorser(statement, "Alpha", laptop=100)
    services.endorsement_withdraw(
        endorsement=organisation.endorsements.get(), by=person
    )
    page = client.get(statement.get_absolute_url()).content.decode()
    history = page.split("History")[1]
    assert "Alpha endorsed" in history and "withdrawn on" in history
    assert "No organisation endorses this statement yet." in page
    # It can endorse again afterwards.
    services.statement_endorse(statement=statement, by=person, pledges={})
    assert organisation.endorsements.count() == 2


@pytest.mark.parametrize("pledge", [-1, 2.5, True])
def test_pledges_are_whole_numbers_of_zero_or_more(statement, procurer_a, pledge):
    laptop = ProductGroup.objects.get(code="laptop")
    with pytest.raises(ValidationError, match="whole number"):
        services.statement_endorse(
            statement=statement, by=procurer_a, pledges={laptop: pledge}
        )
    assert not statement.endorsements.exists()


def test_a_negative_pledge_in_the_form_gets_a_message(client, statement, procurer_a):
    client.force_login(procurer_a)
    laptop = ProductGroup.objects.get(code="laptop")
    response = client.post(
        f"{statement.get_absolute_url()}endorse/",
        {f"pledge_{laptop.pk}": "-5"},
        follow=True,
    )
    assert b"whole number of devices, 0 or more" in response.content
    assert not statement.endorsements.exists()


def test_a_draft_statement_is_not_public(client, secretariat, procurer_a):
    draft = services.statement_save(
        by=secretariat,
        title="Draft",
        text="Not yet",
        from_year=2027,
        level="base",
        criteria=Criterion.objects.filter(code="LIFE-01"),
        product_groups=ProductGroup.objects.filter(code="laptop"),
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(procurer_a)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_market_party_cannot_endorse(client, statement, party_person):
    client.force_login(party_person)
    client.post(f"{statement.get_absolute_url()}endorse/", {})
    assert not statement.endorsements.exists()
