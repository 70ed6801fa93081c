"""Who acts in the tests: personas built once per test, shared by every app.

- procurer_a / procurer_b: administrators of two procuring signatories (A and B)
- coordinator: administrator of a coordinating signatory
- secretariat: staff of the Strategic Buyer Group (may approve signatures), with the
  second factor (an authenticator app) that the secretariat must have
- outsider: a signed-in person who belongs to no organisation
"""

import os

import pytest

from cfit.accounts.tests.factories import SecretariatFactory, UserFactory
from cfit.organisations.models import SignatureRole
from cfit.organisations.tests.factories import member_of, signatory

# Tests of the backends past one machine need a server each; CI turns them on.
OPT_IN = {
    "broker": ("CFIT_TEST_BROKER", "Redis on 127.0.0.1:6379 and RQ workers"),
    "s3": ("CFIT_TEST_S3", "an S3-compatible server (moto) on loopback"),
}


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` run only on PostgreSQL: SQLite has no row locks to race
    and no stemming text search. Tests marked `broker` or `s3` run only when their
    environment variable is set (CI sets both)."""
    from django.conf import settings

    for marker, (variable, needs) in OPT_IN.items():
        if os.environ.get(variable) == "1":
            continue
        skip = pytest.mark.skip(reason=f"needs {needs}: set {variable}=1")
        for item in items:
            if item.get_closest_marker(marker) is not None:
                item.add_marker(skip)
    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    kept = [item for item in items if item.get_closest_marker("postgresql") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(
            items=[item for item in items if item not in kept]
        )
        items[:] = kept


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request to /nl/… leaves Dutch active in the test's thread (the test client does
    not reset it): every test starts, and leaves, in the site's language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_pact_sums_from_another_test():
    """The dashboards keep the Pact's sums in the process (cfit.dashboards.partials),
    checked against the reports; a rolled-back test can leave reports that look alike."""
    from cfit.dashboards import partials

    partials.forget()
    yield
    partials.forget()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test databases, plus a copy of what migrations put in them.

    The copy is taken in the context that created the databases; browser tests run in
    other contexts (Playwright's greenlets) and restore from it after a flush.
    """
    from django.core.management import call_command
    from django.db import connection

    _serialized_contents["default"] = getattr(
        connection, "_test_serialized_contents", None
    )
    # With no CACHE_URL the cache is a database table, which migrations do not make.
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


_serialized_contents: dict[str, str | None] = {}


@pytest.fixture
def django_db_serialized_contents(django_db_setup):
    return _serialized_contents.get("default")


@pytest.fixture
def organisation_a(db):
    return signatory(name="City of Alphen", slug="city-of-alphen", country="NL")


@pytest.fixture
def organisation_b(db):
    return signatory(name="City of Bruges", slug="city-of-bruges", country="BE")


@pytest.fixture
def coordinating_organisation(db):
    return signatory(
        role=SignatureRole.COORDINATING,
        name="Ministry of Coordination",
        slug="ministry-of-coordination",
        country="NL",
        kind="national_government",
    )


@pytest.fixture
def procurer_a(organisation_a):
    return member_of(organisation_a, email="procurer.a@example.org")


@pytest.fixture
def procurer_b(organisation_b):
    return member_of(organisation_b, email="procurer.b@example.org")


@pytest.fixture
def coordinator(coordinating_organisation):
    return member_of(coordinating_organisation, email="coordinator@example.org")


@pytest.fixture
def secretariat(db):
    # With the authenticator app the secretariat must have (SECOND_FACTOR_SECRET).
    return SecretariatFactory(email="secretariat@example.org")


@pytest.fixture
def outsider(db):
    return UserFactory(email="outsider@example.org")


@pytest.fixture
def admin_user(db, django_user_model):
    """pytest-django's superuser, with the authenticator app that staff must have."""
    from cfit.accounts.tests.factories import SECOND_FACTOR_SECRET
    from cfit.security.services import second_factor_activate

    user = django_user_model.objects.create_superuser(
        email="admin@example.org", password="Correct-horse-battery-9"
    )
    second_factor_activate(user=user, secret=SECOND_FACTOR_SECRET)
    return user


@pytest.fixture
def admin_change(admin_client, django_capture_on_commit_callbacks):
    """Change a row through its admin page as the secretariat would: the form as the
    page shows it, with `changes`, saved; the commit's callbacks run."""

    def change(url, **changes):  # type: ignore[no-untyped-def]
        form = admin_client.get(url).context["adminform"].form
        data = {
            name: form[name].value()
            for name in form.fields
            if form[name].value() is not None
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(url, {**data, **changes, "_save": "Save"})
        assert response.status_code == 302, response.context["adminform"].form.errors
        return response

    return change
