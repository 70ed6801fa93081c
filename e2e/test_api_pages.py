"""The API's documentation and the OCDS import, in a real browser: they keep the
Content Security Policy (checked by conftest); the OCDS pages meet WCAG 2.1 AA."""

from pathlib import Path

import pytest
from django.core.management import call_command

from cfit.organisations.demo import DEMO_PASSWORDS
from e2e.conftest import check_accessibility

PACKAGE = (
    Path(__file__).resolve().parent.parent
    / "cfit/monitoring/tests/data/ocds_release_package.json"
)
PROCURER = "procurer@demo.cfit.example"


@pytest.fixture
def demo(live_server):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return live_server.url


def test_the_interactive_api_docs_run_from_the_site_itself(demo, page):
    page.goto(f"{demo}/api/v1/docs/")
    page.get_by_text("/api/v1/product-groups").first.wait_for()
    # Swagger UI's own markup does not pass axe (colour contrast, nested controls):
    # the page keeps the CSP, and the OpenAPI document is the accessible reference.
    assert page.locator(".swagger-ui").count() == 1


def test_a_procurer_imports_an_ocds_file_and_completes_its_lines(demo, page, tmp_path):
    package = tmp_path / "portal-2026.json"
    package.write_text(PACKAGE.read_text().replace("2025-", "2026-"))
    page.goto(f"{demo}/accounts/login/")
    page.get_by_label("Email").fill(PROCURER)
    page.get_by_label("Password").fill(DEMO_PASSWORDS[PROCURER])
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{demo}/me/")
    page.goto(f"{demo}/reports/demo-02/2026/")
    page.get_by_role("link", name="Import from OCDS").click()
    check_accessibility(page)
    page.get_by_label("OCDS file (JSON)").set_input_files(str(package))
    page.get_by_role("button", name="Find the lines").click()
    page.get_by_role("heading", name="Complete the lines from OCDS").wait_for()
    check_accessibility(page)
    page.get_by_role("group", name="Line 3: Laptop (portable computer)").get_by_label(
        "Condition", exact=True
    ).select_option("refurbished")
    page.get_by_role("button", name="Store the chosen lines").click()
    page.get_by_text("3 lines from the OCDS file are stored").wait_for()
    assert "ocds-ex4mpl-2026-calloff-7/1" in page.content()
