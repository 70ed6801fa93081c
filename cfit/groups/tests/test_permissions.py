"""Every members-only view, tried by an outsider, a non-member signatory, a member, the
coordinator and the secretariat. Whoever must not see it gets 404, not a hidden link."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from cfit.groups.models import (
    GroupMembershipStatus,
    GroupPost,
    Notice,
    WorkingGroupDocument,
    WorkingGroupStatus,
)
from cfit.groups.tests.conftest import PDF
from cfit.groups.tests.factories import (
    BuyerGroupMembershipFactory,
    ComplexIssueFactory,
    WorkingGroupFactory,
)

PERSONAS = ["outsider", "procurer_b", "procurer_a", "coordinator", "secretariat"]


def _status(client, request, persona, method, url, data=None):
    client.force_login(request.getfixturevalue(persona))
    response = getattr(client, method)(url, data or {})
    return response.status_code


@pytest.fixture
def join_request(group, organisation_b):
    return BuyerGroupMembershipFactory(
        group=group,
        organisation=organisation_b,
        status=GroupMembershipStatus.REQUESTED,
        decided_at=None,
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("outsider", 404),
        ("procurer_b", 404),
        ("procurer_a", 200),
        ("coordinator", 200),
        ("secretariat", 200),
    ],
)
def test_the_members_page_is_seen_only_by_members_the_coordinator_and_the_secretariat(
    client, request, group, persona, expected
):
    url = reverse("groups:members", kwargs={"slug": group.slug})
    assert _status(client, request, persona, "get", url) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("outsider", 404),
        ("procurer_b", 404),
        ("procurer_a", 302),
        ("coordinator", 302),
        ("secretariat", 302),
    ],
)
def test_only_those_who_see_the_members_page_can_write_in_its_discussion(
    client, request, group, persona, expected
):
    url = reverse("groups:discussion-post", kwargs={"slug": group.slug})
    status = _status(client, request, persona, "post", url, {"body": "Hello all"})
    assert status == expected
    assert GroupPost.objects.filter(body="Hello all").exists() == (expected == 302)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("outsider", 404),
        ("procurer_b", 404),
        ("procurer_a", 404),
        ("coordinator", 302),
        ("secretariat", 302),
    ],
)
def test_only_the_coordinator_and_the_secretariat_post_news(
    client, request, group, persona, expected
):
    url = reverse("groups:news-post", kwargs={"slug": group.slug})
    data = {"title": "Tender opens", "body": "Next month."}
    assert _status(client, request, persona, "post", url, data) == expected
    assert GroupPost.objects.filter(title="Tender opens").exists() == (expected == 302)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("outsider", 404),
        ("procurer_b", 404),
        ("procurer_a", 404),
        ("coordinator", 200),
        ("secretariat", 200),
    ],
)
def test_join_requests_are_seen_by_the_coordinator_and_the_secretariat_only(
    client, request, group, join_request, persona, expected
):
    url = reverse("groups:requests", kwargs={"slug": group.slug})
    assert _status(client, request, persona, "get", url) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("outsider", 404),
        ("procurer_b", 404),
        ("procurer_a", 404),
        ("coordinator", 302),
        ("secretariat", 404),
    ],
)
def test_only_the_coordinator_answers_a_join_request(
    client, request, group, join_request, persona, expected
):
    url = reverse(
        "groups:request-decide", kwargs={"slug": group.slug, "pk": join_request.pk}
    )
    data = {"decision": "accept", "message": "Welcome"}
    assert _status(client, request, persona, "post", url, data) == expected
    join_request.refresh_from_db()
    accepted = join_request.status == GroupMembershipStatus.ACTIVE
    assert accepted == (expected == 302)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("outsider", 404),
        ("procurer_b", 404),
        ("procurer_a", 404),
        ("coordinator", 200),
        ("secretariat", 404),
    ],
)
def test_only_the_coordinator_changes_the_group_details(
    client, request, group, persona, expected
):
    url = reverse("groups:edit", kwargs={"slug": group.slug})
    assert _status(client, request, persona, "get", url) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("outsider", 404),
        ("procurer_b", 404),
        ("procurer_a", 302),
        ("coordinator", 404),
        ("secretariat", 404),
    ],
)
def test_only_a_member_can_leave(client, request, group, persona, expected):
    url = reverse("groups:leave", kwargs={"slug": group.slug})
    assert _status(client, request, persona, "post", url) == expected


def test_a_visitor_sees_the_public_page_but_not_the_members_page(client, group):
    public = client.get(group.get_absolute_url())
    assert public.status_code == 200
    assert "City of Alphen" in public.content.decode()
    members = client.get(reverse("groups:members", kwargs={"slug": group.slug}))
    assert members.status_code == 302
    assert "/accounts/login/" in members["Location"]


def test_the_public_page_shows_no_members_only_content(client, group, coordinator):
    GroupPost.objects.create(
        group=group, kind="discussion", body="Members-only remark", author=coordinator
    )
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Members-only remark" not in page


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("outsider", 404),
        ("procurer_b", 404),
        ("procurer_a", 200),
        ("coordinator", 200),
        ("secretariat", 200),
    ],
)
def test_complex_issues_are_for_group_representatives_and_the_secretariat(
    client, request, group, persona, expected
):
    issue = ComplexIssueFactory()
    url = reverse("groups:issue", kwargs={"pk": issue.pk})
    assert _status(client, request, persona, "get", url) == expected
    create = reverse("groups:issue-create")
    assert _status(client, request, persona, "get", create) == expected


def test_the_strategic_buyer_group_page_hides_complex_issues_from_the_public(
    client, group
):
    ComplexIssueFactory(title="A confidential cross-group topic")
    page = client.get(reverse("groups:strategic-buyer-group")).content.decode()
    assert "Dutch buyer group" in page
    assert "Ministry of Coordination" in page
    assert "A confidential cross-group topic" not in page


@pytest.fixture
def document(working_group, procurer_a, media_root):
    document = WorkingGroupDocument(
        working_group=working_group,
        title="Draft criterion",
        original_name="draft.pdf",
        file_type="pdf",
        size=len(PDF),
        uploaded_by=procurer_a,
    )
    document.file.save("draft.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("outsider", 404),
        ("procurer_b", 404),
        ("procurer_a", 200),
        ("coordinator", 404),
        ("secretariat", 200),
    ],
)
def test_working_group_documents_are_for_its_members_and_the_secretariat(
    client, request, working_group, document, persona, expected
):
    download = reverse(
        "groups:document", kwargs={"slug": working_group.slug, "pk": document.pk}
    )
    upload = reverse("groups:document-upload", kwargs={"slug": working_group.slug})
    assert _status(client, request, persona, "get", download) == expected
    assert _status(client, request, persona, "get", upload) == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_working_group_members_and_documents_are_not_shown_to_others(
    client, request, working_group, document, persona
):
    url = working_group.get_absolute_url()
    client.force_login(request.getfixturevalue(persona))
    page = client.get(url).content.decode()
    sees = persona in ("procurer_a", "secretariat")
    assert ("Draft criterion" in page) == sees


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("outsider", 404),
        ("procurer_b", 404),
        ("procurer_a", 200),
        ("coordinator", 404),
        ("secretariat", 200),
    ],
)
def test_a_proposal_is_seen_only_by_its_proposer_and_the_secretariat(
    client, request, procurer_a, persona, expected
):
    proposal = WorkingGroupFactory(
        status=WorkingGroupStatus.PROPOSED, proposed_by=procurer_a
    )
    assert (
        _status(client, request, persona, "get", proposal.get_absolute_url())
        == expected
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("outsider", 404),
        ("procurer_b", 404),
        ("procurer_a", 404),
        ("coordinator", 404),
        ("secretariat", 200),
    ],
)
def test_only_the_secretariat_decides_on_a_proposal(
    client, request, procurer_a, persona, expected
):
    proposal = WorkingGroupFactory(
        status=WorkingGroupStatus.PROPOSED, proposed_by=procurer_a
    )
    url = reverse("groups:working-group-decide", kwargs={"slug": proposal.slug})
    assert _status(client, request, persona, "get", url) == expected


def test_a_person_sees_only_their_own_notices(client, procurer_a, procurer_b):
    Notice.objects.create(recipient=procurer_b, text="For B only")
    client.force_login(procurer_a)
    assert "For B only" not in client.get(reverse("groups:notices")).content.decode()
    client.force_login(procurer_b)
    assert "For B only" in client.get(reverse("groups:notices")).content.decode()
