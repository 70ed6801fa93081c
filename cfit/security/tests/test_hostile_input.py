"""Input the database cannot hold never gives a 500: walked over every URL pattern and
every form the pages show, as a visitor, a procurer and the secretariat."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from cfit.accounts.models import User

from .urlwalk import (
    HUGE,
    QUERY_NAMES,
    all_routes,
    forms_of,
    hostile_path,
    real_paths,
    samples_from_database,
)

pytestmark = pytest.mark.django_db

LONG = "x" * 5000
NUMBERS = {"year", "page", "download"}
NUL_QUERY = "&".join(f"{name}=%00" for name in QUERY_NAMES)
# Numbers beyond any integer column where a number is read, over-long text elsewhere.
WIDE_QUERY = "&".join(
    f"{name}={HUGE if name in NUMBERS else LONG}" for name in QUERY_NAMES
)
# Posting to these would end the session being walked or remove its second factor.
NOT_POSTED = ("/accounts/logout/", "/accounts/2fa/totp/deactivate/")
ADMIN = "/admin/"
PEOPLE = ["visitor", "procurer@demo.cfit.example", "secretariat@demo.cfit.example"]


class Walker:
    """Asks for pages as one person and keeps every answer that was a 500."""

    def __init__(self, user):
        self.user = user
        self.client = Client(raise_request_exception=False)
        self.failures = []
        self.sign_in()

    def sign_in(self):
        if self.user is not None:
            self.client.force_login(self.user)

    def get(self, url):
        response = self.client.get(url)
        if response.status_code >= 500:
            self.failures.append(f"GET {url}")
        return response

    def post(self, url, data):
        response = self.client.post(url, data)
        if response.status_code >= 500:
            self.failures.append(f"POST {url} {sorted(data)[:6]}")
        self.sign_in()  # a form may have changed the password or the session


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module's walks (about ten seconds each time):
    every test runs inside this transaction and rolls back to it; the module's end rolls
    the demo data back too."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield
        transaction.set_rollback(True)


def _person(name):
    return None if name == "visitor" else User.objects.get(email=name)


def _html(response):
    kind = response.get("Content-Type", "")
    return response.content.decode() if kind.startswith("text/html") else ""


@pytest.mark.walk
@pytest.mark.parametrize("person", PEOPLE)
def test_no_url_pattern_answers_500_to_a_nul_or_a_huge_number_in_its_path(
    demo_data, person
):
    walker = Walker(_person(person))
    urls = [hostile_path(route) for route in all_routes()]
    assert len(urls) > 300  # the project's patterns and the administration's
    for url in urls:
        walker.get(url)
    assert walker.failures == []


@pytest.mark.walk
@pytest.mark.parametrize("person", PEOPLE)
def test_no_page_or_form_answers_500_to_input_the_database_cannot_hold(
    demo_data, person
):
    user = _person(person)
    walker = Walker(user)
    samples = samples_from_database(user)
    pages = [url for route in all_routes() for url in real_paths(route, samples)]
    forms = {}
    for page in pages:
        walker.get(f"{page}?{WIDE_QUERY}")
        if page.startswith(ADMIN):
            continue  # Django's own forms; a NUL is refused before any view anyway
        walker.get(f"{page}?{NUL_QUERY}")
        for form in forms_of(_html(walker.get(page))):
            target = form["action"] or page
            forms.setdefault((form["method"], target), set()).update(form["fields"])
    assert len(forms) >= 10  # sign-in, sign-up, filters, and more when signed in
    for (method, target), fields in forms.items():
        if target.split("?")[0].endswith(NOT_POSTED):
            continue
        for value in ("\x00", HUGE, LONG):  # refused, then as numbers, then as text
            data = dict.fromkeys(fields or ["q"], value)
            if method == "post":
                walker.post(target, data)
            else:
                walker.get(f"{target}?{'&'.join(f'{k}={value}' for k in data)}")
    assert walker.failures == []


def _admin_pages(model, model_admin, request):
    """The changelist, the add form and the first object's change form of a model."""
    info = (model._meta.app_label, model._meta.model_name)
    changelist = reverse("admin:{}_{}_changelist".format(*info))
    forms = []
    if model_admin.has_add_permission(request):
        forms.append(reverse("admin:{}_{}_add".format(*info)))
    first = model._default_manager.order_by("pk").first()
    if first is not None and model_admin.has_change_permission(request, first):
        forms.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    return changelist, forms


def _one_row(fields):
    """Each inline's management form asking for one new row: the hostile value then
    fills that row's fields. A huge row count only makes Django build its own cap of
    1,000 empty forms per inline, which is Django's limit to test, not ours."""
    counts = {}
    for name in fields:
        if name.endswith("-TOTAL_FORMS"):
            counts[name] = "1"
        elif name.endswith(("-INITIAL_FORMS", "-MIN_NUM_FORMS")):
            counts[name] = "0"
        elif name.endswith("-MAX_NUM_FORMS"):
            counts[name] = "1000"
    return counts


@pytest.mark.walk
def test_no_admin_form_or_search_answers_500_to_input_the_database_cannot_hold(
    demo_data, admin_user
):
    """Every add and change form of the administration, and every changelist search,
    with a NUL, a huge number and over-long text: one request per form and value."""
    walker = Walker(admin_user)
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    posted = 0
    for model, model_admin in admin.site._registry.items():
        changelist, pages = _admin_pages(model, model_admin, request)
        for value in ("\x00", HUGE, LONG):
            walker.get(f"{changelist}?q={value}")
        for page in pages:
            found = [
                f for f in forms_of(_html(walker.get(page))) if f["method"] == "post"
            ]
            if not found:
                continue
            fields = max(found, key=lambda form: len(form["fields"]))["fields"]
            for value in ("\x00", HUGE, LONG):
                walker.post(page, {**dict.fromkeys(fields, value), **_one_row(fields)})
                posted += 1
    assert posted > 60  # every model the administration offers, not a few
    assert walker.failures == []


def test_the_pages_reported_with_a_nul_byte_now_say_why_they_refuse_it(client):
    for url in (
        "/impact/?factorset=%00",
        "/impact/pact/?factorset=%00",
        "/criteria/%00/",
        "/organisations/join/?q=%00",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "cannot store" in response.content.decode()
