"""Backups that restore: the database, the media and a manifest, in one directory.

A backup directory holds:

- ``database.sqlite3`` (the embedded default, copied with SQLite's online backup API) or
  ``database.pgdump`` (PostgreSQL, ``pg_dump --format=custom``);
- ``media.tar``: every file under MEDIA_ROOT (not when media live in an S3 bucket: the bucket's
  versioning and replication are its backup);
- ``manifest.json``: when, from which code (git commit, versions), the migrations applied, the
  rows of every table with a checksum of their content, and the checksum of each file.

Both are taken while the site runs. The counts and checksums are read from the very snapshot
that is saved (the copied SQLite file; on PostgreSQL one exported snapshot shared by this process
and pg_dump), so the manifest describes the backup exactly even while members keep writing.
Restoring checks the restored database against the manifest, applies the migrations the code
has and the backup lacks, and brings every search index in line with the restored data.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PGDUMP_FILE = "database.pgdump"
MEDIA_FILE = "media.tar"

# What the manifest names for people; every table is counted and checksummed as well.
SUMMARY = {
    "reports": "experiences.ExperiencePage",
    "consultations": "contributions.ConsultationPage",
    "pages": "wagtailcore.Page",
    "revisions": "wagtailcore.Revision",
    "contributions": "contributions.Contribution",
    "replies": "contributions.Reply",
    "supports": "contributions.Support",
    "subscriptions": "subscriptions.Subscription",
    "deliveries": "subscriptions.DigestDelivery",
    "exchanges": "exchanges.ExchangeRequest",
    "partnerships": "partnerships.Partnership",
    "documents": "wagtaildocs.Document",
    "images": "wagtailimages.Image",
    "users": settings.AUTH_USER_MODEL,
}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Manifest:
    created_at: str
    engine: str
    database_file: str
    code: dict[str, Any]
    migrations: list[str]
    summary: dict[str, int]
    tables: dict[str, dict[str, Any]]
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    media: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    format: int = FORMAT

    def write(self, directory: Path) -> None:
        (directory / MANIFEST).write_text(json.dumps(self.__dict__, indent=2, sort_keys=True) + "\n")

    @classmethod
    def read(cls, directory: Path) -> "Manifest":
        path = directory / MANIFEST
        if not path.is_file():
            raise BackupError(f"{directory} holds no {MANIFEST}: not a backup made by `manage.py backup`")
        data = json.loads(path.read_text())
        if data.get("format") != FORMAT:
            raise BackupError(f"{path}: backup format {data.get('format')!r}, this code reads format {FORMAT}")
        return cls(**data)


# ------------------------------------------------------------------ what the data is ----


def _tables() -> list[tuple[str, str]]:
    """(table, primary key column) of every table the project's models own, each once."""
    seen: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        seen[meta.db_table] = str(meta.pk.column)
    return sorted(seen.items())


def _summary(tables: dict[str, dict[str, Any]]) -> dict[str, int]:
    out = {}
    for name, label in SUMMARY.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if model._meta.db_table in tables:
            out[name] = tables[model._meta.db_table]["rows"]
    return out


