import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cfit.groups import selectors, services
from cfit.groups.models import (
    BuyerGroup,
    BuyerGroupMembership,
    GroupMembershipStatus,
    Notice,
)
from cfit.groups.tests.factories import BuyerGroupFactory, BuyerGroupMembershipFactory
from cfit.organisations.models import SignatureRole
from cfit.organisations.tests.factories import (
    OrganisationFactory,
    SignatureFactory,
    member_of,
    signatory,
)


def test_a_coordinating_signatory_sets_up_a_group_it_coordinates(
    coordinator, coordinating_organisation
):
    group = services.buyer_group_create(
        by=coordinator,
        name="Dutch national buyer group",
        kind="national",
        country="NL",
        languages=["nl", "en"],
        description="Together we buy better.",
        how_to_join="Ask on this page.",
    )
    assert group.coordinator == coordinating_organisation
    assert not group.is_self_organised
    assert group.language_names == ["Dutch", "English"]
    assert not group.memberships.exists()


def test_a_procuring_signatory_sets_up_a_self_organised_group_where_no_coordinator_exists(
    procurer_b, organisation_b
):
    group = services.buyer_group_create(
        by=procurer_b, name="Belgian procurers", kind="national", country="BE"
    )
    assert group.is_self_organised
    founder = group.memberships.get()
    assert founder.organisation == organisation_b
    assert founder.is_founding_member
    assert founder.status == GroupMembershipStatus.ACTIVE
    assert selectors.manages_group(procurer_b, group)


def test_a_procurer_cannot_self_organise_where_a_coordinator_has_signed(
    procurer_a, coordinating_organisation
):
    with pytest.raises(ValidationError, match="coordinating organisation has signed"):
        services.buyer_group_create(
            by=procurer_a, name="Dutch procurers", kind="national", country="NL"
        )
    assert not BuyerGroup.objects.exists()


def test_an_organisation_that_has_not_signed_cannot_set_up_a_group(db):
    organisation = OrganisationFactory(country="FR")
    SignatureFactory(organisation=organisation, role=SignatureRole.COORDINATING)
    person = member_of(organisation)
    with pytest.raises(ValidationError):
        services.buyer_group_create(
            by=person, name="French group", kind="national", country="FR"
        )
    assert not BuyerGroup.objects.exists()


def test_a_national_group_needs_a_country(coordinator):
    with pytest.raises(ValidationError) as error:
        services.buyer_group_create(by=coordinator, name="Somewhere", kind="national")
    assert "country" in error.value.message_dict


def test_a_group_slug_never_takes_a_reserved_address(coordinator):
    group = services.buyer_group_create(by=coordinator, name="Notices", kind="thematic")
    assert group.slug not in services.RESERVED_SLUGS
    assert reverse("groups:detail", kwargs={"slug": group.slug}) != reverse(
        "groups:notices"
    )


def test_a_join_request_tells_the_coordinator_by_email_and_notice(
    group, procurer_b, coordinator, django_capture_on_commit_callbacks
):
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        services.group_join_request(group=group, by=procurer_b, message="Hello")
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "City of Bruges asks to join Dutch buyer group" in mail.outbox[0].subject
    notice = Notice.objects.get(recipient=coordinator)
    assert notice.url == reverse("groups:requests", kwargs={"slug": group.slug})


def test_only_approved_procuring_signatories_can_ask_to_join(group, db):
    organisation = OrganisationFactory(country="NL")
    SignatureFactory(organisation=organisation)  # pending, not approved
    person = member_of(organisation)
    with pytest.raises(ValidationError, match="procuring organisation"):
        services.group_join_request(group=group, by=person)
    assert not group.memberships.filter(organisation=organisation).exists()


def test_an_organisation_cannot_ask_twice(group, procurer_b):
    services.group_join_request(group=group, by=procurer_b)
    with pytest.raises(ValidationError, match="already asked"):
        services.group_join_request(group=group, by=procurer_b)


def test_the_coordinator_accepts_and_the_requester_is_told_with_the_message(
    group, procurer_b, coordinator, organisation_b, django_capture_on_commit_callbacks
):
    membership = services.group_join_request(group=group, by=procurer_b)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        services.group_join_decide(
            membership=membership, by=coordinator, accept=True, message="Welcome aboard"
        )
    membership.refresh_from_db()
    assert membership.status == GroupMembershipStatus.ACTIVE
    assert organisation_b in selectors.member_organisations_of(group)
    assert mail.outbox[0].to == [procurer_b.email]
    assert "Welcome aboard" in mail.outbox[0].body
    assert Notice.objects.filter(recipient=procurer_b, text__contains="now a member")


