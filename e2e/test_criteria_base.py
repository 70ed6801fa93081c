"""A visitor searches and reads the criteria; the secretariat publishes a new version."""

import re

from playwright.sync_api import expect

from cfit.criteria.models import CriterionVersion
from e2e.conftest import check_accessibility
from e2e.conftest import sign_in as shared_sign_in


def sign_in(page, base_url, email):
    shared_sign_in(page, base_url, email)


def results(page):
    return page.locator("#results")


def test_a_visitor_searches_filters_and_opens_a_criterion(live_server, page):
    base = live_server.url
    page.goto(base)
    page.get_by_role("link", name="Criteria", exact=True).click()
    expect(page.get_by_role("heading", name="The criteria base")).to_be_visible()
    expect(results(page)).to_contain_text("39 criteria")
    check_accessibility(page, context="criteria list")

    # Filters apply at once (htmx) and are kept in the address.
    page.get_by_label("Product group").select_option("smartphone")
    page.get_by_label("Level (optional)").select_option("frontrunner")
    expect(results(page)).to_contain_text("LIFE-09")
    expect(results(page)).not_to_contain_text("ENER-01")
    expect(page).to_have_url(re.compile("level=frontrunner"))
    page.get_by_label("Proved by ecolabel").select_option("tco-certified-edge")
    expect(results(page)).to_contain_text("1 criterion")
    expect(results(page)).to_contain_text("EOL-04")

    # Full-text search over the texts, with filters cleared.
    page.goto(f"{base}/criteria/")
    page.get_by_role("searchbox", name="Search (optional)").fill("spare parts")
    page.get_by_role("button", name="Search").click()
    expect(results(page)).to_contain_text("1 criterion")
    page.get_by_label("Kind").select_option("award")
    expect(results(page)).to_contain_text("No criterion matches this search")
    check_accessibility(page, context="criteria list, nothing found")
    page.get_by_label("Kind").select_option("")
    results(page).get_by_role(
        "link", name="Spare parts available after purchase"
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Spare parts available after purchase"
    )
    expect(
        page.get_by_text("for at least 5 years after its production ends")
    ).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("EU GPP TS2")
    expect(page.get_by_role("main")).to_contain_text("3–10 years")
    expect(page.get_by_role("main")).to_contain_text("Version 1 (shown)")
    check_accessibility(page, context="criterion page")

    # Product groups and the common base level.
    page.goto(f"{base}/criteria/product-groups/")
    expect(page.get_by_text("Not yet in the Pact scope")).to_have_count(3)
    check_accessibility(page, context="product groups")
    page.get_by_role("link", name="Base level for Laptop (portable computer)").click()
    expect(page.get_by_role("main")).to_contain_text("ENER-01")
    expect(page.get_by_role("main")).not_to_contain_text("LIFE-02")
    check_accessibility(page, context="base level")

    page.goto(f"{base}/criteria/ecolabels/")
    expect(page.get_by_role("main")).to_contain_text("EOL-04")
    check_accessibility(page, context="ecolabels")


def test_the_secretariat_drafts_reviews_and_approves_a_new_version(
    live_server, page, secretariat
):
    base = live_server.url
    sign_in(page, base, secretariat.email)
    page.goto(f"{base}/criteria/LIFE-01/")
    page.get_by_role("link", name="Draft a new version").click()
    check_accessibility(page, context="new version form")
    page.get_by_label("Tender text").fill(
        "The devices come with {years} years of warranty, battery included."
    )
    page.get_by_label("What changed").fill("Plainer wording.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Draft LIFE-01 v2 is saved")).to_be_visible()
    expect(page.get_by_text("This version is not public yet")).to_be_visible()
    check_accessibility(page, context="draft version")

    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("LIFE-01 v2 is sent for review.")).to_be_visible()
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_text("LIFE-01 v2 is approved and now public.")).to_be_visible()

    page.goto(f"{base}/criteria/LIFE-01/")
    expect(
        page.get_by_text("The devices come with 3 years of warranty")
    ).to_be_visible()
    page.get_by_role("link", name="Version 1", exact=True).click()
    expect(
        page.get_by_text("This is version 1, which has been replaced.")
    ).to_be_visible()
    check_accessibility(page, context="replaced version")
    assert (
        CriterionVersion.objects.get(criterion__code="LIFE-01", number=1).status
        == "retired"
    )

    page.goto(f"{base}/criteria/drafts/")
    check_accessibility(page, context="drafts")
    page.goto(f"{base}/criteria/usage/")
    expect(page.get_by_role("heading", name="Usage of the criteria")).to_be_visible()
    check_accessibility(page, context="usage")
    page.goto(f"{base}/criteria/import/")
    check_accessibility(page, context="import")
