"""Criteria in the reader's language, the translators' files, and tenders in their language."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import translation
from docx import Document
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from cfit.criteria import services, translation_files
from cfit.criteria.exports import build_document, to_docx, to_markdown, to_pdf
from cfit.criteria.models import (
    PLACEHOLDER,
    CriterionVersion,
    CriterionVersionTranslation,
    ProductGroup,
    VersionStatus,
)
from cfit.criteria.selectors import (
    exchange_versions,
    search_versions,
    translation_overview,
)
from cfit.criteria.starting_translations import STARTING_LANGUAGES, starting_file
from cfit.criteria.translation_services import (
    TranslationUnit,
    translations_apply,
    version_translation_save,
)
from cfit.lib.translations import translated

from .factories import approved_version, content


def _current(code: str) -> CriterionVersion:
    return CriterionVersion.objects.get(
        criterion__code=code, status=VersionStatus.APPROVED
    )


def _get_in(client, language: str, name: str, **kwargs):  # type: ignore[no-untyped-def]
    """A page in a language: by its /xx/ address once the interface has them, and
    by Accept-Language and the active language until then."""
    with translation.override(language):
        url = reverse(name, kwargs=kwargs)
        return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


def test_every_starting_criterion_has_four_languages_with_the_placeholders(db):
    for version in CriterionVersion.objects.approved().prefetch_related(
        "translations", "parameters__translations"
    ):
        rows = {row.language_code: row for row in version.translations.all()}
        assert set(rows) >= set(STARTING_LANGUAGES), version.criterion.code
        wanted = sorted(PLACEHOLDER.findall(version.tender_text))
        for language, row in rows.items():
            assert sorted(PLACEHOLDER.findall(row.translated_tender_text)) == wanted, (
                version.criterion.code,
                language,
            )
            assert row.translated_title and not row.needs_review
        for parameter in version.parameters.all():
            have = {row.language_code for row in parameter.translations.all()}
            assert have >= set(STARTING_LANGUAGES), (version.criterion.code, parameter)


def test_the_starting_files_translate_every_criterion_of_the_base(db):
    codes = set(
        CriterionVersion.objects.approved().values_list("criterion__code", flat=True)
    )
    for language in STARTING_LANGUAGES:
        assert set(starting_file(language)["criteria"]) == codes, language


def test_a_german_reader_sees_the_english_text_marked_where_no_german_exists(
    client, secretariat
):
    version = approved_version(secretariat, code="TEST-01")
    version_translation_save(
        version=version,
        language="nl",
        texts={
            "title": "Garantie voor testlaptops",
            "tender_text": "Een garantie van ten minste {years} jaar.",
        },
        by=secretariat,
    )
    page = _get_in(client, "de", "criteria:detail", code="TEST-01").content.decode()
    assert '<span lang="en">Warranty for test laptops</span>' in page
    assert "(in English)" in page or "(auf Englisch)" in page
    assert "Garantie voor testlaptops" not in page


def test_a_dutch_reader_sees_the_dutch_text_unmarked(client, secretariat):
    page = _get_in(client, "nl", "criteria:detail", code="LIFE-01").content.decode()
    dutch = _current("LIFE-01").translations.get(language_code="nl")
    assert dutch.translated_title in page
    assert '<span lang="en">' not in page.split("<h1>")[1].split("</h1>")[0]


def test_the_criteria_list_shows_titles_in_the_readers_language(client, db):
    page = _get_in(client, "fr", "criteria:list").content.decode()
    french = _current("LIFE-01").translations.get(language_code="fr")
    assert french.translated_title in page


def test_a_translation_that_drops_a_placeholder_is_refused_and_nothing_is_saved(
    secretariat,
):
    before = CriterionVersionTranslation.objects.get(
        master=_current("LIFE-02"), language_code="es"
    ).translated_title
    units = [
        TranslationUnit("Row 2", "LIFE-02", "es", "title", "Nuevo título"),
        TranslationUnit("Row 3", "LIFE-01", "es", "tender_text", "Garantía de años."),
    ]
    with pytest.raises(ValidationError) as refused:
        translations_apply(units=units, by=secretariat)
    message = " ".join(refused.value.messages)
    assert "Row 3" in message and "tender text" in message and "{years}" in message
    assert (
        CriterionVersionTranslation.objects.get(
            master=_current("LIFE-02"), language_code="es"
        ).translated_title
        == before
    )


def test_someone_who_may_not_draft_criteria_cannot_translate(procurer_a):
    with pytest.raises(services.PermissionDenied):
        translations_apply(
            units=[TranslationUnit("x", "LIFE-01", "nl", "title", "Titel")],
            by=procurer_a,
        )


def test_the_translation_pages_are_hidden_from_a_procurer(client, procurer_a):
    client.force_login(procurer_a)
    assert client.get(reverse("criteria:translations")).status_code == 404
    url = reverse("criteria:version-translation", args=["LIFE-01", "nl"])
    assert client.get(url).status_code == 404


def test_the_secretariat_sees_which_criteria_lack_a_language(secretariat):
    approved_version(secretariat, code="TEST-01")
    rows = {row.version.criterion.code: row for row in translation_overview()}
    assert rows["TEST-01"].missing == ["nl", "fr", "de", "es"]
    assert rows["LIFE-01"].missing == []


def test_the_secretariat_translates_a_criterion_on_its_page(client, secretariat):
    approved_version(secretariat, code="TEST-01")
    client.force_login(secretariat)
    url = reverse("criteria:version-translation", args=["TEST-01", "fr"])
    assert "Warranty period" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "title": "Garantie des portables de test",
            "tender_text": "Une garantie d'au moins {years} ans.",
            "parameter.years.label": "Durée de la garantie",
            "parameter.years.unit": "ans",
        },
    )
    assert response.status_code == 302
    version = _current("TEST-01")
    assert translated(version, "title", "fr").text == "Garantie des portables de test"
    assert version.filled_text({"years": "4"}, "fr") == "Une garantie d'au moins 4 ans."


def test_a_csv_exported_and_filled_in_is_imported(client, secretariat):
    approved_version(secretariat, code="TEST-01")
    client.force_login(secretariat)
    exported = client.get(
        reverse("criteria:translations-export"),
        {"language": "de", "file_format": "csv"},
    ).content.decode()
    lines = exported.splitlines()
    assert lines[0].startswith("id,criterion,field")
    filled = [lines[0]] + [
        line + "Garantie der Testlaptops"
        if line.startswith("TEST-01/v1/title")
        else line
        for line in lines[1:]
    ]
    filled = [
        line + "Eine Garantie von mindestens {years} Jahren."
        if line.startswith("TEST-01/v1/tender_text")
        else line
        for line in filled
    ]
    upload = SimpleUploadedFile("criteria-de.csv", "\n".join(filled).encode())
    response = client.post(
        reverse("criteria:translations-import"), {"language": "de", "file": upload}
    )
    assert response.status_code == 302
    assert (
        translated(_current("TEST-01"), "title", "de").text
        == "Garantie der Testlaptops"
    )


def test_an_xliff_round_trip_stores_the_targets(secretariat):
    approved_version(secretariat, code="TEST-01")
    rows = translation_files.exchange_rows(exchange_versions(["TEST-01"]), "es")
    xliff = translation_files.to_xliff(rows, "es").decode()
    xliff = xliff.replace(
        '<target state="needs-translation" /><note>title</note>',
        "<target>Garantía de portátiles de prueba</target><note>title</note>",
    ).replace(
        '<target state="needs-translation" /><note>tender_text</note>',
        "<target>Una garantía de al menos {years} años.</target><note>tender_text</note>",
    )
    units = translation_files.read_translation_file("xlf", xliff, "es")
    translations_apply(units=units, by=secretariat)
    version = _current("TEST-01")
    assert (
        version.filled_text({"years": "3"}, "es") == "Una garantía de al menos 3 años."
    )


def test_an_xliff_with_entities_is_refused(secretariat):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        "<file target-language='nl'><body></body></file></xliff>"
    )
    with pytest.raises(ValidationError):
        translation_files.read_translation_file("xlf", bomb, "nl")


def test_an_import_names_the_row_of_an_unknown_criterion(secretariat):
    text = "id,translation\nNOPE-01/v1/title,Titel\n"
    units = translation_files.read_translation_file("csv", text, "nl")
    with pytest.raises(ValidationError) as refused:
        translations_apply(units=units, by=secretariat)
    assert "Row 2" in refused.value.messages[0]
    assert "NOPE-01" in refused.value.messages[0]


@given(st.text(max_size=200))
def test_reading_any_csv_gives_units_or_a_message(text):
    try:
        translation_files.read_translation_file("csv", text, "nl")
    except ValidationError as error:
        assert error.messages


def test_a_new_version_starts_with_flagged_copies_readers_do_not_see(secretariat):
    version = approved_version(secretariat, code="TEST-01")
    version_translation_save(
        version=version,
        language="nl",
        texts={"title": "Garantie", "tender_text": "Garantie van {years} jaar."},
        by=secretariat,
    )
    new = approved_version(
        secretariat, code="TEST-01", tender_text="A warranty of {years} years or more."
    )
    copy = new.translations.get(language_code="nl")
    assert copy.needs_review
    local = translated(new, "title", "nl")
    assert local.is_fallback and local.language == "en"


def test_a_tender_in_french_is_french_whatever_the_interface(db):
    picks = [
        services.Pick(version=_current("BATT-01"), values={"cycles": "1200"}),
        services.Pick(version=_current("LIFE-01"), values={"years": "4"}),
    ]
    with translation.override("en"):
        document = build_document(
            language="fr",
            title="Ordinateurs portables",
            organisation="Ville de Liège",
            product_group=ProductGroup.objects.get(code="laptop"),
            level="base",
            refurbished_lot=False,
            picks=picks,
            site_url="https://cfit.example",
            builder_url="https://cfit.example/criteria/tender-builder/",
        )
        docx = Document(io.BytesIO(to_docx(document)))
        docx_text = "\n".join(p.text for p in docx.paragraphs)
        pdf = PdfReader(io.BytesIO(to_pdf(document)))
        pdf_text = " ".join(page.extract_text() for page in pdf.pages)
        markdown = to_markdown(document)
    french = _current("BATT-01").translations.get(language_code="fr")
    sentence = french.translated_tender_text.split("{cycles}")[0].strip()
    for text in (docx_text, markdown):
        assert sentence in text
        assert "1\xa0200" in text or "1\u202f200" in text
    assert "1 200" in pdf_text.replace("\xa0", " ").replace("\u202f", " ")
    assert sentence.split(" ")[0] in pdf_text


def test_the_builder_keeps_the_tender_language_when_it_downloads(client, db):
    data = {
        "product_group": "laptop",
        "level": "base",
        "language": "de",
        "title": "Laptops",
        "criteria": ["LIFE-01"],
        "param-LIFE-01-years": "4",
        "action": "md",
    }
    response = client.post(reverse("criteria:builder"), data)
    assert response.status_code == 200
    german = _current("LIFE-01").translations.get(language_code="de")
    assert german.translated_title in response.content.decode()


def test_the_starting_files_are_valid_json_with_the_expected_shape():
    for language in STARTING_LANGUAGES:
        data = starting_file(language)
        assert set(data) >= {"criteria", "product_groups", "ecolabels"}
        json.dumps(data)


def test_content_is_stored_in_english_by_default(secretariat):
    version = approved_version(secretariat, code="TEST-02")
    assert version.original_language == "en"
    assert services.VersionContent(**content().__dict__).title


@pytest.mark.postgresql
def test_a_dutch_reader_finds_a_criterion_by_an_inflected_dutch_word(client, db):
    dutch = _current("LIFE-04").translations.get(language_code="nl")
    assert "reserveonderdeel " not in dutch.translated_tender_text.lower()
    with translation.override("nl"):
        url = reverse("criteria:list")
        response = client.get(url, {"q": "reserveonderdeel"}, HTTP_ACCEPT_LANGUAGE="nl")
    codes = {v.criterion.code for v in response.context["page"].object_list}
    assert "LIFE-04" in codes


def test_a_translation_makes_a_criterion_findable_on_postgresql(secretariat):
    version = approved_version(secretariat, code="TEST-01")
    version_translation_save(
        version=version,
        language="de",
        texts={
            "title": "Garantie",
            "tender_text": "Eine Garantie von {years} Jahren für Notebooks.",
        },
        by=secretariat,
    )
    with translation.override("de"):
        found = {v.criterion.code for v in search_versions(q="Notebook")}
    if connection.vendor == "postgresql":
        assert "TEST-01" in found
    else:
        assert "TEST-01" not in found  # SQLite searches the original texts


def test_the_overview_page_marks_missing_translations_for_the_secretariat(
    client, secretariat
):
    approved_version(secretariat, code="TEST-01")
    client.force_login(secretariat)
    page = client.get(reverse("criteria:translations")).content.decode()
    assert "TEST-01" in page
    missing = reverse("criteria:version-translation", args=["TEST-01", "es"])
    assert f'href="{missing}"><strong>missing</strong>' in page


def test_the_xliff_export_is_xliff_1_2_for_the_language_chosen(client, secretariat):
    client.force_login(secretariat)
    response = client.get(
        reverse("criteria:translations-export"),
        {"language": "fr", "file_format": "xliff"},
    )
    assert response["Content-Disposition"].endswith('criteria-fr.xlf"')
    units = translation_files.read_translation_file(
        "xlf", response.content.decode(), "fr"
    )
    life01 = {u.field: u.text for u in units if u.code == "LIFE-01"}
    french = _current("LIFE-01").translations.get(language_code="fr")
    assert life01["title"] == french.translated_title
    assert "parameter.years.label" in life01


@given(st.text(max_size=300))
def test_reading_any_xliff_gives_units_or_a_message(text):
    try:
        translation_files.read_translation_file("xlf", text, "nl")
    except ValidationError as error:
        assert error.messages


def test_an_imported_file_in_another_language_than_chosen_is_refused(secretariat):
    with pytest.raises(ValidationError) as refused:
        translation_files.read_translation_file(
            "csv", "id,language,translation\nLIFE-01/v1/title,de,Titel\n", "nl"
        )
    assert "Row 2" in refused.value.messages[0]


def test_a_saved_tender_downloads_in_its_own_language(client, procurer_a):
    from cfit.organisations.selectors import organisation_for_user

    selection = services.tender_selection_save(
        by=procurer_a,
        organisation=organisation_for_user(procurer_a),
        title="Laptops",
        product_group=ProductGroup.objects.get(code="laptop"),
        level="base",
        refurbished_lot=False,
        picks=[services.Pick(version=_current("LIFE-01"), values={"years": "4"})],
        language="es",
    )
    client.force_login(procurer_a)
    response = client.post(
        reverse("criteria:selection-export", args=[selection.pk, "md"])
    )
    spanish = _current("LIFE-01").translations.get(language_code="es")
    assert spanish.translated_title in response.content.decode()


def test_emptying_a_field_on_the_translation_page_removes_its_text(client, secretariat):
    approved_version(secretariat, code="TEST-01", rationale="Laptops last longer.")
    client.force_login(secretariat)
    url = reverse("criteria:version-translation", args=["TEST-01", "fr"])
    texts = {
        "title": "Garantie des portables de test",
        "tender_text": "Une garantie d'au moins {years} ans.",
        "rationale": "Les portables durent plus longtemps.",
        "parameter.years.label": "Durée de la garantie",
        "parameter.years.unit": "ans",
    }
    assert client.post(url, texts).status_code == 302
    assert client.post(url, {**texts, "rationale": ""}).status_code == 302
    version = _current("TEST-01")
    row = version.translations.get(language_code="fr")
    assert row.translated_rationale == ""
    assert row.translated_title == "Garantie des portables de test"
    # A file leaves what is not translated yet empty: that keeps the stored text.
    translations_apply(
        units=[
            TranslationUnit(
                where="row 2", code="TEST-01", language="fr", field=name, text=text
            )
            for name, text in (("title", ""), ("rationale", "Ils durent."))
        ],
        by=secretariat,
    )
    row.refresh_from_db()
    assert row.translated_title == "Garantie des portables de test"
    assert row.translated_rationale == "Ils durent."


def _draft_in_german(secretariat):  # type: ignore[no-untyped-def]
    draft = services.criterion_draft(by=secretariat, code="TEST-02", content=content())
    version_translation_save(
        version=draft,
        language="de",
        texts={
            "title": "Garantie für Test-Laptops",
            "tender_text": "Eine Garantie von mindestens {years} Jahren.",
            "parameter.years.label": "Garantiedauer",
            "parameter.years.unit": "Jahre",
        },
        by=secretariat,
    )
    return draft


def test_changing_a_draft_keeps_its_parameter_translations(secretariat):
    draft = _draft_in_german(secretariat)
    services.version_update(
        version=draft, by=secretariat, content=content(source_reference="p. 12")
    )
    parameter = draft.parameters.get(name="years")
    assert parameter.translations.get(language_code="de").translated_label == (
        "Garantiedauer"
    )
    # Nothing a translation renders changed, so it still stands.
    assert not draft.translations.get(language_code="de").needs_review


def test_changing_the_text_of_a_draft_flags_its_translations(secretariat):
    draft = _draft_in_german(secretariat)
    services.version_update(
        version=draft,
        by=secretariat,
        content=content(tender_text="A warranty of {years} years or more."),
    )
    assert draft.translations.get(language_code="de").needs_review
    assert translated(draft, "title", "de").is_fallback


def test_a_language_named_inside_a_spanish_sentence_is_not_capitalised(
    client, secretariat
):
    approved_version(secretariat, code="TEST-01")
    client.force_login(secretariat)
    with translation.override("es"):
        url = reverse("criteria:version-translation", args=["TEST-01", "fr"])
    page = client.get(url).content.decode()
    assert "TEST-01 versión 1 en francés" in page
    assert "en Francés" not in page
