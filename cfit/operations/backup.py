"""One archive with everything needed to bring cfit back: the database, the uploaded
files, and a manifest of what they held.

The archive (a gzipped tar) holds:
- `database.sqlite3` (SQLite's online backup API: a consistent copy while the site runs)
  or `database.pgdump` (pg_dump's custom format, from one exported snapshot);
- `media/…`: the uploaded files, read through the file storage (the media folder or an
  S3-compatible bucket, MEDIA_STORAGE);
- `manifest.json`: per table its row count and a SHA-256 over its rows in primary-key
  order, per uploaded file its size and SHA-256. On PostgreSQL the manifest is read
  in the very snapshot pg_dump copies, so it describes the copy exactly.

`restore_archive` restores into an empty database of the same kind and then checks
every count and checksum against the manifest.
"""

import hashlib
import json
import os
import posixpath
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from psycopg.conninfo import make_conninfo

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA_DIR = "media"
_FETCH = 2000


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass(frozen=True)
class Restored:
    tables: int
    rows: int
    files: int


# ------------------------------------------------------------------ table checksums


def _value(value: Any) -> Any:
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    return value


def _checksum(rows: Iterable[tuple[Any, ...]]) -> tuple[int, str]:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        line = json.dumps([_value(v) for v in row], default=str, sort_keys=True)
        digest.update(line.encode())
        digest.update(b"\n")
        count += 1
    return count, digest.hexdigest()


def _fetch_all(cursor: Any) -> Iterable[tuple[Any, ...]]:
    while batch := cursor.fetchmany(_FETCH):
        yield from batch


def _sqlite_tables(db: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    tables = {}
    for name in names:
        info = db.execute(f'PRAGMA table_info("{name}")').fetchall()
        keys = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
        order = ", ".join(f'"{c}"' for c in (keys or [row[1] for row in info]))
        cursor = db.execute(f'SELECT * FROM "{name}" ORDER BY {order}')
        rows, sha = _checksum(_fetch_all(cursor))
        tables[name] = {"rows": rows, "sha256": sha}
    return tables


_PG_TABLES = """
    SELECT c.relname,
           ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY AS k(n, o)
                 JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.n
                 ORDER BY k.o)
      FROM pg_class c
      JOIN pg_namespace s ON s.oid = c.relnamespace
      LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
     WHERE s.nspname = current_schema() AND c.relkind IN ('r', 'p')
     ORDER BY c.relname
"""


def _pg_tables(db: Any) -> dict[str, dict[str, Any]]:
    with db.cursor() as cursor:
        cursor.execute(_PG_TABLES)
        listed = cursor.fetchall()
    tables: dict[str, dict[str, Any]] = {}
    for name, keys in listed:
        order = ", ".join(f'"{c}"' for c in keys) if keys else "1"
        # A server-side cursor: a million lines never sit in memory at once.
        with db.cursor(name=f"manifest_{len(tables)}") as cursor:
            cursor.execute(f'SELECT * FROM "{name}" ORDER BY {order}')
            rows, sha = _checksum(_fetch_all(cursor))
        tables[name] = {"rows": rows, "sha256": sha}
    return tables


# ------------------------------------------------------------------ PostgreSQL


def _pg_params() -> dict[str, str]:
    db = connection.settings_dict
    return {
        "dbname": db["NAME"],
        "user": db.get("USER") or "",
        "password": db.get("PASSWORD") or "",
        "host": db.get("HOST") or "",
        "port": str(db.get("PORT") or ""),
    }


def _pg_connect() -> Any:
    return psycopg.connect(
        make_conninfo(**{k: v for k, v in _pg_params().items() if v})
    )


def _pg_tool(tool: str, *args: str) -> None:
    params = _pg_params()
    env = {**os.environ, "PGPASSWORD": params["password"]}
    command = [tool, "--no-password"]
    for flag, key in (("-h", "host"), ("-p", "port"), ("-U", "user")):
        if params[key]:
            command += [flag, params[key]]
    try:
        subprocess.run(
            [*command, *args], env=env, check=True, capture_output=True, text=True
        )
    except FileNotFoundError:
        raise BackupError(
            f"{tool} is not installed (it comes with the PostgreSQL client tools)."
        ) from None
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{tool} failed: {error.stderr.strip()}") from None


# ------------------------------------------------------------------ media


def _stored_names(folder: str = "") -> Iterator[str]:
    """Every uploaded file's name, through the storage (a folder or an S3 bucket)."""
    try:
        folders, names = default_storage.listdir(folder)
    except FileNotFoundError:  # nothing uploaded yet: the media folder does not exist
        return
    for name in names:
        yield posixpath.join(folder, name)
    for sub in folders:
        yield from _stored_names(posixpath.join(folder, sub))


def _media_files(copy_to: Path | None = None) -> dict[str, dict[str, Any]]:
    """Size and SHA-256 of every uploaded file; with `copy_to`, a copy of each there.

    The copy is made from the very bytes that are hashed, so the archive holds what
    its manifest describes even while members upload.
    """
    files: dict[str, dict[str, Any]] = {}
    for name in sorted(_stored_names()):
        digest = hashlib.sha256()
        size = 0
        target = None
        if copy_to is not None:
            (copy_to / name).parent.mkdir(parents=True, exist_ok=True)
            target = (copy_to / name).open("wb")
        with default_storage.open(name, "rb") as source:
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
                if target is not None:
                    target.write(chunk)
        if target is not None:
            target.close()
        files[name] = {"bytes": size, "sha256": digest.hexdigest()}
    return files


# ------------------------------------------------------------------ backup


def write_backup(out: Path) -> dict[str, Any]:
    """Write the archive to `out` (which must not exist); returns its manifest."""
    if out.exists():
        raise BackupError(f"{out} exists already; choose a new name.")
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"cannot back up a {vendor} database.")
    with tempfile.TemporaryDirectory(prefix="cfit-backup-") as folder:
        work = Path(folder)
        if vendor == "sqlite":
            database_file = SQLITE_FILE
            tables = _backup_sqlite(work / SQLITE_FILE)
        else:
            database_file = PG_FILE
            tables = _backup_postgresql(work / PG_FILE)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "vendor": vendor,
            "database_file": database_file,
            "tables": tables,
            "media": _media_files(copy_to=work / MEDIA_DIR),
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w:gz", compresslevel=1) as archive:
            archive.add(work / MANIFEST, MANIFEST)
            archive.add(work / database_file, database_file)
            for name in manifest["media"]:
                archive.add(work / MEDIA_DIR / name, f"{MEDIA_DIR}/{name}")
        # Only a complete archive ever carries the name asked for.
        partial.rename(out)
    return manifest


