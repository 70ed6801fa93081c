import csv
import io

import pytest
from django.urls import reverse

from cfit.groups.models import Notice
from cfit.market import services
from cfit.monitoring.tests.factories import DemandForecastFactory
from cfit.organisations.tests.factories import OrganisationFactory, member_of

from .factories import party_with_person

YEAR = 2099  # always ahead: the calendar shows this year on


@pytest.fixture
def tenders(organisation_a, organisation_b):
    shown = DemandForecastFactory(
        organisation=organisation_a,
        title="Alphen laptops",
        quantity=300,
        year=YEAR,
        quarter=2,
    )
    hidden = DemandForecastFactory(
        organisation=OrganisationFactory(name="=HYPERLINK(1)", country="NL"),
        title="Quiet laptops",
        quantity=200,
        year=YEAR,
        quarter=2,
    )
    return shown, hidden


def test_the_calendar_adds_up_tenders_and_names_only_who_chose_to_be_named(
    client, tenders, procurer_a, party_person
):
    shown, hidden = tenders
    services.calendar_entry_save(
        forecast=shown,
        by=procurer_a,
        open_to_joint_procurement=True,
        aligned_criteria=False,
        show_name=True,
    )
    client.force_login(party_person)
    page = client.get(reverse("market:calendar")).content.decode()
    assert "500" in page  # 300 + 200 in one cell: 2099 Q2, laptops, Netherlands
    assert "City of Alphen" in page
    assert "HYPERLINK" not in page and "Quiet laptops" not in page
    assert "Alphen laptops" not in page  # tender titles are for members only


def test_the_csv_download_neutralises_formulas(client, tenders, party_person):
    shown, hidden = tenders
    services.calendar_entry_save(
        forecast=hidden,
        by=member_of(hidden.organisation),
        open_to_joint_procurement=False,
        aligned_criteria=False,
        show_name=True,
    )
    client.force_login(party_person)
    response = client.get(reverse("market:calendar-csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Period"
    assert rows[1][:5] == [
        "2099 Q2",
        "Laptop (portable computer)",
        "Netherlands",
        "Base",
        "500",
    ]
    assert rows[1][6] == "'=HYPERLINK(1)"


def test_members_express_interest_in_an_open_tender_and_the_owner_sees_it(
    client, tenders, procurer_a, procurer_b, django_capture_on_commit_callbacks
):
    shown, _hidden = tenders
    services.calendar_entry_save(
        forecast=shown,
        by=procurer_a,
        open_to_joint_procurement=False,
        aligned_criteria=True,
        show_name=False,
    )
    client.force_login(procurer_b)
    page = client.get(reverse("market:calendar")).content.decode()
    assert "Alphen laptops" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("market:tender-interest", kwargs={"pk": shown.pk}))
    assert Notice.objects.filter(recipient=procurer_a, text__contains="City of Bruges")
    client.force_login(procurer_a)
    own = client.get(reverse("market:calendar")).content.decode()
    assert "Interested" in own and "City of Bruges" in own


def test_a_tender_that_is_not_open_takes_no_interest(client, tenders, procurer_b):
    shown, _hidden = tenders
    client.force_login(procurer_b)
    client.post(reverse("market:tender-interest", kwargs={"pk": shown.pk}), follow=True)
    assert not shown.interests.exists()


def test_only_the_owner_opens_a_tender(client, tenders, procurer_b):
    shown, _hidden = tenders
    client.force_login(procurer_b)
    url = reverse("market:calendar-entry", kwargs={"pk": shown.pk})
    assert client.get(url).status_code == 404


def test_visitors_and_unverified_parties_do_not_read_the_calendar(
    client, secretariat, outsider
):
    assert client.get(reverse("market:calendar")).status_code == 302
    _party, person = party_with_person(secretariat, name="Pending", verified=False)
    for who in (person, outsider):
        client.force_login(who)
        assert client.get(reverse("market:calendar")).status_code == 404
        assert client.get(reverse("market:calendar-csv")).status_code == 404
