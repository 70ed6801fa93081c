import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from cfit.criteria.models import ProductGroup
from cfit.groups import services
from cfit.groups.models import (
    Notice,
    WorkingGroup,
    WorkingGroupDocument,
    WorkingGroupMembership,
    WorkingGroupStatus,
)
from cfit.groups.tests.conftest import PDF, office_file
from cfit.lib.uploads import sniff_document_type


def _stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_signatory_proposes_a_working_group_and_the_secretariat_is_told(
    procurer_a, secretariat, django_capture_on_commit_callbacks
):
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        working_group = services.working_group_propose(
            by=procurer_a,
            name="Tablets as a product group",
            topic="new_product_group",
            purpose="Prepare tablets.",
            product_groups=ProductGroup.objects.filter(code="tablet"),
        )
    assert working_group.status == WorkingGroupStatus.PROPOSED
    assert [p.code for p in working_group.product_groups.all()] == ["tablet"]
    assert mail.outbox[0].to == [secretariat.email]
    assert Notice.objects.filter(recipient=secretariat).exists()


def test_a_person_without_a_signature_cannot_propose(outsider):
    with pytest.raises(ValidationError):
        services.working_group_propose(
            by=outsider, name="Anything", topic="other", purpose="Something"
        )
    assert not WorkingGroup.objects.exists()


def test_the_secretariat_opens_a_proposal_and_the_proposer_becomes_its_first_member(
    procurer_a, secretariat, django_capture_on_commit_callbacks
):
    proposal = services.working_group_propose(
        by=procurer_a, name="Batteries", topic="criteria", purpose="Spare batteries."
    )
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        services.working_group_decide(
            working_group=proposal, by=secretariat, open_it=True
        )
    proposal.refresh_from_db()
    assert proposal.status == WorkingGroupStatus.ACTIVE
    assert proposal.memberships.get().user == procurer_a
    assert mail.outbox[0].to == [procurer_a.email]
    assert "opened" in mail.outbox[0].body


def test_declining_a_proposal_needs_a_reason(procurer_a, secretariat):
    proposal = services.working_group_propose(
        by=procurer_a, name="Batteries", topic="criteria", purpose="Spare batteries."
    )
    with pytest.raises(ValidationError):
        services.working_group_decide(
            working_group=proposal, by=secretariat, open_it=False
        )
    services.working_group_decide(
        working_group=proposal,
        by=secretariat,
        open_it=False,
        message="The criteria group covers this.",
    )
    proposal.refresh_from_db()
    assert proposal.status == WorkingGroupStatus.DECLINED


def test_people_of_signatories_join_an_active_working_group_but_not_a_closed_one(
    working_group, procurer_b, coordinator, secretariat
):
    services.working_group_join(working_group=working_group, by=procurer_b)
    assert working_group.memberships.filter(user=procurer_b).exists()
    services.working_group_close(working_group=working_group, by=secretariat)
    with pytest.raises(ValidationError):
        services.working_group_join(working_group=working_group, by=coordinator)


def test_an_outsider_cannot_join_a_working_group(working_group, outsider):
    with pytest.raises(ValidationError):
        services.working_group_join(working_group=working_group, by=outsider)
    assert not WorkingGroupMembership.objects.filter(user=outsider).exists()


@pytest.mark.parametrize("kind", ["pdf", "docx", "xlsx", "odt"])
def test_a_member_uploads_each_accepted_kind_of_document(
    client, working_group, procurer_a, media_root, kind
):
    content = PDF if kind == "pdf" else office_file(kind)
    client.force_login(procurer_a)
    response = client.post(
        reverse("groups:document-upload", kwargs={"slug": working_group.slug}),
        {"title": "Draft", "file": SimpleUploadedFile(f"draft.{kind}", content)},
    )
    assert response.status_code == 302
    document = WorkingGroupDocument.objects.get()
    assert document.file_type == kind
    download = client.get(
        reverse(
            "groups:document", kwargs={"slug": working_group.slug, "pk": document.pk}
        )
    )
    assert b"".join(download.streaming_content) == content


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00 a program", "This kind of file cannot be shared"),
        ("notes.txt", b"plain text", "This kind of file cannot be shared"),
        ("report.pdf", b"MZ\x90\x00 a program in disguise", "content is not a PDF"),
        ("sheet.docx", office_file("xlsx"), "content is not a Word (DOCX)"),
        ("text.odt", b"PK\x03\x04 broken zip", "content is not a OpenDocument"),
        ("empty.pdf", b"", "The submitted file is empty"),
    ],
)
def test_an_upload_of_the_wrong_type_is_refused_and_nothing_is_stored(
    client, working_group, procurer_a, media_root, filename, content, message
):
    client.force_login(procurer_a)
    response = client.post(
        reverse("groups:document-upload", kwargs={"slug": working_group.slug}),
        {"title": "Bad", "file": SimpleUploadedFile(filename, content)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not WorkingGroupDocument.objects.exists()
    assert _stored_files(media_root) == []


def test_an_upload_over_the_size_limit_is_refused_and_nothing_is_stored(
    client, working_group, procurer_a, media_root, settings
):
    settings.GROUPS_MAX_DOCUMENT_BYTES = 1000
    client.force_login(procurer_a)
    big = PDF + b"0" * 2000
    response = client.post(
        reverse("groups:document-upload", kwargs={"slug": working_group.slug}),
        {"title": "Big", "file": SimpleUploadedFile("big.pdf", big)},
    )
    assert response.status_code == 400
    assert "files can be at most 1000" in response.content.decode()
    assert not WorkingGroupDocument.objects.exists()
    assert _stored_files(media_root) == []


def test_a_document_that_fails_to_be_recorded_leaves_no_file(
    working_group, procurer_a, media_root, monkeypatch
):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(WorkingGroupDocument, "save", fail)
    with pytest.raises(RuntimeError):
        services.working_group_document_upload(
            working_group=working_group,
            by=procurer_a,
            title="Draft",
            upload=SimpleUploadedFile("draft.pdf", PDF),
        )
    assert _stored_files(media_root) == []


@given(st.binary(max_size=300))
def test_random_bytes_are_only_taken_for_a_pdf_when_they_start_like_one(data):
    found = sniff_document_type(io.BytesIO(data))
    assert found in (None, "pdf")
    assert (found == "pdf") == data.startswith(b"%PDF-")


@given(st.binary(max_size=200))
def test_a_zip_header_with_random_bytes_is_never_taken_for_an_office_document(data):
    assert sniff_document_type(io.BytesIO(b"PK\x03\x04" + data)) is None


def test_a_docx_bomb_is_refused_in_words_and_nothing_is_stored(
    client, working_group, procurer_a, media_root
):
    from cfit.lib.tests.hostile import docx_bomb

    client.force_login(procurer_a)
    response = client.post(
        reverse("groups:document-upload", kwargs={"slug": working_group.slug}),
        {"title": "Minutes", "file": SimpleUploadedFile("minutes.docx", docx_bomb())},
    )
    assert response.status_code == 400
    assert "unpacks to far more data" in response.content.decode()
    assert not WorkingGroupDocument.objects.exists()
    assert _stored_files(media_root) == []
