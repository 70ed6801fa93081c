"""Good examples from draft to search, members-only examples, and an event's registration.

A procurer shares an example with a document, the coordinator publishes it, a visitor
finds it by a word inside the document, a member comments and the author sees the notice.
"""

from datetime import datetime, timedelta
from pathlib import Path

from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from cfit.criteria.models import ProductGroup
from cfit.knowledge import event_services, services
from cfit.knowledge.samples import pdf_with_text
from cfit.monitoring.tests.factories import buyer_group_of
from e2e.conftest import check_accessibility
from e2e.test_groups_working_group_journey import sign_in


def test_an_example_is_shared_reviewed_found_and_commented(
    live_server, page, browser, procurer_a, procurer_b, coordinator, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    buyer_group_of(
        coordinator.memberships.get().organisation,
        procurer_a.memberships.get().organisation,
        slug="dutch-group",
    )
    base = live_server.url
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    # The procurer writes the example, with script in its Markdown.
    sign_in(page, base, procurer_a.email)
    page.goto(f"{base}/good-examples/")
    page.get_by_role("link", name="Share a good example").click()
    page.get_by_label("Title", exact=True).fill("Refurbished laptops for the city")
    page.get_by_label("Kind").select_option(label="Tender")
    page.get_by_label("Summary").fill("How we bought refurbished laptops.")
    page.get_by_label("Laptop (portable computer)").check()
    page.get_by_label("Condition of the devices").select_option(label="Refurbished")
    page.get_by_label("Year of the tender").fill("2025")
    page.get_by_label("Procedure").select_option(label="Open procedure")
    page.get_by_label("Results").fill(
        'Six years of use. <img src=x onerror="alert(1)"> <script>alert(2)</script>'
    )
    check_accessibility(page, context="example form")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("The example is saved as a draft.")).to_be_visible()

    # A document whose words only it contains.
    page.get_by_role("link", name="Attach a document").click()
    check_accessibility(page, context="attach a document")
    document = tmp_path / "tender.pdf"
    document.write_bytes(
        pdf_with_text("Tender", ["Hinges tested with the zirconium method."])
    )
    page.get_by_label("Title").fill("Tender document")
    page.get_by_label("File").set_input_files(str(document))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("The document is attached.")).to_be_visible()
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("sent for review")).to_be_visible()
    check_accessibility(page, context="example in review")

    # The coordinator publishes it from the notice.
    reviewer = browser.new_context().new_page()
    sign_in(reviewer, base, coordinator.email)
    reviewer.get_by_role("link", name="Notices").first.click()
    reviewer.get_by_role("link", name="waits for your review").click()
    reviewer.get_by_role("button", name="Publish").click()
    expect(reviewer.get_by_text("The example is published.")).to_be_visible()

    # A visitor finds it by a word inside the document; the script stays text.
    visitor = browser.new_context().new_page()
    visitor.on(
        "dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss())
    )
    visitor.goto(f"{base}/good-examples/")
    visitor.get_by_label("Words").fill("zirconium")
    visitor.get_by_role("button", name="Search").click()
    check_accessibility(visitor, context="search results")
    visitor.get_by_role("link", name="Refurbished laptops for the city").click()
    expect(visitor.locator("main")).to_contain_text("Six years of use.")
    expect(visitor.locator("main")).to_contain_text("<script>alert(2)</script>")
    check_accessibility(visitor, context="published example")
    assert dialogs == []

    # A member of another organisation asks a question; the author sees the notice.
    member = browser.new_context().new_page()
    sign_in(member, base, procurer_b.email)
    member.goto(visitor.url)
    member.get_by_label("Your comment or question").fill("Which erasure standard?")
    member.get_by_label("This is a question to the author").check()
    member.get_by_role("button", name="Add your comment").click()
    expect(member.get_by_text("Which erasure standard?")).to_be_visible()
    page.goto(f"{base}/groups/notices/")
    expect(page.locator("main")).to_contain_text(
        "asked a question about your good example"
    )


def test_a_members_only_example_is_invisible_to_visitors_and_search_engines(
    live_server, page, procurer_a, secretariat
):
    from cfit.organisations.selectors import organisation_for_user

    example = services.example_save(
        by=procurer_a,
        organisation=organisation_for_user(procurer_a),
        fields={
            "title": "Internal lessons on take-back",
            "kind": "lesson",
            "summary": "Only for members.",
            "language": "en",
            "visibility": "members",
            "condition": "new",
            "year": 2025,
            "procedure": "open",
        },
        product_groups=ProductGroup.objects.filter(code="laptop"),
    )
    services.example_submit(example=example, by=procurer_a)
    services.example_publish(example=example, by=secretariat)
    base = live_server.url
    assert page.goto(f"{base}{example.get_absolute_url()}").status == 404
    # Read as a crawler does (the browser's XML viewer would style it inline).
    sitemap = page.request.get(f"{base}/sitemap.xml")
    assert sitemap.ok and "<urlset" in sitemap.text()
    assert example.slug not in sitemap.text()
    page.goto(f"{base}/good-examples/")
    expect(page.locator("main")).not_to_contain_text("Internal lessons on take-back")


def test_an_event_exports_a_calendar_and_fills_up_into_a_waiting_list(
    live_server, page, browser, procurer_a, procurer_b, secretariat
):
    start = (timezone.now() + timedelta(days=7)).replace(tzinfo=None)
    start = datetime(start.year, start.month, start.day, 10, 0)
    event = event_services.event_save(
        by=secretariat,
        fields={
            "title": "Webinar on battery health",
            "kind": "webinar",
            "description": "One place only.",
            "starts_at": start,
            "ends_at": start + timedelta(hours=1),
            "time_zone": "Europe/Madrid",
            "place": "",
            "online_url": "https://meet.example.org/battery",
            "audience": "public",
            "group": None,
            "registration_open": True,
            "capacity": 1,
        },
    )
    base = live_server.url
    sign_in(page, base, procurer_a.email)
    page.goto(f"{base}/events/")
    page.get_by_role("link", name="Webinar on battery health").click()
    check_accessibility(page, context="event")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered.", exact=True)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to your calendar (.ics)").click()
    calendar = Calendar.from_ical(Path(download.value.path()).read_bytes())
    [entry] = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Webinar on battery health"
    assert entry.decoded("DTSTART") == event.starts_at

    other = browser.new_context().new_page()
    sign_in(other, base, procurer_b.email)
    other.goto(f"{base}{event.get_absolute_url()}")
    other.get_by_role("button", name="Join the waiting list").click()
    expect(other.get_by_text("You are on the waiting list (number 1)")).to_be_visible()
    check_accessibility(other, context="event, waiting list")
    assert event.registrations.get(user=procurer_b).status == "waiting"
