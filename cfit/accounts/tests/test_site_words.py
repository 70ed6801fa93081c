"""Account pages speak the site's words and name the secretariat's address."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from cfit.groups.models import BuyerGroup
from cfit.organisations.models import SignatureRole
from cfit.organisations.tests.factories import SignatureFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@city.example",
    "password1": "An-unusual-passphrase-42",
    "password2": "An-unusual-passphrase-42",
}


@override_settings(SECRETARIAT_EMAIL="pact@secretariat.example")
def test_the_account_pages_use_the_sites_words_and_the_contact_address(client):
    for name, heading in [
        ("account_login", "Sign in"),
        ("account_signup", "Create an account"),
        ("account_reset_password", "Forgotten your password?"),
    ]:
        page = client.get(reverse(name)).content.decode()
        assert f"<h1>{heading}</h1>" in page
        for library_words in ("Signup", "Sign Up", "Sign In", "Please contact us"):
            assert library_words not in page
        assert 'href="mailto:pact@secretariat.example"' in page


@override_settings(SECRETARIAT_EMAIL="pact@secretariat.example")
def test_the_footer_privacy_and_accessibility_pages_give_the_address(client):
    for name in ("home", "privacy", "accessibility"):
        page = client.get(reverse(name)).content.decode()
        assert page.count("mailto:pact@secretariat.example") >= (
            1 if name == "home" else 2
        ), name


@override_settings(ALTCHA_VERIFICATION_ENABLED=False)
def test_confirming_the_email_address_signs_the_person_in(client, mailoutbox):
    client.post(reverse("account_signup"), SIGNUP)
    (path,) = re.findall(
        r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mailoutbox[0].body
    )
    response = client.post(path, follow=True)
    assert response.context["user"].is_authenticated
    assert "Welcome, Ada" in response.content.decode()


def test_the_sign_form_offers_only_the_roles_not_signed_yet(client, procurer_a):
    organisation = procurer_a.memberships.get().organisation
    client.force_login(procurer_a)
    page = client.get(reverse("organisations:detail", args=[organisation.slug]))
    assert "Sign in another role" in page.content.decode()
    assert ">Sign the Pact</a>" not in page.content.decode()
    form = client.get(reverse("organisations:sign", args=[organisation.slug]))
    assert [c[0] for c in form.context["form"].fields["role"].choices] == [
        SignatureRole.COORDINATING
    ]
    SignatureFactory(organisation=organisation, role=SignatureRole.COORDINATING)
    response = client.get(reverse("organisations:sign", args=[organisation.slug]))
    assert response.status_code == 302
    page = client.get(reverse("organisations:detail", args=[organisation.slug]))
    assert "Sign in another role" not in page.content.decode()


def test_the_join_form_says_optional_once(client, procurer_b):
    group = BuyerGroup.objects.create(
        name="Dutch buyers", slug="dutch", kind="national"
    )
    client.force_login(procurer_b)
    page = client.get(group.get_absolute_url()).content.decode()
    assert "(optional) (optional)" not in page
