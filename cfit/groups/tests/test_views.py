"""The pages do what they say, for the person who may use them."""

from django.urls import reverse

from cfit.groups.models import GroupPost, Notice, WorkingGroupStatus


def test_the_coordinator_changes_the_group_details(client, group, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("groups:edit", kwargs={"slug": group.slug}),
        {
            "name": "Dutch national group",
            "kind": "regional",
            "country": "NL",
            "region": "",
            "languages": ["nl"],
            "description": "New text",
        },
    )
    assert response.status_code == 200
    assert "Name the region or place" in response.content.decode()
    group.refresh_from_db()
    assert group.name == "Dutch buyer group"  # nothing half-saved


def test_the_group_list_shows_self_organised_groups_as_such(client, group):
    group.coordinator = None
    group.save()
    html = client.get(reverse("groups:list")).content.decode()
    assert "Self-organised" in html


def test_the_group_list_filters_by_kind(client, group):
    assert (
        "Dutch buyer group"
        not in client.get(reverse("groups:list"), {"kind": "thematic"}).content.decode()
    )
    assert (
        "Dutch buyer group"
        in client.get(reverse("groups:list"), {"kind": "national"}).content.decode()
    )


def test_news_without_a_title_is_refused_with_a_message(client, group, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("groups:news-post", kwargs={"slug": group.slug}),
        {"title": "", "body": "Text"},
        follow=True,
    )
    assert "Give the news a title and a text." in response.content.decode()
    assert not GroupPost.objects.exists()


def test_marking_notices_as_read_clears_the_count_in_the_header(client, procurer_a):
    Notice.objects.create(recipient=procurer_a, text="Something happened")
    client.force_login(procurer_a)
    assert (
        '1<span class="visually-hidden"> unread'
        in client.get(reverse("groups:notices")).content.decode()
    )
    client.post(reverse("groups:notices-read"))
    assert Notice.objects.get().read_at is not None
    assert "unread" not in client.get(reverse("groups:notices")).content.decode()


def test_my_page_lists_the_organisations_groups(client, group, procurer_a):
    client.force_login(procurer_a)
    html = client.get(reverse("accounts:home")).content.decode()
    assert "Your buyer groups" in html
    assert "Dutch buyer group" in html


def test_my_page_tells_the_coordinator_about_waiting_requests(
    client, group, coordinator, procurer_b
):
    client.force_login(procurer_b)
    client.post(reverse("groups:join", kwargs={"slug": group.slug}), {"message": ""})
    client.force_login(coordinator)
    html = client.get(reverse("accounts:home")).content.decode()
    assert "1 organisation waits for an answer" in html


def test_a_member_leaves_a_working_group(client, working_group, procurer_a):
    client.force_login(procurer_a)
    client.post(
        reverse("groups:working-group-leave", kwargs={"slug": working_group.slug})
    )
    assert not working_group.memberships.exists()


def test_the_secretariat_closes_a_working_group(client, working_group, secretariat):
    client.force_login(secretariat)
    client.post(
        reverse("groups:working-group-close", kwargs={"slug": working_group.slug})
    )
    working_group.refresh_from_db()
    assert working_group.status == WorkingGroupStatus.CLOSED


def test_a_member_cannot_close_a_working_group(client, working_group, procurer_a):
    client.force_login(procurer_a)
    response = client.post(
        reverse("groups:working-group-close", kwargs={"slug": working_group.slug})
    )
    assert response.status_code == 404
    working_group.refresh_from_db()
    assert working_group.status == WorkingGroupStatus.ACTIVE


def test_the_demo_data_loads_twice_without_changes(db, settings, tmp_path):
    import io

    from cfit.groups import demo as groups_demo
    from cfit.groups.models import BuyerGroup, BuyerGroupMembership, WorkingGroup
    from cfit.organisations import demo as organisations_demo

    settings.MEDIA_ROOT = tmp_path
    organisations_demo.load(io.StringIO())
    groups_demo.load(io.StringIO())
    counts = (
        BuyerGroup.objects.count(),
        BuyerGroupMembership.objects.count(),
        WorkingGroup.objects.count(),
    )
    groups_demo.load(io.StringIO())
    assert counts == (
        BuyerGroup.objects.count(),
        BuyerGroupMembership.objects.count(),
        WorkingGroup.objects.count(),
    )
    assert counts[0] == 8 and counts[2] == 4
    dutch = BuyerGroup.objects.get(slug="demo-dutch-national-buyer-group")
    assert dutch.coordinator.slug == "demo-01"
    members = set(
        dutch.memberships.filter(status="active").values_list(
            "organisation__slug", flat=True
        )
    )
    assert "demo-02" in members and len(members) >= 5
    states = set(BuyerGroupMembership.objects.values_list("status", flat=True))
    assert states == {"active", "requested", "declined", "left"}
