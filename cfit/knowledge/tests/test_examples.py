import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cfit.groups.models import Notice
from cfit.knowledge import services
from cfit.knowledge.models import ExampleStatus, GoodExample
from cfit.knowledge.tests.conftest import make_example, published
from cfit.monitoring.models import ReportStatus
from cfit.monitoring.tests.factories import PurchaseLineFactory, PurchaseReportFactory


def _url(example, name="knowledge:example"):
    return reverse(name, kwargs={"slug": example.slug})


def test_a_draft_is_seen_by_its_organisation_and_its_reviewers_only(
    client, procurer_a, procurer_b, coordinator, secretariat, group
):
    example = make_example(procurer_a)
    client.force_login(procurer_a)
    assert client.get(_url(example)).status_code == 200
    for person in (coordinator, secretariat):
        client.force_login(person)
        assert client.get(_url(example)).status_code == 200
    client.force_login(procurer_b)
    assert client.get(_url(example)).status_code == 404
    client.logout()
    assert client.get(_url(example)).status_code == 404


def test_a_member_shares_an_example_through_the_form(client, procurer_a, group):
    client.force_login(procurer_a)
    response = client.post(
        reverse("knowledge:example-new"),
        {
            "title": "Smartphones bought as refurbished",
            "kind": "case",
            "summary": "A case.",
            "language": "nl",
            "visibility": "members",
            "product_groups": ["smartphone"],
            "condition": "refurbished",
            "year": "2024",
            "procedure": "open",
            "buyer_group": str(group.pk),
        },
    )
    example = GoodExample.objects.get()
    assert response.status_code == 302
    assert example.status == ExampleStatus.DRAFT
    assert example.organisation.name == "City of Alphen"
    assert example.buyer_group == group


def test_the_form_refuses_a_buyer_group_the_organisation_is_not_in(
    client, procurer_b, group
):
    client.force_login(procurer_b)
    response = client.post(
        reverse("knowledge:example-new"),
        {
            "title": "Laptops",
            "kind": "case",
            "summary": "A case.",
            "language": "en",
            "visibility": "public",
            "product_groups": ["laptop"],
            "condition": "new",
            "year": "2024",
            "procedure": "open",
            "buyer_group": str(group.pk),
        },
    )
    assert response.status_code == 400
    assert not GoodExample.objects.exists()


def test_a_person_of_no_signatory_cannot_open_the_form(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("knowledge:example-new")).status_code == 404


def test_sending_for_review_tells_the_coordinator_and_the_secretariat(
    procurer_a, coordinator, secretariat, group
):
    example = make_example(procurer_a)
    services.example_submit(example=example, by=procurer_a)
    example.refresh_from_db()
    assert example.status == ExampleStatus.IN_REVIEW
    told = set(Notice.objects.values_list("recipient__email", flat=True))
    assert told == {coordinator.email, secretariat.email}


def test_the_coordinator_publishes_and_the_author_is_told(
    client, procurer_a, coordinator, group
):
    example = make_example(procurer_a)
    services.example_submit(example=example, by=procurer_a)
    client.force_login(coordinator)
    response = client.post(_url(example, "knowledge:example-publish"))
    example.refresh_from_db()
    assert response.status_code == 302
    assert example.status == ExampleStatus.PUBLISHED
    assert Notice.objects.filter(recipient=procurer_a).exists()


def test_someone_who_does_not_review_the_organisation_cannot_publish(
    client, procurer_a, procurer_b, group
):
    example = make_example(procurer_a)
    services.example_submit(example=example, by=procurer_a)
    for person in (procurer_a, procurer_b):
        client.force_login(person)
        assert (
            client.post(_url(example, "knowledge:example-publish")).status_code == 404
        )
    example.refresh_from_db()
    assert example.status == ExampleStatus.IN_REVIEW


def test_sending_back_needs_a_reason_and_the_author_reads_it(
    client, procurer_a, secretariat, group
):
    example = make_example(procurer_a)
    services.example_submit(example=example, by=procurer_a)
    with pytest.raises(ValidationError):
        services.example_send_back(example=example, by=secretariat, reason="  ")
    client.force_login(secretariat)
    client.post(
        _url(example, "knowledge:example-send-back"),
        {"reason": "Name the award weights."},
    )
    example.refresh_from_db()
    assert example.status == ExampleStatus.DRAFT
    client.force_login(procurer_a)
    assert "Name the award weights." in client.get(_url(example)).content.decode()


def test_a_published_example_cannot_be_changed_without_taking_it_back(
    procurer_a, secretariat, group
):
    example = published(make_example(procurer_a), secretariat)
    with pytest.raises(PermissionDenied):
        services.example_save(
            by=procurer_a,
            example=example,
            fields={"title": "Changed"},
            product_groups=example.product_groups.all(),
        )


def test_a_members_only_example_is_hidden_from_visitors_and_search_engines(
    client, procurer_a, procurer_b, secretariat, group
):
    example = published(make_example(procurer_a, visibility="members"), secretariat)
    assert client.get(_url(example)).status_code == 404
    assert (
        example.title not in client.get(reverse("knowledge:examples")).content.decode()
    )
    assert example.slug not in client.get("/sitemap.xml").content.decode()
    client.force_login(procurer_b)
    page = client.get(_url(example)).content.decode()
    assert example.title in page
    assert 'name="robots" content="noindex' in page


