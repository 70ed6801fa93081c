"""The backup round trip: demo data out, into an empty database, table by table equal.

Runs on whichever database the suite runs on (SQLite, or PostgreSQL in CI). The
restore runs as `manage.py restore` in a child process pointed at a new, empty database,
as an operator would run it on a fresh machine.
"""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


def _rows(cursor, table: str) -> list[tuple]:
    cursor.execute(f'SELECT * FROM "{table}"')
    return sorted(cursor.fetchall(), key=repr)


def _raw_postgresql(*, dbname: str):
    import psycopg

    db = connection.settings_dict
    return psycopg.connect(
        dbname=dbname,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"],
        port=db["PORT"],
    )


def _raw_source_cursor():
    """The suite's database read without Django's conversions, like the restored one."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return sqlite3.connect(name, uri=name.startswith("file:")).cursor()
    return _raw_postgresql(dbname=name).cursor()


class _EmptyDatabase:
    """A new empty database of the suite's kind, with a way to read it raw."""

    def __init__(self, tmp_path: Path):
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.path = tmp_path / "restored.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            db = connection.settings_dict
            self.name = f"{db['NAME']}_restored"
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{self.name}"')
            auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
            self.url = f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{self.name}"

    def _admin(self, sql: str) -> None:
        import psycopg

        db = connection.settings_dict
        with psycopg.connect(
            dbname="postgres",
            user=db["USER"],
            password=db["PASSWORD"] or None,
            host=db["HOST"],
            port=db["PORT"],
            autocommit=True,
        ) as admin:
            admin.execute(sql)

    def cursor(self):
        if self.vendor == "sqlite":
            return sqlite3.connect(self.path).cursor()
        return _raw_postgresql(dbname=self.name).cursor()

    def drop(self) -> None:
        if self.vendor == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def empty_database(tmp_path):
    database = _EmptyDatabase(tmp_path)
    yield database
    database.drop()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _restore(archive: Path, database: _EmptyDatabase, media_root: Path):
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database.url,
            "MEDIA_ROOT": str(media_root),
            "DEBUG": "1",
        },
        capture_output=True,
        text=True,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_demo_data_comes_back_from_a_backup_table_by_table(
    tmp_path, media, empty_database
):
    call_command("load_demo", stdout=io.StringIO())
    default_storage.save("imports/2025/purchases.csv", ContentFile(b"Product group\n"))
    archive = tmp_path / "cfit-backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    restored_media = tmp_path / "restored-media"
    result = _restore(archive, empty_database, restored_media)

    assert result.returncode == 0, result.stderr
    assert "every count and checksum matches the manifest" in result.stdout
    tables = connection.introspection.table_names()
    assert "monitoring_purchaseline" in tables
    restored, source = empty_database.cursor(), _raw_source_cursor()
    for table in tables:
        assert _rows(restored, table) == _rows(source, table), table
    restored.connection.close()
    source.connection.close()
    copy = restored_media / "imports/2025/purchases.csv"
    assert copy.read_bytes() == b"Product group\n"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_refuses_a_database_that_is_not_empty(tmp_path, media):
    archive = tmp_path / "cfit-backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_that_does_not_match_its_manifest_fails_loudly(
    tmp_path, media, empty_database
):
    archive = tmp_path / "cfit-backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            if member.name == "manifest.json":
                manifest = json.load(data)
                manifest["tables"]["organisations_organisation"]["rows"] += 1
                body = json.dumps(manifest).encode()
                member.size = len(body)
                data = io.BytesIO(body)
            target.addfile(member, data)

    result = _restore(tampered, empty_database, tmp_path / "restored-media")

    assert result.returncode != 0
    assert "does not match the manifest" in result.stderr
    assert "organisations_organisation has" in result.stderr


def test_a_backup_never_overwrites_an_archive(tmp_path):
    existing = tmp_path / "cfit.tar.gz"
    existing.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(existing))
    assert existing.read_bytes() == b"keep me"
