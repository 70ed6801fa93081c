"""Every page, as each kind of person meets it, with the demo data: it opens, it passes
axe-core (WCAG 2.1 AA) and it keeps the Content Security Policy (checked by conftest)."""

import pytest
from django.core.management import call_command

from cfit.organisations.demo import DEMO_PASSWORDS
from e2e.conftest import check_accessibility

GROUP = "/groups/demo-dutch-national-buyer-group"

VISITOR_PAGES = [
    "/",
    "/pact/",
    "/privacy/",
    "/accessibility/",
    "/signatories/",
    "/signatories/?country=NL&role=procuring",
    "/organisations/demo-01/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/groups/",
    f"{GROUP}/",
    "/groups/strategic-buyer-group/",
    "/groups/working-groups/",
    "/criteria/",
    "/criteria/?q=battery",
    "/criteria/product-groups/",
    "/criteria/ecolabels/",
    "/criteria/base/laptop/",
    "/criteria/LIFE-01/",
    "/criteria/tender-builder/",
    "/dashboards/",
    "/impact/",
    "/impact/planner/",
    "/impact/pact/",
    "/impact/factorsets/2025-1/",
    "/open-data/",
]

PROCURER_PAGES = [
    "/me/",
    "/me/profile/",
    "/accounts/password/change/",
    "/accounts/email/",
    "/organisations/demo-02/",
    "/organisations/demo-02/members/",
    "/organisations/demo-02/edit/",
    "/organisations/demo-02/sign/",
    "/reports/",
    "/reports/demo-02/2025/",
    "/reports/demo-02/2025/history/",
    "/reports/demo-02/2026/",
    "/reports/demo-02/2026/lines/add/",
    "/reports/demo-02/2026/upload/",
    "/reports/demo-02/2026/ocds/",
    "/reports/forecasts/",
    "/reports/forecasts/add/",
    "/groups/notices/",
    f"{GROUP}/members/",
    "/criteria/tenders/",
    "/dashboards/organisations/demo-02/",
    "/impact/organisations/demo-02/",
]

COORDINATOR_PAGES = [
    f"{GROUP}/requests/",
    f"/dashboards{GROUP}/",
    f"/impact{GROUP}/",
    "/groups/new/",
]

SECRETARIAT_PAGES = [
    "/secretariat/signatures/",
    "/criteria/drafts/",
    "/criteria/usage/",
    "/criteria/new/",
    "/reports/periods/",
    "/dashboards/countries/",
    "/dashboards/product-groups/",
]

PEOPLE = {
    "procurer": ("procurer@demo.cfit.example", PROCURER_PAGES),
    "coordinator": ("coordinator@demo.cfit.example", COORDINATOR_PAGES),
    "secretariat": ("secretariat@demo.cfit.example", SECRETARIAT_PAGES),
}


@pytest.fixture
def demo(live_server):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return live_server.url


def visit(page, url):
    response = page.goto(url)
    assert response is not None and response.status == 200, (
        f"{url} answered {response.status if response else None}"
    )
    check_accessibility(page, context=url)


def test_every_public_page_is_accessible(demo, page):
    for path in VISITOR_PAGES:
        visit(page, demo + path)


@pytest.mark.parametrize("person", list(PEOPLE))
def test_every_members_page_is_accessible(demo, page, person):
    email, paths = PEOPLE[person]
    page.goto(f"{demo}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORDS[email])
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{demo}/me/")
    for path in paths:
        visit(page, demo + path)


def test_pages_fit_a_phone_screen(demo, page):
    """Nothing wider than 360 px on the main public pages: the page does not scroll sideways."""
    page.set_viewport_size({"width": 360, "height": 800})
    for path in [
        "/",
        "/signatories/",
        "/criteria/",
        "/dashboards/",
        "/impact/",
        "/groups/",
    ]:
        page.goto(demo + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} is {overflow}px wider than a phone screen"
