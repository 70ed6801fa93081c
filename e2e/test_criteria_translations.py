"""The secretariat keeps the criteria's translations in the browser; nobody else may."""

from playwright.sync_api import expect

from e2e.conftest import check_accessibility, sign_in


def test_the_secretariat_corrects_a_german_title_that_german_readers_then_see(
    live_server, page, secretariat, procurer_a
):
    base = live_server.url
    sign_in(page, base, secretariat.email)
    page.goto(f"{base}/criteria/translations/")
    row = page.get_by_role("row").filter(has_text="LIFE-01")
    expect(row).to_contain_text("translated")
    check_accessibility(page, context="criteria translations")
    # The columns follow the languages: English (original), Dutch, French, German.
    row.get_by_role("link", name="translated").nth(2).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("LIFE-01")
    expect(
        page.get_by_text("Manufacturer's warranty, battery included")
    ).to_be_visible()
    check_accessibility(page, context="a criterion's German text")
    title = page.locator("form.form input[type=text]").first
    title.fill("Herstellergarantie einschließlich Akku")
    page.get_by_role("button", name="Save the translation").click()
    expect(page.get_by_role("alert").or_(page.locator(".message"))).to_be_visible()

    page.goto(f"{base}/de/criteria/LIFE-01/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Herstellergarantie einschließlich Akku"
    )

    page.context.clear_cookies()
    sign_in(page, base, procurer_a.email)
    response = page.goto(f"{base}/criteria/translations/")
    assert response is not None and response.status == 404