def test_declining_needs_a_message_and_the_requester_reads_it(
    group, procurer_b, coordinator, django_capture_on_commit_callbacks
):
    membership = services.group_join_request(group=group, by=procurer_b)
    with pytest.raises(ValidationError):
        services.group_join_decide(membership=membership, by=coordinator, accept=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.group_join_decide(
            membership=membership,
            by=coordinator,
            accept=False,
            message="Join the Belgian group instead.",
        )
    membership.refresh_from_db()
    assert membership.status == GroupMembershipStatus.DECLINED
    assert "Join the Belgian group instead." in mail.outbox[-1].body


def test_a_member_cannot_answer_requests_of_a_coordinated_group(
    group, procurer_a, procurer_b
):
    membership = services.group_join_request(group=group, by=procurer_b)
    with pytest.raises(PermissionDenied):
        services.group_join_decide(membership=membership, by=procurer_a, accept=True)


def test_founding_members_answer_requests_of_a_self_organised_group(
    procurer_b, organisation_b, django_capture_on_commit_callbacks
):
    group = services.buyer_group_create(
        by=procurer_b, name="Belgian procurers", kind="national", country="BE"
    )
    newcomer_org = signatory(name="City of Ghent", slug="ghent", country="BE")
    newcomer = member_of(newcomer_org)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.group_join_request(group=group, by=newcomer)
    assert mail.outbox[0].to == [procurer_b.email]
    services.group_join_decide(membership=membership, by=procurer_b, accept=True)
    assert newcomer_org in selectors.member_organisations_of(group)


def test_an_organisation_can_be_in_several_groups_and_leave_one(
    group, procurer_a, organisation_a, coordinating_organisation
):
    thematic = BuyerGroupFactory(
        kind="thematic", country="", coordinator=coordinating_organisation
    )
    BuyerGroupMembershipFactory(group=thematic, organisation=organisation_a)
    assert set(selectors.groups_of(organisation_a)) == {group, thematic}
    services.group_leave(group=thematic, by=procurer_a)
    assert list(selectors.groups_of(organisation_a)) == [group]
    assert thematic.memberships.get().status == GroupMembershipStatus.LEFT


def test_after_leaving_an_organisation_may_ask_again(group, procurer_a):
    services.group_leave(group=group, by=procurer_a)
    services.group_join_request(group=group, by=procurer_a)
    assert group.memberships.filter(status=GroupMembershipStatus.REQUESTED).exists()


def test_when_the_last_founder_leaves_the_longest_member_answers_requests(
    procurer_b,
):
    group = services.buyer_group_create(
        by=procurer_b, name="Belgian procurers", kind="national", country="BE"
    )
    other_org = signatory(name="City of Ghent", slug="ghent", country="BE")
    other = member_of(other_org)
    BuyerGroupMembershipFactory(group=group, organisation=other_org)
    services.group_leave(group=group, by=procurer_b)
    assert selectors.manages_group(other, group)
    assert not selectors.manages_group(procurer_b, group)


def test_the_coordinator_is_shown_coordinated_organisations(group, coordinator):
    # Other areas rely on this selector to show reports to the coordinator.
    assert [o.name for o in selectors.organisations_coordinated_by(coordinator)] == [
        "City of Alphen"
    ]


def test_the_strategic_buyer_group_counts_groups_members_and_countries(
    group, coordinating_organisation, organisation_b
):
    BuyerGroupFactory(
        name="Belgian", slug="be", country="BE", coordinator=coordinating_organisation
    )
    BuyerGroupMembershipFactory(
        group=group,
        organisation=organisation_b,
        status=GroupMembershipStatus.REQUESTED,
    )
    sbg = selectors.strategic_buyer_group()
    assert len(sbg.groups) == 2
    assert sbg.organisations == 2  # A and the coordinator; B only asked
    assert sbg.countries == ["Belgium", "Netherlands"]


def test_the_join_page_through_the_browser_form_sends_the_request(
    client, group, procurer_b
):
    client.force_login(procurer_b)
    response = client.post(
        reverse("groups:join", kwargs={"slug": group.slug}), {"message": "Hi"}
    )
    assert response.status_code == 302
    assert BuyerGroupMembership.objects.filter(
        group=group, status=GroupMembershipStatus.REQUESTED, message="Hi"
    ).exists()


def test_a_discussion_message_through_htmx_returns_the_thread_only(
    client, group, procurer_a
):
    client.force_login(procurer_a)
    response = client.post(
        reverse("groups:discussion-post", kwargs={"slug": group.slug}),
        {"body": "Anyone tried refurbished phones?"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Anyone tried refurbished phones?" in html
    assert "<html" not in html


def test_a_complex_issue_reply_tells_the_author(group, procurer_a, coordinator):
    issue = services.complex_issue_create(
        by=coordinator, title="Erasure", body="Which standard?"
    )
    services.complex_issue_reply(issue=issue, by=procurer_a, body="NIST 800-88.")
    assert Notice.objects.filter(recipient=coordinator, url=issue.get_absolute_url())


def test_a_person_outside_every_group_cannot_raise_a_complex_issue(procurer_b):
    with pytest.raises(PermissionDenied):
        services.complex_issue_create(by=procurer_b, title="X", body="Y")
