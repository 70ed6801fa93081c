"""The quick reset of the test database after tests that commit (see the root
conftest): emptied by DELETE and refilled one INSERT per table, it must leave exactly
what migrations made, many-to-many rows and `auto_now` dates included."""

import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection

from cfit.criteria.models import Criterion


def _rows(serialized: str) -> list[tuple[str, object, str]]:
    """Every row as (model, key, fields), with many-to-many lists in a fixed order."""
    rows = []
    for row in json.loads(serialized):
        fields = {
            name: sorted(value) if isinstance(value, list) else value
            for name, value in row["fields"].items()
        }
        rows.append((row["model"], row["pk"], json.dumps(fields, sort_keys=True)))
    return sorted(rows, key=repr)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_emptying_and_refilling_gives_back_what_migrations_made(
    django_db_serialized_contents,
):
    assert django_db_serialized_contents
    made = _rows(django_db_serialized_contents)
    assert any(fields != "{}" and "[" in fields for _, _, fields in made), (
        "the copy has many-to-many rows to put back"
    )
    # A test that commits changes and adds rows.
    Permission.objects.filter(codename__startswith="view_").delete()
    Criterion.objects.update(title="Changed by a test")
    Group.objects.create(name="Left by a test").permissions.set(
        Permission.objects.all()[:3]
    )

    # As Django's TransactionTestCase flushes: the sequences go on from where they were,
    # so later tests never reuse a number the restored rows hold.
    call_command(
        "flush",
        verbosity=0,
        interactive=False,
        reset_sequences=False,
        inhibit_post_migrate=True,
    )
    assert not Criterion.objects.exists()
    assert not Permission.objects.exists()
    assert not Group.objects.exists()
    connection.creation.deserialize_db_from_string(django_db_serialized_contents)

    assert _rows(connection.creation.serialize_db_to_string()) == made
