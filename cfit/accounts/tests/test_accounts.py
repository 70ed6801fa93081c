import pytest
from django.test import override_settings
from django.urls import reverse

from cfit.accounts.models import User
from cfit.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@city.example",
    "password1": "An-unusual-passphrase-42",
    "password2": "An-unusual-passphrase-42",
}


def test_sign_up_without_solving_the_human_check_is_refused(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 200
    assert not User.objects.filter(email="ada@city.example").exists()
    assert "field--error" in response.text


def test_a_password_reset_without_the_human_check_sends_nothing(client, mailoutbox):
    UserFactory(email="ada@city.example")
    client.post(reverse("account_reset_password"), {"email": "ada@city.example"})
    assert mailoutbox == []


@override_settings(ALTCHA_VERIFICATION_ENABLED=False)
def test_sign_up_sends_a_confirmation_link_and_keeps_the_name(client, mailoutbox):
    client.post(reverse("account_signup"), SIGNUP)
    user = User.objects.get(email="ada@city.example")
    assert user.get_full_name() == "Ada Lovelace"
    assert len(mailoutbox) == 1
    assert "/accounts/confirm-email/" in mailoutbox[0].body


@override_settings(ALTCHA_VERIFICATION_ENABLED=False)
def test_an_unconfirmed_address_cannot_reach_the_members_area(client):
    client.post(reverse("account_signup"), SIGNUP)
    response = client.post(
        reverse("account_login"),
        {"login": SIGNUP["email"], "password": SIGNUP["password1"]},
    )
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_wrong_passwords_lock_the_account_with_a_clear_message(client):
    UserFactory(email="ada@city.example")
    for _ in range(3):
        client.post(
            reverse("account_login"),
            {"login": "ada@city.example", "password": "wrong-password"},
        )
    response = client.post(
        reverse("account_login"), {"login": "ada@city.example", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Signing in is paused" in response.text
    assert "_auth_user_id" not in client.session


def test_the_right_password_signs_in(client):
    UserFactory(email="ada@city.example")
    response = client.post(
        reverse("account_login"), {"login": "ada@city.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_my_page_needs_a_signed_in_person(client):
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302


@override_settings(ALTCHA_VERIFICATION_ENABLED=False)
def test_a_forgotten_password_is_reset_through_the_emailed_link(client, mailoutbox):
    import re

    UserFactory(email="ada@city.example")
    client.post(reverse("account_reset_password"), {"email": "ada@city.example"})
    (message,) = mailoutbox
    path = re.search(
        r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", message.body
    ).group(1)
    form_page = client.get(path, follow=True)
    new_password = "A-brand-new-passphrase-7"
    client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": new_password, "password2": new_password},
    )
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "ada@city.example", "password": new_password},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_signing_out_ends_the_session(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session
