import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cfit.criteria import services
from cfit.criteria.models import (
    Criterion,
    CriterionVersion,
    ProductGroup,
    TenderSelection,
    VersionStatus,
)

from .factories import approved_version, content

pytestmark = pytest.mark.django_db


def test_the_starting_content_has_39_approved_criteria_whose_texts_match_their_parameters():
    versions = CriterionVersion.objects.approved().prefetch_related("parameters")
    assert versions.count() == 39
    for version in versions:
        services.check_content(
            content(
                tender_text=version.tender_text,
                parameters=[
                    services.ParameterSpec(
                        name=p.name,
                        label=p.label,
                        value_type=p.value_type,
                        default=p.default,
                        minimum=p.minimum,
                        maximum=p.maximum,
                        choices=p.choices,
                    )
                    for p in version.parameters.all()
                ],
            )
        )
    assert Criterion.objects.get(code="LIFE-07").product_groups.get().code == (
        "smartphone"
    )
    assert Criterion.objects.get(code="REFU-03").versions.get().refurbished_lots_only


def test_a_draft_is_not_public_until_it_is_approved(client, secretariat):
    version = services.criterion_draft(
        by=secretariat, code="TEST-01", content=content()
    )
    assert client.get(version.get_absolute_url()).status_code == 404
    assert "TEST-01" not in client.get(reverse("criteria:list")).text
    services.version_submit(version=version, by=secretariat)
    services.version_approve(version=version, by=secretariat)
    assert client.get(version.get_absolute_url()).status_code == 200
    assert "TEST-01" in client.get(reverse("criteria:list")).text


def test_an_unapproved_criterion_is_not_in_any_product_group_yet(secretariat):
    version = services.criterion_draft(
        by=secretariat, code="TEST-01", content=content()
    )
    assert not version.criterion.product_groups.exists()
    assert not Criterion.objects.published().filter(code="TEST-01").exists()


def test_approving_a_new_version_retires_the_old_one_which_stays_readable(
    client, secretariat
):
    first = approved_version(secretariat)
    second = approved_version(secretariat, title="Longer warranty", level="ambitious")
    first.refresh_from_db()
    assert first.status == VersionStatus.RETIRED
    assert second.status == VersionStatus.APPROVED
    criterion = Criterion.objects.get(code="TEST-01")
    assert (criterion.title, criterion.level) == ("Longer warranty", "ambitious")
    old_page = client.get(first.get_absolute_url())
    assert old_page.status_code == 200
    assert "which has been replaced" in old_page.text
    assert second.get_absolute_url() == "/criteria/TEST-01/v2/"


def test_a_new_approved_version_does_not_change_a_saved_selections_text(
    client, secretariat, procurer_a, organisation_a
):
    first = approved_version(secretariat)
    selection = services.tender_selection_save(
        by=procurer_a,
        organisation=organisation_a,
        title="Laptops 2027",
        product_group=ProductGroup.objects.get(code="laptop"),
        level="base",
        refurbished_lot=False,
        picks=[services.Pick(version=first, values={"years": "4"})],
    )
    approved_version(
        secretariat, tender_text="A guarantee of {years} years, battery included."
    )

    item = TenderSelection.objects.get(pk=selection.pk).items.get()
    assert item.version == first
    assert item.version.filled_text(item.parameter_values) == (
        "A warranty of at least 4 years."
    )
    client.force_login(procurer_a)
    page = client.get(selection.get_absolute_url())
    assert "A warranty of at least 4 years." in page.text
    assert "version 2 is now current" in page.text
    markdown = client.post(
        reverse("criteria:selection-export", args=[selection.pk, "md"])
    ).content.decode()
    assert "A warranty of at least 4 years" in markdown
    assert "guarantee" not in markdown


def test_only_one_version_can_be_drafted_at_a_time(secretariat):
    approved_version(secretariat)
    criterion = Criterion.objects.get(code="TEST-01")
    services.version_draft(criterion=criterion, by=secretariat, content=content())
    with pytest.raises(ValidationError, match="already being drafted"):
        services.version_draft(criterion=criterion, by=secretariat, content=content())


def test_a_parameter_missing_from_the_text_is_refused_and_nothing_is_saved(
    secretariat,
):
    with pytest.raises(ValidationError, match=r"Write \{years\}"):
        services.criterion_draft(
            by=secretariat,
            code="TEST-01",
            content=content(tender_text="A warranty of three years."),
        )
    with pytest.raises(ValidationError, match="no parameter with that name"):
        services.criterion_draft(
            by=secretariat,
            code="TEST-01",
            content=content(tender_text="{years} and {months}"),
        )
    assert not Criterion.objects.filter(code="TEST-01").exists()


def test_a_default_outside_the_allowed_range_is_refused(secretariat):
    spec = services.ParameterSpec(
        name="years", label="Warranty period", default="9", minimum=2, maximum=7
    )
    with pytest.raises(ValidationError, match="default value of years"):
        services.criterion_draft(
            by=secretariat, code="TEST-01", content=content(parameters=[spec])
        )


