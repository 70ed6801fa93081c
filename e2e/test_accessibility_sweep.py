"""Every page, as each kind of person meets it, with the demo data: it opens, it passes
axe-core (WCAG 2.1 AA), it keeps the Content Security Policy (checked by conftest), and
at 1280 px and 390 px no action is cut off and the menu shows every entry.

The sweep runs in English and in Dutch (/nl/…, `<html lang="nl">`). Dutch words are
longer, so the Dutch sweep checks the layout at the phone width only: page loads and
axe take most of the time, and a second width would add to it for little.
"""

import pytest
from django.core.management import call_command

from cfit.lib.i18n import path_in_language
from cfit.market.demo import MARKET_DEMO_PASSWORDS
from cfit.organisations.demo import DEMO_PASSWORDS
from e2e.conftest import check_accessibility, sign_in

GROUP = "/groups/demo-dutch-national-buyer-group"
STATEMENT = "/market/statements/smartphones-with-a-five-year-warranty-demo/"

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
    "/good-examples/",
    "/good-examples/?q=blancco&condition=refurbished",
    "/good-examples/refurbished-laptops-for-3000-civil-servants/",
    "/news/",
    "/news/the-pact-passes-forty-signatories/",
    "/events/",
    "/events/market-dialogue-day-on-smartphones/",
    "/contact/",
    "/market/",
    "/market/parties/",
    "/market/parties/renewed-devices-demo-nl/",
    "/market/consultations/",
    "/market/statements/",
    STATEMENT,
    "/market/roadmap/",
    "/open-data/",
]

PROCURER_PAGES = [
    "/me/",
    "/me/profile/",
    "/accounts/2fa/",
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
    "/good-examples/new/",
    "/good-examples/mine/",
    "/good-examples/smartphones-with-replaceable-batteries/",
    "/news/notes-of-the-members-meeting/",
    "/events/training-circular-criteria-in-your-tender/",
    "/events/dutch-buyer-group-meeting/",
    "/market/calendar/",
    STATEMENT,
]

COORDINATOR_PAGES = [
    "/reports/demo-02/2025/",  # submitted: "Ask a question" on every line
    f"{GROUP}/requests/",
    f"/dashboards{GROUP}/",
    f"/impact{GROUP}/",
    "/groups/new/",
    "/news/new/",
    "/events/new/",
    "/market/consultations/",
    "/market/consultations/new/",
    "/market/statements/new/",
]

SECRETARIAT_PAGES = [
    "/secretariat/signatures/",
    "/secretariat/audit/",
    "/criteria/drafts/",
    "/criteria/usage/",
    "/criteria/new/",
    "/reports/periods/",
    "/dashboards/countries/",
    "/dashboards/product-groups/",
    "/good-examples/central-framework-with-circular-lots/",
    "/good-examples/central-framework-with-circular-lots/send-back/",
    "/events/market-dialogue-day-on-smartphones/edit/",
    "/market/parties/review/",
]

MARKET_PARTY_PAGES = [
    "/me/",
    "/market/",
    "/market/consultations/",
    "/market/calendar/",
    "/market/parties/renewed-devices-demo-nl/members/",
    "/market/parties/join/?q=demo",
]

PEOPLE = {
    "procurer": ("procurer@demo.cfit.example", PROCURER_PAGES),
    "coordinator": ("coordinator@demo.cfit.example", COORDINATOR_PAGES),
    "secretariat": ("secretariat@demo.cfit.example", SECRETARIAT_PAGES),
    "market party": ("market@demo.cfit.example", MARKET_PARTY_PAGES),
}
PASSWORDS = {**DEMO_PASSWORDS, **MARKET_DEMO_PASSWORDS}


@pytest.fixture
def demo(live_server):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return live_server.url


# Actions: buttons, and the links in a table's last column (edit, delete, review...).
# Each one must be wholly visible: inside the window and inside any box that clips it
# (a sticky actions column stays visible while the rest of a wide table scrolls).
# Every entry of the main menu must be visible too.
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const shown = (el) => el.offsetParent !== null && !el.closest('.visually-hidden, details:not([open]) > :not(summary)');
  const clippedBy = (el) => {
    const r = el.getBoundingClientRect();
    if (r.left < -1 || r.right > window.innerWidth + 1) return 'the window';
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (style.overflowX === 'visible') continue;
      const b = box.getBoundingClientRect();
      if (r.left < b.left - 1 || r.right > b.right + 1) return box.className || box.tagName;
    }
    return null;
  };
  const actions = document.querySelectorAll(
    'main button, main .button, main td:last-child a, main td:last-child button');
  for (const el of actions) {
    if (!shown(el)) continue;
    const by = clippedBy(el);
    if (by) problems.push(`action “${el.textContent.trim()}” is cut off by ${by}`);
  }
  for (const el of document.querySelectorAll('nav.site-nav a')) {
    const by = shown(el) ? clippedBy(el) : 'being hidden';
    if (by) problems.push(`menu entry “${el.textContent.trim()}” is hidden by ${by}`);
  }
  return problems;
}"""

WIDTHS = (1280, 390)
# The sweep's languages and the widths at which each checks the layout.
SWEEP_LANGUAGES = {"en": WIDTHS, "nl": (390,)}


def layout_problems(page, url, widths=WIDTHS):
    """At a desktop and a phone width: no action cut off, every menu entry shown."""
    problems = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        problems += [
            f"{url} at {width} px: {p}" for p in page.evaluate(LAYOUT_PROBLEMS)
        ]
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    return problems


def visit(page, demo, path, language="en"):
    """Open the page in `language`, check it with axe-core; its layout problems."""
    localised = path_in_language(path, language)
    url = demo + localised
    response = page.goto(url)
    assert response is not None and response.status == 200, (
        f"{url} answered {response.status if response else None}"
    )
    if localised != path:  # a page in the prefixed patterns speaks its language
        assert page.locator("html").get_attribute("lang") == language, url
    check_accessibility(page, context=url)
    return layout_problems(page, url, SWEEP_LANGUAGES[language])


@pytest.mark.parametrize("language", list(SWEEP_LANGUAGES))
def test_every_public_page_is_accessible(demo, page, language):
    problems = [p for path in VISITOR_PAGES for p in visit(page, demo, path, language)]
    assert problems == []


@pytest.mark.parametrize("language", list(SWEEP_LANGUAGES))
@pytest.mark.parametrize("person", list(PEOPLE))
def test_every_members_page_is_accessible(demo, page, person, language):
    email, paths = PEOPLE[person]
    sign_in(page, demo, email, PASSWORDS[email])  # with the code, for the secretariat
    page.wait_for_url(f"{demo}/me/")
    problems = [p for path in paths for p in visit(page, demo, path, language)]
    assert problems == []


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
