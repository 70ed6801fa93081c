"""What exists in the groups tests: a group coordinated by the coordinator persona with
organisation A as member (B is not), and an active working group procurer A is in."""

import io
import zipfile

import pytest

from cfit.groups.tests.factories import (
    BuyerGroupFactory,
    BuyerGroupMembershipFactory,
    WorkingGroupFactory,
    WorkingGroupMembershipFactory,
)


@pytest.fixture
def group(coordinating_organisation, organisation_a):
    group = BuyerGroupFactory(
        name="Dutch buyer group",
        slug="dutch-buyer-group",
        coordinator=coordinating_organisation,
    )
    BuyerGroupMembershipFactory(group=group, organisation=organisation_a)
    return group


@pytest.fixture
def working_group(procurer_a):
    working_group = WorkingGroupFactory(
        name="Battery criteria", slug="battery-criteria", proposed_by=procurer_a
    )
    WorkingGroupMembershipFactory(working_group=working_group, user=procurer_a)
    return working_group


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def office_file(kind: str) -> bytes:
    """The smallest ZIP that looks like a DOCX, XLSX or ODT to the content check."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if kind == "odt":
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            archive.writestr("content.xml", "<office:document-content/>")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
            inner = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
            archive.writestr(inner, "<x/>")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
