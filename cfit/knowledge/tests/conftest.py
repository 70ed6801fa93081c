"""What exists in the knowledge tests: organisation A in a buyer group that the
coordinator persona coordinates (B is in no group), and helpers to make examples."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cfit.criteria.models import CriterionVersion, ProductGroup
from cfit.knowledge import services
from cfit.knowledge.models import ExampleStatus, GoodExample
from cfit.knowledge.samples import docx_with_text, pdf_with_text
from cfit.monitoring.tests.factories import buyer_group_of


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def group(coordinating_organisation, organisation_a):
    return buyer_group_of(coordinating_organisation, organisation_a, slug="dutch-group")


def make_example(author, *, title="Refurbished laptops for the city", **fields):
    """A draft example of the author's organisation, through the service."""
    from cfit.organisations.selectors import organisation_for_user

    values = {
        "title": title,
        "kind": "tender",
        "summary": "How we bought refurbished laptops.",
        "language": "en",
        "visibility": "public",
        "condition": "refurbished",
        "year": 2025,
        "procedure": "open",
        "results": "Devices last six years.",
        **fields,
    }
    return services.example_save(
        by=author,
        organisation=organisation_for_user(author),
        fields=values,
        product_groups=ProductGroup.objects.filter(code="laptop"),
        criterion_versions=CriterionVersion.objects.approved().filter(
            criterion__code="LIFE-01"
        ),
    )


def published(example: GoodExample, reviewer) -> GoodExample:
    services.example_submit(example=example, by=example.author)
    return services.example_publish(example=example, by=reviewer)


def pdf_upload(name="tender.pdf", words="Laptops with a zirconium hinge."):
    return SimpleUploadedFile(name, pdf_with_text("Tender", [words]))


def docx_upload(name="grid.docx", words="Evaluation grid with quokka points."):
    return SimpleUploadedFile(name, docx_with_text("Grid", [words]))


__all__ = ["ExampleStatus", "make_example", "published", "pdf_upload", "docx_upload"]