def test_a_public_example_is_in_the_sitemap_and_may_be_indexed(
    client, procurer_a, secretariat, group
):
    example = published(make_example(procurer_a), secretariat)
    assert example.slug in client.get("/sitemap.xml").content.decode()
    assert 'name="robots"' not in client.get(_url(example)).content.decode()


def test_script_in_markdown_is_shown_as_harmless_text(
    client, procurer_a, secretariat, group
):
    example = published(
        make_example(
            procurer_a,
            results='<script>alert("x")</script>\n\n[link](javascript:alert(1)) '
            '<img src=x onerror="alert(2)">',
        ),
        secretariat,
    )
    page = client.get(_url(example)).content.decode()
    assert "<script>alert" not in page
    assert 'href="javascript' not in page
    assert "<img" not in page
    assert "&lt;script&gt;" in page  # shown as the text it is


def test_a_member_comments_and_the_author_gets_a_notice(
    client, procurer_a, procurer_b, secretariat, group
):
    example = published(make_example(procurer_a), secretariat)
    Notice.objects.all().delete()
    client.force_login(procurer_b)
    response = client.post(
        _url(example, "knowledge:example-comment"),
        {"body": "Which erasure standard?", "is_question": "on"},
    )
    assert response.status_code == 302
    notice = Notice.objects.get(recipient=procurer_a)
    assert "asked a question" in notice.text
    assert "Which erasure standard?" in client.get(_url(example)).content.decode()


def test_a_visitor_and_a_person_of_no_signatory_cannot_comment(
    client, procurer_a, outsider, secretariat, group
):
    example = published(make_example(procurer_a), secretariat)
    client.force_login(outsider)
    response = client.post(_url(example, "knowledge:example-comment"), {"body": "Hi"})
    assert response.status_code == 404
    assert not example.comments.exists()


def _linked_example(procurer_a, secretariat, **fields):
    report = PurchaseReportFactory(
        organisation=procurer_a.memberships.get().organisation,
        status=ReportStatus.ACCEPTED,
    )
    line = PurchaseLineFactory(report=report, quantity=120, condition="refurbished")
    example = make_example(procurer_a, **fields)
    services.example_save(
        by=procurer_a,
        example=example,
        fields={},
        product_groups=example.product_groups.all(),
        purchase_lines=[line],
    )
    return published(example, secretariat)


def test_a_visitor_sees_only_the_totals_the_author_chose(
    client, procurer_a, secretariat, group
):
    example = _linked_example(procurer_a, secretariat, published_effects=["gwp_kg"])
    page = client.get(_url(example)).content.decode()
    assert "Greenhouse gases saved" in page
    assert "Device mass saved" not in page
    assert "By product group and condition" not in page


def test_the_organisation_sees_the_effects_in_full(
    client, procurer_a, procurer_b, secretariat, group
):
    example = _linked_example(procurer_a, secretariat, published_effects=[])
    client.force_login(procurer_a)
    assert (
        "By product group and condition" in client.get(_url(example)).content.decode()
    )
    client.force_login(procurer_b)
    page = client.get(_url(example)).content.decode()
    assert "By product group and condition" not in page
    assert "Greenhouse gases saved" not in page


def test_lines_of_another_organisation_cannot_be_linked(procurer_a, organisation_b):
    other_line = PurchaseLineFactory(
        report=PurchaseReportFactory(
            organisation=organisation_b, status=ReportStatus.ACCEPTED
        )
    )
    example = make_example(procurer_a)
    with pytest.raises(ValidationError) as raised:
        services.example_save(
            by=procurer_a,
            example=example,
            fields={},
            product_groups=example.product_groups.all(),
            purchase_lines=[other_line],
        )
    assert "purchase_lines" in raised.value.message_dict
    assert not example.purchase_lines.exists()


def test_the_criterion_and_the_group_pages_list_the_example(
    client, procurer_a, secretariat, group
):
    example = published(make_example(procurer_a), secretariat)
    assert example.title in client.get("/criteria/LIFE-01/").content.decode()
    assert example.title in client.get(group.get_absolute_url()).content.decode()


def test_the_organisation_unpublishes_an_example_to_change_it_and_others_cannot(
    client, procurer_a, procurer_b, secretariat, group
):
    example = published(make_example(procurer_a), secretariat)
    client.force_login(procurer_b)
    assert client.post(_url(example, "knowledge:example-withdraw")).status_code == 404
    client.force_login(procurer_a)
    client.post(_url(example, "knowledge:example-withdraw"))
    example.refresh_from_db()
    assert example.status == ExampleStatus.DRAFT
    client.logout()
    assert client.get(_url(example)).status_code == 404


def test_a_reviewer_finds_the_examples_waiting_on_their_page(
    client, procurer_a, coordinator, group
):
    example = make_example(procurer_a, title="Waiting laptops")
    services.example_submit(example=example, by=procurer_a)
    client.force_login(coordinator)
    assert (
        "Waiting laptops"
        in client.get(reverse("knowledge:my-examples")).content.decode()
    )
    assert "Waiting laptops" in client.get(reverse("accounts:home")).content.decode()
