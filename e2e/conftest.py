"""Real-browser tests: Debian's Chromium driven by Playwright against a live server.

Every page visited is checked for Content Security Policy violations, and pages can be
checked with axe-core (WCAG 2.1 AA).
"""

import json
import os
import re
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in the main thread; Django's live server
# and ORM calls from the test are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
AXE = (
    Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in item.nodeid.split("/")[0]:
            item.add_marker(pytest.mark.browser)
            # Live-server tests flush the database: put back what migrations created.
            item.add_marker(
                pytest.mark.django_db(transaction=True, serialized_rollback=True)
            )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make test`, which installs it.")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "en-GB",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def csp_violations(page):
    """Collects Content Security Policy violations reported by the browser."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return found


@pytest.fixture
def _serialized_contents_in_this_context(django_db_serialized_contents):
    """Let Django restore what migrations created (Pact text, groups, criteria) after a flush.

    Django keeps that copy on the connection object of the context that created the test
    database. Playwright's sync API runs each test in another context, which gets another
    connection object without the copy, so Django would neither restore nor keep the
    flush from recreating content types. Give this context's connection the same copy.
    """
    from django.db import connection

    if django_db_serialized_contents and not hasattr(
        connection, "_test_serialized_contents"
    ):
        connection._test_serialized_contents = django_db_serialized_contents


@pytest.fixture
def _django_db_helper(_serialized_contents_in_this_context, _django_db_helper):
    """pytest-django's database set-up, after the copy above is in place."""
    return _django_db_helper


@pytest.fixture(autouse=True)
def _no_csp_violations(csp_violations):
    yield
    assert csp_violations == [], "The page broke its Content Security Policy"


def check_accessibility(page, *, context: str = "") -> None:
    """Run axe-core on the current page and fail on any WCAG 2.1 A/AA violation."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make test`, which installs it with npm.")
    # evaluate() runs outside the page's CSP, so the site's policy stays strict.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
    assert violations == [], (
        f"Accessibility problems on {context or page.url}: {json.dumps(violations, indent=1)}"
    )


def sent_links(outbox, pattern: str) -> list[str]:
    return [m for message in outbox for m in re.findall(pattern, message.body)]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Used second-factor codes are remembered in the (database) cache, which a flush
    does not empty: start each browser test without them."""
    from django.core.cache import cache

    cache.clear()


def sign_in(page, base_url, email, password=None):
    """Sign in through the form; give the authenticator app's code when asked for it
    (the secretariat must have a second factor)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    from cfit.accounts.tests.factories import PASSWORD
    from cfit.security.services import current_code

    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password or PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    # Wait for the answer to the form, not for the page that is already loaded.
    page.wait_for_url(lambda url: not url.endswith("/accounts/login/"))
    if "/accounts/2fa/authenticate/" in page.url:
        app = Authenticator.objects.get(user__email=email, type="totp")
        page.locator("input[name=code]").fill(current_code(decrypt(app.data["secret"])))
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(lambda url: "/accounts/2fa/authenticate/" not in url)
