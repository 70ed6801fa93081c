"""Two-factor sign-in: offered to everyone, required for the secretariat."""

import io

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.management import call_command

from cfit.accounts.tests.factories import (
    PASSWORD,
    SECOND_FACTOR_SECRET,
    UserFactory,
)
from cfit.organisations.demo import DEMO_PASSWORDS, DEMO_SECRETARIAT_TOTP_SECRET
from cfit.security.services import current_code

from .urlwalk import all_routes

pytestmark = pytest.mark.django_db

SET_UP = "/accounts/2fa/totp/activate/"
OPEN_TO_THEM = (
    "/accounts/2fa/",
    "/accounts/reauthenticate/",
    "/accounts/logout/",
    "/language/",
)


@pytest.fixture
def secretariat_without_second_factor(db):
    user = UserFactory(email="new.staff@sbg.example", is_staff=True)
    user.groups.add(Group.objects.get(name="Secretariat"))
    return user


def test_the_secretariat_reaches_no_page_before_setting_up_a_second_factor(
    client, secretariat_without_second_factor
):
    client.force_login(secretariat_without_second_factor)
    reached = []
    for route in all_routes():
        url = route.template.format(**dict.fromkeys(dict(route.parameters), "1"))
        if url.startswith(OPEN_TO_THEM):
            continue
        response = client.get(url)
        if not (response.status_code == 302 and response.url == SET_UP):
            reached.append(f"{url} answered {response.status_code}")
    assert reached == []
    assert client.get("/admin/").url == SET_UP
    assert client.post("/secretariat/signatures/1/").url == SET_UP


def test_the_secretariat_is_told_why_and_can_set_up_the_authenticator_app(
    client, secretariat_without_second_factor
):
    client.post(
        "/accounts/login/",
        {"login": secretariat_without_second_factor.email, "password": PASSWORD},
    )
    page = client.get("/secretariat/signatures/", follow=True)
    assert page.redirect_chain[0][0] == SET_UP
    assert "protected by a second factor" in page.content.decode()
    # allauth asks for the password again before a second factor is added.
    client.post("/accounts/reauthenticate/", {"password": PASSWORD, "next": SET_UP})
    assert client.get(SET_UP).status_code == 200
    secret = client.session["mfa.totp.secret"]
    done = client.post(SET_UP, {"code": current_code(secret)})
    assert done.status_code == 302
    assert client.get("/secretariat/signatures/").status_code == 200
    kinds = set(
        Authenticator.objects.filter(
            user=secretariat_without_second_factor
        ).values_list("type", flat=True)
    )
    assert kinds == {"totp", "recovery_codes"}


def test_signing_in_as_the_secretariat_asks_for_the_code_of_the_app(
    client, secretariat
):
    response = client.post(
        "/accounts/login/", {"login": secretariat.email, "password": PASSWORD}
    )
    assert response.url == "/accounts/2fa/authenticate/"
    assert client.get("/secretariat/signatures/").status_code == 302  # not yet in
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and "Incorrect code" in wrong.content.decode()
    client.post(
        "/accounts/2fa/authenticate/", {"code": current_code(SECOND_FACTOR_SECRET)}
    )
    assert client.get("/secretariat/signatures/").status_code == 200


def test_a_procurer_is_offered_a_second_factor_but_not_obliged(client, procurer_a):
    client.force_login(procurer_a)
    profile = client.get("/me/profile/").content.decode()
    assert "Two-step sign-in" in profile and "/accounts/2fa/" in profile
    assert client.get("/reports/").status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200


def test_the_demo_secretariat_signs_in_with_the_printed_secret(client):
    call_command("load_demo", stdout=io.StringIO())
    printed = io.StringIO()
    call_command("demo_logins", stdout=printed)
    assert DEMO_SECRETARIAT_TOTP_SECRET in printed.getvalue()
    email = "secretariat@demo.cfit.example"
    client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORDS[email]})
    code = io.StringIO()
    call_command("demo_logins", "--code", stdout=code)
    client.post("/accounts/2fa/authenticate/", {"code": code.getvalue().strip()})
    assert client.get("/secretariat/signatures/").status_code == 200
