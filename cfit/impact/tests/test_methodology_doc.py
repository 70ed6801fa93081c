"""The methodology is a page of the project, and every citation points at something."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve, reverse

from cfit.impact.factorsets import SHIPPED_FILE, read_data
from cfit.impact.models import ProductFactor

pytestmark = pytest.mark.django_db

DOC = Path(settings.BASE_DIR) / "docs" / "methodology.md"
# "docs/methodology.md: use phase" names a file and, after the colon, a heading.
FILE_CITATION = re.compile(r"([\w./-]+\.md)(?::\s*([\w ]+))?")


def _headings(path: Path) -> set[str]:
    return {
        line.lstrip("#").strip().casefold()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    }


def _check_citation(text: str) -> None:
    for file_name, heading in FILE_CITATION.findall(text):
        path = Path(settings.BASE_DIR) / file_name
        assert path.exists(), f"{text!r} cites {file_name}, which does not exist"
        if heading:
            assert heading.strip().casefold() in _headings(path), text


def test_the_methodology_page_shows_the_projects_methodology_file(client):
    page = client.get(reverse("impact:methodology")).content.decode()
    assert "<h2>The formulas</h2>" in page
    assert "<h2>Use phase</h2>" in page
    assert "docs/methodology.md" in page
    assert "impact-method.md" not in page


def test_every_source_of_a_factorset_cites_something_that_exists():
    shipped = read_data(SHIPPED_FILE)
    texts = [source for p in shipped["products"] for source in p["sources"].values()]
    texts += [
        source
        for product in ProductFactor.objects.all()
        for source in product.sources.values()
    ]
    assert any(".md" in text for text in texts)
    for text in texts:
        _check_citation(text)


def test_every_link_of_the_methodology_points_at_a_page_that_exists():
    links = re.findall(r"\]\(([^)]+)\)", DOC.read_text(encoding="utf-8"))
    assert links
    for link in links:
        if link.startswith("/"):
            try:
                resolve(link)
            except Resolver404:
                pytest.fail(f"The methodology links to {link}, which is no page")
        else:
            assert link.startswith("https://"), link
    for cited in re.findall(r"`([\w/]+\.md)`", DOC.read_text(encoding="utf-8")):
        assert (Path(settings.BASE_DIR) / cited).exists(), cited
