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


@pytest.fixture(scope="session", autouse=True)
def _quick_reset_after_committing_tests():
    """Tests that commit (browser tests, race tests) empty every table afterwards and put
    back what migrations created. Django does both the slow way for our size:

    - PostgreSQL's TRUNCATE of our 107 tables makes new files for each table and index:
      3.3 s per test on CI's machine, against 0.1 s for a DELETE of the few rows a test
      leaves. Foreign keys are checked at the commit, so the DELETEs' order does not
      matter. A flush that resets sequences still truncates (RESTART IDENTITY).
    - Putting back the 950 rows saved one by one (an UPDATE, then an INSERT each) took
      about 2 s per test; one raw INSERT per table takes a tenth of it. The keys are
      checked afterwards, as Django does.
    """
    from django.db.backends.base.creation import BaseDatabaseCreation
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush
    save_one_by_one = BaseDatabaseCreation.deserialize_db_from_string

    def delete(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(
                self,
                style,
                tables,
                reset_sequences=reset_sequences,
                allow_cascade=allow_cascade,
            )
        return [f"DELETE FROM {self.quote_name(table)};" for table in tables]

    DatabaseOperations.sql_flush = delete
    BaseDatabaseCreation.deserialize_db_from_string = _insert_per_table
    yield
    DatabaseOperations.sql_flush = truncate
    BaseDatabaseCreation.deserialize_db_from_string = save_one_by_one


def _insert_per_table(creation, data):
    """What deserialize_db_from_string does, with one INSERT per table (in batches the
    database accepts) and per many-to-many table. Rows are written raw, as Django's own
    loading saves them: an `auto_now` date keeps the value in the copy. A model with
    parents (multi-table inheritance) is saved row by row, as Django does."""
    from django.core import serializers
    from django.db.transaction import atomic

    connection = creation.connection
    alias = connection.alias
    quote = connection.ops.quote_name
    by_model: dict[type, list] = {}
    for row in serializers.deserialize("json", data, using=alias):
        by_model.setdefault(type(row.object), []).append(row)
    flat = [model for model in by_model if not model._meta.parents]
    with atomic(using=alias), connection.constraint_checks_disabled():
        # The first test finds the rows migrations made: they are written again.
        with connection.cursor() as cursor:
            for model in flat:
                for table in _tables_of(model):
                    cursor.execute(f"DELETE FROM {quote(table)}")
        for model, rows in by_model.items():
            if model not in flat:
                for row in rows:
                    row.save()
                continue
            objects = [row.object for row in rows]
            fields = model._meta.concrete_fields
            manager = model._base_manager.using(alias)
            size = connection.ops.bulk_batch_size(fields, objects) or len(objects)
            for start in range(0, len(objects), size):
                manager._insert(objects[start : start + size], fields=fields, raw=True)
            for name in {name for row in rows for name in (row.m2m_data or {})}:
                field = model._meta.get_field(name)
                through = field.remote_field.through
                through._base_manager.using(alias).bulk_create(
                    through(
                        **{
                            field.m2m_field_name() + "_id": row.object.pk,
                            field.m2m_reverse_field_name() + "_id": other,
                        }
                    )
                    for row in rows
                    for other in row.m2m_data.get(name, ())
                )
        connection.check_constraints(
            table_names=[model._meta.db_table for model in by_model]
        )


def _tables_of(model) -> list[str]:
    """A model's table and the tables of its own many-to-many fields."""
    return [model._meta.db_table] + [
        field.remote_field.through._meta.db_table
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]


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