def test_a_reviewer_can_send_a_version_back_with_a_note(secretariat):
    version = services.criterion_draft(
        by=secretariat, code="TEST-01", content=content()
    )
    services.version_submit(version=version, by=secretariat)
    with pytest.raises(ValidationError):
        services.version_return(version=version, by=secretariat, note=" ")
    services.version_return(version=version, by=secretariat, note="Cite the source.")
    version.refresh_from_db()
    assert (version.status, version.review_note) == ("draft", "Cite the source.")


def test_a_procurer_can_neither_draft_nor_approve(procurer_a, secretariat):
    with pytest.raises(PermissionDenied):
        services.criterion_draft(by=procurer_a, code="TEST-01", content=content())
    version = services.criterion_draft(
        by=secretariat, code="TEST-01", content=content()
    )
    services.version_submit(version=version, by=secretariat)
    with pytest.raises(PermissionDenied):
        services.version_approve(version=version, by=procurer_a)


def test_a_working_group_member_with_the_permission_drafts_but_cannot_approve(
    outsider,
):
    from django.contrib.auth.models import Permission

    outsider.user_permissions.add(Permission.objects.get(codename="draft_criterion"))
    version = services.criterion_draft(by=outsider, code="TEST-01", content=content())
    services.version_submit(version=version, by=outsider)
    with pytest.raises(PermissionDenied):
        services.version_approve(version=version, by=outsider)


@pytest.mark.parametrize(
    "name",
    ["criteria:drafts", "criteria:new", "criteria:import", "criteria:usage"],
)
def test_the_secretariat_pages_are_not_found_for_a_procurer(client, procurer_a, name):
    client.force_login(procurer_a)
    assert client.get(reverse(name)).status_code == 404


def test_drafting_pages_are_not_found_for_a_procurer(client, procurer_a, secretariat):
    version = services.criterion_draft(
        by=secretariat, code="TEST-01", content=content()
    )
    client.force_login(procurer_a)
    assert client.get(version.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("criteria:version-edit", args=["TEST-01", 1])).status_code
        == 404
    )
    assert (
        client.get(reverse("criteria:version-new", args=["LIFE-01"])).status_code == 404
    )
    response = client.post(
        reverse("criteria:version-decide", args=["TEST-01", 1]),
        {"decision": "submit"},
    )
    assert response.status_code == 404
    version.refresh_from_db()
    assert version.status == "draft"


def test_the_secretariat_drafts_a_new_version_through_the_form(client, secretariat):
    client.force_login(secretariat)
    page = client.get(reverse("criteria:version-new", args=["LIFE-01"]))
    assert "Manufacturer&#x27;s warranty" in page.text or "Manufacturer's" in page.text
    form = page.context["form"]
    data = {
        "title": "Manufacturer's warranty, battery included",
        "level": "base",
        "category": "lifetime",
        "kind": "technical_specification",
        "product_groups": [p.pk for p in form.initial["product_groups"]],
        "tender_text": "The devices come with a warranty of {years} years, battery included.",
        "source": "eu_gpp_2021",
        "source_reference": "EU GPP TS3",
        "change_note": "Shorter text.",
        "parameters-TOTAL_FORMS": "2",
        "parameters-INITIAL_FORMS": "1",
        "parameters-0-name": "years",
        "parameters-0-label": "Warranty period",
        "parameters-0-unit": "years",
        "parameters-0-value_type": "integer",
        "parameters-0-default": "3",
        "parameters-0-minimum": "2",
        "parameters-0-maximum": "7",
        "parameters-1-value_type": "integer",  # an empty extra row, as browsers send it
    }
    response = client.post(reverse("criteria:version-new", args=["LIFE-01"]), data)
    assert response.status_code == 302, response.context["form"].errors
    version = CriterionVersion.objects.get(criterion__code="LIFE-01", number=2)
    assert version.status == "draft"
    assert version.parameters.get().maximum == 7
    client.post(
        reverse("criteria:version-decide", args=["LIFE-01", 2]), {"decision": "submit"}
    )
    client.post(
        reverse("criteria:version-decide", args=["LIFE-01", 2]), {"decision": "approve"}
    )
    version.refresh_from_db()
    assert version.status == "approved"
    assert "warranty of 3 years" in client.get("/criteria/LIFE-01/").text


def test_a_retired_criterion_leaves_the_base_but_stays_readable(client, secretariat):
    version = approved_version(secretariat)
    services.version_retire(version=version, by=secretariat)
    criterion = Criterion.objects.get(code="TEST-01")
    assert not criterion.product_groups.exists()
    assert not Criterion.objects.published().filter(code="TEST-01").exists()
    assert "TEST-01" not in client.get(reverse("criteria:list")).text
    page = client.get("/criteria/TEST-01/")
    assert page.status_code == 200
    assert "This criterion has been retired" in page.text
