"""The list of signatories is rendered once and kept (organisations/views.py): it still
shows a change at once, whichever door made it."""

import pytest
from django.urls import reverse

from cfit.organisations.models import Signature
from cfit.organisations.services import organisation_update, signature_approve
from cfit.organisations.tests.factories import OrganisationFactory, SignatureFactory

pytestmark = pytest.mark.django_db


def signatories_page(client, query: str = "") -> str:
    response = client.get(reverse("organisations:signatories") + query)
    assert response.status_code == 200
    return response.text


def test_a_signature_approved_by_the_secretariat_is_listed_at_once(
    client, organisation_a, secretariat, django_capture_on_commit_callbacks
):
    pending = SignatureFactory(organisation=OrganisationFactory(name="Late Town"))
    assert "Late Town" not in signatories_page(client)
    with django_capture_on_commit_callbacks(execute=True):
        signature_approve(signature=pending, by=secretariat)
    assert "Late Town" in signatories_page(client)


def test_an_organisation_renamed_by_its_administrator_is_listed_under_its_new_name(
    client, organisation_a, secretariat, django_capture_on_commit_callbacks
):
    assert "City of Alphen" in signatories_page(client, "?country=NL")
    with django_capture_on_commit_callbacks(execute=True):
        organisation_update(
            organisation=organisation_a,
            by=secretariat,
            name="Alphen aan den Rijn",
            country="NL",
            kind=organisation_a.kind,
            website="",
        )
    page = signatories_page(client, "?country=NL")
    assert "Alphen aan den Rijn" in page
    assert "City of Alphen" not in page


def test_a_signatory_corrected_in_the_admin_is_listed_at_once(
    client, admin_change, organisation_a
):
    signature = Signature.objects.get(organisation=organisation_a)
    assert signature.signatory_name in signatories_page(client)
    admin_change(
        reverse("admin:organisations_signature_change", args=[signature.pk]),
        signatory_name="Corrected Person",
    )
    assert "Corrected Person" in signatories_page(client)


def test_the_list_for_htmx_is_kept_apart_from_the_full_page(client, organisation_a):
    assert "<html" in signatories_page(client)
    partial = client.get(
        reverse("organisations:signatories"), headers={"HX-Request": "true"}
    )
    assert "<html" not in partial.text
    assert "City of Alphen" in partial.text
    assert "<html" in signatories_page(client)


def test_the_home_page_counts_a_signature_approved_by_the_secretariat_at_once(
    client, organisation_a, secretariat, django_capture_on_commit_callbacks
):
    def organisations_shown() -> str:
        response = client.get(reverse("home"))
        assert response.status_code == 200
        return response.context["summary"].organisations

    assert organisations_shown() == 1
    pending = SignatureFactory(organisation=OrganisationFactory(name="Late Town"))
    with django_capture_on_commit_callbacks(execute=True):
        signature_approve(signature=pending, by=secretariat)
    assert organisations_shown() == 2