def _backup_sqlite(target: Path) -> dict[str, dict[str, Any]]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        return _sqlite_tables(copy)
    finally:
        copy.close()


def _backup_postgresql(target: Path) -> dict[str, dict[str, Any]]:
    with _pg_connect() as db:
        db.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with db.transaction():
            with db.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            _pg_tool(
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={target}",
                _pg_params()["dbname"],
            )
            return _pg_tables(db)


# ------------------------------------------------------------------ restore


def read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile(MANIFEST)
    except KeyError:
        member = None
    if member is None:
        raise BackupError("this archive has no manifest: it is not a cfit backup.")
    manifest = json.load(member)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"this archive has format {manifest.get('format')!r}.")
    return manifest


def restore_archive(path: Path) -> Restored:
    """Restore the archive into the (empty) database and media folder, then verify."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    with tarfile.open(path, "r:*") as archive:
        manifest = read_manifest(archive)
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                f"this archive holds a {manifest['vendor']} database; "
                f"DATABASE_URL points to {connection.vendor}."
            )
        existing = connection.introspection.table_names()
        if existing:
            raise BackupError(
                f"the database is not empty ({len(existing)} tables): "
                "restore needs an empty database."
            )
        clashes = [n for n in manifest["media"] if default_storage.exists(n)]
        if clashes:
            raise BackupError(
                f"{len(clashes)} uploaded files exist already in the file storage, "
                f"e.g. {clashes[0]}: restore needs an empty media folder or bucket."
            )
        with tempfile.TemporaryDirectory(prefix="cfit-restore-") as folder:
            archive.extract(manifest["database_file"], folder, filter="data")
            database = Path(folder) / manifest["database_file"]
            if connection.vendor == "sqlite":
                tables = _restore_sqlite(database)
            else:
                tables = _restore_postgresql(database)
        for name in manifest["media"]:
            member = archive.getmember(f"{MEDIA_DIR}/{name}")
            source = archive.extractfile(member)
            if source is None:
                raise BackupError(f"the archive's copy of {name} is not a file.")
            with source:
                saved = default_storage.save(name, File(source, name=name))
            if saved != name:
                raise BackupError(f"the storage kept {name} as {saved}.")
    problems = _compare(manifest, tables, _media_files())
    if problems:
        raise BackupError(
            "the restored data does not match the manifest: " + "; ".join(problems)
        )
    return Restored(
        tables=len(tables),
        rows=sum(t["rows"] for t in tables.values()),
        files=len(manifest["media"]),
    )


def _restore_sqlite(database: Path) -> dict[str, dict[str, Any]]:
    connection.ensure_connection()
    source = sqlite3.connect(database)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    # Read back through a plain connection, as the backup was: Django's own converts
    # dates and decimals, which would change the checksums.
    restored = sqlite3.connect(connection.settings_dict["NAME"])
    try:
        return _sqlite_tables(restored)
    finally:
        restored.close()


def _restore_postgresql(database: Path) -> dict[str, dict[str, Any]]:
    _pg_tool(
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={_pg_params()['dbname']}",
        str(database),
    )
    with _pg_connect() as db:
        return _pg_tables(db)


def _compare(
    manifest: dict[str, Any],
    tables: dict[str, dict[str, Any]],
    media: dict[str, dict[str, Any]],
) -> list[str]:
    problems = []
    for name, expected in manifest["tables"].items():
        found = tables.get(name)
        if found is None:
            problems.append(f"table {name} is missing")
        elif found["rows"] != expected["rows"]:
            problems.append(f"{name} has {found['rows']} rows, not {expected['rows']}")
        elif found["sha256"] != expected["sha256"]:
            problems.append(f"{name} differs from the manifest's checksum")
    for name, expected in manifest["media"].items():
        if media.get(name, {}).get("sha256") != expected["sha256"]:
            problems.append(f"uploaded file {name} differs")
    return problems
