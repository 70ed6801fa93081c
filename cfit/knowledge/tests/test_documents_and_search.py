import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter

from cfit.knowledge import services
from cfit.knowledge.documents import search_words
from cfit.knowledge.models import ExampleDocument
from cfit.knowledge.selectors import ExampleFilters, search_examples
from cfit.knowledge.tests.conftest import (
    docx_upload,
    make_example,
    pdf_upload,
    published,
)


def _stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_words_inside_a_pdf_are_found_by_search(procurer_a, secretariat, group):
    example = make_example(procurer_a)
    services.example_document_add(
        example=example, by=procurer_a, title="Tender", upload=pdf_upload()
    )
    published(example, secretariat)
    found = search_examples(procurer_a, ExampleFilters(q="zirconium"))
    assert list(found) == [example]


def test_words_inside_a_docx_are_found_by_a_visitor(client, procurer_a, secretariat):
    example = make_example(procurer_a)
    services.example_document_add(
        example=example, by=procurer_a, title="Grid", upload=docx_upload()
    )
    published(example, secretariat)
    page = client.get(reverse("knowledge:examples"), {"q": "quokka"}).content.decode()
    assert example.title in page
    page = client.get(reverse("knowledge:examples"), {"q": "wombat"}).content.decode()
    assert example.title not in page


def test_a_password_protected_pdf_is_refused_and_nothing_is_stored(
    client, procurer_a, media_root
):
    example = make_example(procurer_a)
    client.force_login(procurer_a)
    response = client.post(
        reverse("knowledge:document-add", kwargs={"slug": example.slug}),
        {
            "title": "Contract",
            "file": SimpleUploadedFile("contract.pdf", _encrypted_pdf()),
        },
    )
    assert response.status_code == 400
    assert "protected by a password" in response.content.decode()
    assert not ExampleDocument.objects.exists()
    assert _stored_files(media_root) == []


def test_a_damaged_pdf_is_refused_in_words(procurer_a):
    example = make_example(procurer_a)
    upload = SimpleUploadedFile("broken.pdf", b"%PDF-1.7\n\x00\x01garbage" * 20)
    with pytest.raises(ValidationError) as raised:
        services.example_document_add(
            example=example, by=procurer_a, title="Broken", upload=upload
        )
    assert "cannot be read" in raised.value.message_dict["file"][0]


def test_an_html_file_renamed_docx_is_refused(client, procurer_a):
    example = make_example(procurer_a)
    client.force_login(procurer_a)
    response = client.post(
        reverse("knowledge:document-add", kwargs={"slug": example.slug}),
        {
            "title": "Grid",
            "file": SimpleUploadedFile("grid.docx", b"<html><body>x</body></html>"),
        },
    )
    assert response.status_code == 400
    assert "not a Word (DOCX) document" in response.content.decode()
    assert not ExampleDocument.objects.exists()


def test_an_oversized_file_is_refused(procurer_a, settings):
    settings.KNOWLEDGE_MAX_DOCUMENT_BYTES = 1000
    example = make_example(procurer_a)
    with pytest.raises(ValidationError) as raised:
        services.example_document_add(
            example=example, by=procurer_a, title="Tender", upload=pdf_upload()
        )
    assert "at most" in raised.value.message_dict["file"][0]


def test_another_organisation_cannot_attach_or_download_a_draft_document(
    client, procurer_a, procurer_b
):
    example = make_example(procurer_a)
    document = services.example_document_add(
        example=example, by=procurer_a, title="Tender", upload=pdf_upload()
    )
    client.force_login(procurer_b)
    add = reverse("knowledge:document-add", kwargs={"slug": example.slug})
    download = reverse(
        "knowledge:document", kwargs={"slug": example.slug, "pk": document.pk}
    )
    assert client.get(add).status_code == 404
    assert client.get(download).status_code == 404
    client.force_login(procurer_a)
    assert client.get(download).status_code == 200


def test_one_word_finds_the_same_examples_on_every_database(procurer_a, secretariat):
    """Whole words, in the form written: PostgreSQL and SQLite agree."""
    laptop = published(
        make_example(procurer_a, title="Laptop tender", results="Spare keyboard."),
        secretariat,
    )
    published(
        make_example(procurer_a, title="Phone tender", results="Keys by post."),
        secretariat,
    )
    found = search_examples(visitor(), ExampleFilters(q="keyboard"))
    assert [e.pk for e in found] == [laptop.pk]
    # A piece of a word is not a word: PostgreSQL's search does not match it either.
    assert list(search_examples(visitor(), ExampleFilters(q="keyb"))) == []


def test_an_example_found_in_its_title_ranks_first(procurer_a, secretariat):
    body_only = published(
        make_example(procurer_a, title="Phones", results="About the battery pack."),
        secretariat,
    )
    in_title = published(
        make_example(procurer_a, title="Battery replacement", results="Nothing."),
        secretariat,
    )
    found = list(search_examples(visitor(), ExampleFilters(q="battery")))
    assert found == [in_title, body_only]


def test_a_dutch_example_is_searched_with_dutch_rules_on_postgresql(
    procurer_a, secretariat
):
    """PostgreSQL stems with the example's language; SQLite keeps to whole words."""
    example = published(
        make_example(
            procurer_a,
            language="nl",
            title="Aanbesteding",
            results="De accu's gaan langer mee.",
        ),
        secretariat,
    )
    stemmed = list(search_examples(visitor(), ExampleFilters(q="langere")))
    if connection.vendor == "postgresql":
        assert stemmed == [example]
    else:
        assert stemmed == []


def test_filters_narrow_the_results_and_stay_in_the_address(
    client, procurer_a, procurer_b, secretariat
):
    refurbished = published(make_example(procurer_a, title="Refurbished"), secretariat)
    published(
        make_example(procurer_b, title="New devices", condition="new"), secretariat
    )
    response = client.get(
        reverse("knowledge:examples"), {"condition": "refurbished", "country": "NL"}
    )
    page = response.content.decode()
    assert refurbished.title in page
    assert "New devices" not in page
    assert 'value="refurbished" selected' in page


def test_search_never_shows_drafts(client, procurer_a):
    make_example(procurer_a, title="Secret draft", results="zirconium")
    page = client.get(
        reverse("knowledge:examples"), {"q": "zirconium"}
    ).content.decode()
    assert "Secret draft" not in page


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=200))
def test_search_words_are_whole_lower_case_words_between_single_spaces(text):
    words = search_words(text)
    assert words == "" or (words.startswith(" ") and words.endswith(" "))
    assert "  " not in words
    assert words == words.lower()


def visitor():
    return AnonymousUser()