def _existing(cursor: Any, vendor: str) -> set[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return {row[0] for row in cursor.fetchall()}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _rows(cursor: Any, vendor: str, table: str, pk: str) -> Iterator[str]:
    """Every row of a table as text, in primary-key order (the same text for the same data)."""
    if vendor == "sqlite":
        cursor.execute(f"SELECT * FROM {_quote(table)} ORDER BY {_quote(pk)}")  # noqa: S608 - model table names
    else:
        cursor.execute(f"SELECT t::text FROM {_quote(table)} AS t ORDER BY t.{_quote(pk)}")  # noqa: S608
    while batch := cursor.fetchmany(2000):
        for row in batch:
            yield repr(row) if vendor == "sqlite" else row[0]


def describe(cursor: Any, vendor: str) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Rows and content checksum of every table, and the migrations applied, read through one
    DB-API cursor (a plain sqlite3 or psycopg one, so that both sides of a restore read alike)."""
    existing = _existing(cursor, vendor)
    tables: dict[str, dict[str, Any]] = {}
    for table, pk in _tables():
        if table not in existing:
            continue
        digest = hashlib.sha256()
        rows = 0
        for text in _rows(cursor, vendor, table, pk):
            digest.update(text.encode())
            digest.update(b"\n")
            rows += 1
        tables[table] = {"rows": rows, "sha256": digest.hexdigest()}
    migrations: list[str] = []
    if "django_migrations" in existing:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [f"{app}.{name}" for app, name in cursor.fetchall()]
    return tables, migrations


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _code() -> dict[str, Any]:
    commit = os.environ.get("HUB_GIT_COMMIT", "")
    if not commit:
        try:
            commit = subprocess.run(
                ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
                capture_output=True, text=True, timeout=10, check=True,
            ).stdout.strip()  # fmt: skip
        except (OSError, subprocess.SubprocessError):
            commit = "unknown"
    versions = {}
    for package in ("django", "wagtail", "psycopg"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            pass
    return {"git_commit": commit, "versions": versions}


# ------------------------------------------------------------------ the database ----


def _vendor(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"backups know SQLite and PostgreSQL, not {vendor}")
    return vendor


def _sqlite_path(alias: str = "default") -> Path:
    name = str(connections[alias].settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("the database is in memory: nothing on disk to back up or restore into")
    return Path(name)


def _pg_params(alias: str = "default") -> tuple[list[str], dict[str, str], str]:
    """pg_dump/pg_restore connection arguments, their environment (the password), and a conninfo."""
    sd = connections[alias].settings_dict
    args = ["--dbname", sd["NAME"]]
    if sd.get("HOST"):
        args += ["--host", str(sd["HOST"])]
    if sd.get("PORT"):
        args += ["--port", str(sd["PORT"])]
    if sd.get("USER"):
        args += ["--username", sd["USER"]]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if sd.get("PASSWORD"):
        env["PGPASSWORD"] = sd["PASSWORD"]
    from psycopg.conninfo import make_conninfo

    conninfo = make_conninfo(
        dbname=sd["NAME"], host=sd.get("HOST") or None, port=sd.get("PORT") or None,
        user=sd.get("USER") or None, password=sd.get("PASSWORD") or None,
    )  # fmt: skip
    return args, env, conninfo


@contextmanager
def _pg_connection(conninfo: str) -> Iterator[Any]:
    import psycopg

    with psycopg.connect(conninfo, autocommit=False) as conn:
        with conn.cursor() as cursor:
            # The same text for the same row on both sides of a restore.
            cursor.execute("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 3")
        conn.commit()
        yield conn


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return path


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


def _backup_sqlite(directory: Path) -> tuple[dict, list[str]]:
    path = _sqlite_path()
    if not path.is_file():  # connecting would create an empty database in its place
        raise BackupError(f"{path} does not exist: nothing to back up (HUB_VAR_DIR, DATABASE_URL?)")
    source = sqlite3.connect(path, timeout=60)
    target_path = directory / SQLITE_FILE
    target = sqlite3.connect(target_path)
    try:
        # One step (pages=-1): the whole file is copied under one read lock, so the copy is one
        # consistent state; writers wait for it (the site's busy timeout) rather than fail.
        source.backup(target)
        # The site's file keeps a write-ahead log (settings: journal_mode=WAL), and the copy
        # inherits the mode: make it one self-contained file again, with no -wal or -shm beside it.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        source.close()
        target.close()
    copy = sqlite3.connect(target_path)
    try:
        return describe(copy.cursor(), "sqlite")
    finally:
        copy.close()


def _backup_postgresql(directory: Path) -> tuple[dict, list[str]]:
    args, env, conninfo = _pg_params()
    pg_dump = _tool("pg_dump")
    with _pg_connection(conninfo) as conn:
        with conn.cursor() as cursor:
            # One snapshot for the manifest and for pg_dump: the counts are those of the dump.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables, migrations = describe(cursor, "postgresql")
            _run(
                [pg_dump, *args, "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot}", "--file", str(directory / PGDUMP_FILE)],
                env,
            )  # fmt: skip
        conn.rollback()
    return tables, migrations


# ------------------------------------------------------------------ the media ----


def _media_on_s3() -> bool:
    return bool(getattr(settings, "MEDIA_S3_BUCKET", ""))


def _media_files(root: Path) -> Iterable[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _backup_media(directory: Path) -> dict[str, Any]:
    if _media_on_s3():
        return {"storage": "s3", "bucket": settings.MEDIA_S3_BUCKET, "in_backup": False}
    root = Path(settings.MEDIA_ROOT)
    files = 0
    size = 0
    with tarfile.open(directory / MEDIA_FILE, "w") as tar:
        if root.is_dir():
            for path in _media_files(root):
                try:
                    tar.add(path, arcname=str(path.relative_to(root)), recursive=False)
                except FileNotFoundError:  # deleted while we read: no longer referenced
                    continue
                files += 1
                size += path.stat().st_size if path.exists() else 0
    return {"storage": "filesystem", "in_backup": True, "files": files, "bytes": size}


# ------------------------------------------------------------------ backup ----


def _prepare(directory: Path) -> None:
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: give a new directory for each backup")
    directory.mkdir(parents=True, exist_ok=True)


def take_backup(directory: Path) -> Manifest:
    """Back up the database, then the media, into an empty directory, and write the manifest.

    The database first: every file a snapshot's row points at was written before the row was
    committed, so the media copied afterwards hold it."""
    directory = Path(directory)
    _prepare(directory)
    started = time.monotonic()
    created_at = datetime.now(UTC).isoformat(timespec="seconds")
    engine = _vendor()
    try:
        if engine == "sqlite":
            tables, migrations = _backup_sqlite(directory)
            database_file = SQLITE_FILE
        else:
            tables, migrations = _backup_postgresql(directory)
            database_file = PGDUMP_FILE
        media = _backup_media(directory)
    except BaseException:
        # No half backup left behind to be mistaken for one (it has no manifest), and the same
        # directory can be given again.
        for path in directory.iterdir():
            path.unlink()
        raise
    files = {
        path.name: {"bytes": path.stat().st_size, "sha256": _sha256(path)}
        for path in sorted(directory.iterdir())
        if path.is_file()
    }
    manifest = Manifest(
        created_at=created_at,
        engine=engine,
        database_file=database_file,
        code=_code(),
        migrations=migrations,
        summary=_summary(tables),
        tables=tables,
        files=files,
        media=media,
        seconds=round(time.monotonic() - started, 2),
    )
    manifest.write(directory)
    return manifest


# ------------------------------------------------------------------ restore ----


def _check_files(directory: Path, manifest: Manifest) -> None:
    for name, expected in manifest.files.items():
        path = directory / name
        if not path.is_file():
            raise BackupError(f"{path} is missing from the backup")
        if _sha256(path) != expected["sha256"]:
            raise BackupError(f"{path} does not match its checksum in the manifest: the backup is damaged")


def _check_migrations(manifest: Manifest) -> list[str]:
    """Migrations the code has and the backup lacks (applied after the restore); refuse a backup
    made by newer code, whose tables this code does not know."""
    from django.db.migrations.loader import MigrationLoader

    known = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    unknown = sorted(set(manifest.migrations) - known)
    if unknown:
        raise BackupError(
            f"the backup was made by newer code (migrations unknown here: {', '.join(unknown[:5])}"
            f"{'…' if len(unknown) > 5 else ''}); restore it with the code of commit {manifest.code.get('git_commit')}"
        )
    return sorted(known - set(manifest.migrations))


def _restore_sqlite(directory: Path, manifest: Manifest, force: bool) -> tuple[dict, list[str]]:
    target_path = _sqlite_path()
    connections.close_all()
    if target_path.exists() and target_path.stat().st_size:
        with sqlite3.connect(target_path) as existing:
            if _existing(existing.cursor(), "sqlite") and not force:
                raise BackupError(f"{target_path} already holds tables: restore into an empty place, or --force")
    target_path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(directory / manifest.database_file)
    target = sqlite3.connect(target_path, timeout=60)
    try:
        source.backup(target)  # replaces the whole content, under SQLite's own locks
    finally:
        source.close()
        target.close()
    with sqlite3.connect(target_path) as restored:
        return describe(restored.cursor(), "sqlite")


def _restore_postgresql(directory: Path, manifest: Manifest, force: bool) -> tuple[dict, list[str]]:
    args, env, conninfo = _pg_params()
    connections.close_all()
    with _pg_connection(conninfo) as conn, conn.cursor() as cursor:
        existing = _existing(cursor, "postgresql")
    if existing and not force:
        raise BackupError(f"database {args[1]} already holds tables: restore into an empty database, or --force")
    command = [_tool("pg_restore"), *args, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if force:
        command += ["--clean", "--if-exists"]
    _run([*command, str(directory / manifest.database_file)], env)
    with _pg_connection(conninfo) as conn, conn.cursor() as cursor:
        found = describe(cursor, "postgresql")
        conn.rollback()
    return found


def _restore_media(directory: Path, manifest: Manifest, force: bool) -> int:
    if not manifest.media.get("in_backup"):
        return 0
    if _media_on_s3():
        raise BackupError("this backup holds media files but the site keeps media on S3: unset MEDIA_S3_BUCKET")
    root = Path(settings.MEDIA_ROOT)
    if root.is_dir() and any(root.iterdir()) and not force:
        raise BackupError(f"{root} is not empty: restore into an empty media directory, or --force")
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(directory / MEDIA_FILE) as tar:
        members = tar.getmembers()
        tar.extractall(root, filter="data")  # no absolute paths, no "..", no devices
    return len(members)


def _compare(manifest: Manifest, tables: dict[str, dict[str, Any]], migrations: list[str]) -> None:
    differ = [
        f"{table}: {manifest.tables[table]['rows']} rows in the backup, {tables.get(table, {}).get('rows')} restored"
        for table in manifest.tables
        if tables.get(table) != manifest.tables[table]
    ]
    if migrations != manifest.migrations:
        differ.append("the migrations applied differ from the backup's")
    if differ:
        raise BackupError("the restored database differs from the backup: " + "; ".join(differ[:10]))


def _reindex(progress: bool) -> dict[str, str]:
    """Every search backend in line with the restored data: an engine's index is rebuilt (it may
    hold documents of the data the restore replaced); the database backend's lives in the
    restored tables and is reconciled."""
    from modelsearch.backends import get_search_backend

    from search.indexing import backend_names, is_engine, rebuild, reconcile

    done = {}
    for name in backend_names():
        if is_engine(get_search_backend(name)):
            done[name] = f"rebuilt, {rebuild(name, progress=progress)} documents"
        else:
            counts = reconcile(name, progress=progress)
            done[name] = f"reconciled, {counts['added']} added, {counts['deleted']} removed"
    return done


@dataclass
class Restored:
    manifest: Manifest
    media_files: int
    migrated: list[str]
    search: dict[str, str]
    seconds: float


def restore_backup(directory: Path, *, force: bool = False, progress: bool = False) -> Restored:
    """Restore a backup into the configured database and MEDIA_ROOT, which must be empty unless
    ``force``; check it against the manifest, migrate, and reindex search. The site should be
    stopped (or in maintenance) meanwhile: a restore replaces what it serves."""
    from django.core.cache import cache, caches
    from django.core.management import call_command

    directory = Path(directory)
    started = time.monotonic()
    manifest = Manifest.read(directory)
    engine = _vendor()
    if manifest.engine != engine:
        raise BackupError(f"this is a {manifest.engine} backup and the site runs on {engine}")
    _check_files(directory, manifest)
    missing = _check_migrations(manifest)
    if engine == "sqlite":
        tables, migrations = _restore_sqlite(directory, manifest, force)
    else:
        tables, migrations = _restore_postgresql(directory, manifest, force)
    _compare(manifest, tables, migrations)
    media_files = _restore_media(directory, manifest, force)
    if missing:
        call_command("migrate", interactive=False, verbosity=0)
    # Cached pages, site roots and rate limits belong to the data the restore replaced; the
    # generations start again from the clock, so nothing kept before is taken for current.
    cache.clear()
    caches["generations"].clear()
    search = _reindex(progress)
    return Restored(manifest, media_files, missing, search, round(time.monotonic() - started, 2))
