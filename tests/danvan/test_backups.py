"""danvan.backups and the backup/restore commands: a real round trip on the test engine.

SQLite: the in-memory test database is copied with the online backup API and restored into
a temporary database file. PostgreSQL (CI, DATABASE_URL): pg_dump of the test database,
restored into a database created for the test and dropped after it.
"""

import hashlib
import json
import subprocess
import uuid
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.db.utils import load_backend
from django.utils import translation

from danvan.backups import BackupError, backup_create, backup_restore, database_row_counts
from danvan.backups import database as backups_database
from danvan.models import Unit, User
from tests.factories import UnitFactory, UserFactory

TARGET = "backup_restore_target"


def is_postgresql() -> bool:
    return connections["default"].vendor == "postgresql"


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in their English msgids (the catalogue is tested apart)."""
    with translation.override("en"):
        yield


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def media_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): sha256(p) for p in root.rglob("*") if p.is_file()}


def _pg_admin(settings_dict):
    import psycopg2

    connection = psycopg2.connect(
        dbname="postgres",
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
    )
    connection.autocommit = True
    return connection


@pytest.fixture
def empty_database(transactional_db, tmp_path):
    """A database alias pointing at a new, empty database of the engine under test."""
    settings_dict = dict(connections["default"].settings_dict)
    created = None
    if is_postgresql():
        created = f"{settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
        admin = _pg_admin(settings_dict)
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{created}"')
        admin.close()
        settings_dict["NAME"] = created
    else:
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
    # A connection the handler holds but its settings do not list: the test case allows it.
    connections[TARGET] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
        settings_dict, TARGET
    )
    yield TARGET
    connections[TARGET].close()
    del connections[TARGET]
    if created:
        admin = _pg_admin(connections["default"].settings_dict)
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def media(settings):
    """Uploaded files in nested folders, one with a Vietnamese name."""
    root = Path(settings.MEDIA_ROOT)
    (root / "attachments/2026/12").mkdir(parents=True)
    (root / "attachments/2026/12/minh-chứng.pdf").write_bytes(b"%PDF-1.7 " + bytes(range(256)))
    (root / "reports").mkdir()
    (root / "reports/bao-cao.xlsx").write_bytes(b"PK\x03\x04" * 1000)
    return root


@pytest.fixture
def data(transactional_db):
    UserFactory.create_batch(3)
    UnitFactory.create_batch(2)


@pytest.fixture
def backup(transactional_db, tmp_path, media, data):
    return backup_create(target_dir=tmp_path / "backups", media_root=media)


# --- round trip --------------------------------------------------------------------------


def test_backup_restore_round_trip_matches_rows_and_media(backup, empty_database, tmp_path, media):
    restored_media = tmp_path / "restored-media"

    report = backup_restore(source=backup, using=empty_database, media_root=restored_media)

    assert report.ok, (report.table_mismatches, report.file_mismatches)
    original = database_row_counts("default")
    assert database_row_counts(empty_database) == original
    assert original[Unit._meta.db_table] == Unit.objects.count() >= 5
    assert original[User._meta.db_table] == 3
    assert media_hashes(restored_media) == media_hashes(media)
    assert len(report.files) == 2
    assert User.objects.using(empty_database).count() == 3


def test_backup_manifest_describes_the_backup(backup, media):
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))

    assert backup.name.startswith("danvan-backup-")
    assert sorted(p.name for p in backup.iterdir()) == [
        "database.dump",
        "manifest.json",
        "media.tar.gz",
    ]
    assert manifest["database"]["vendor"] == connections["default"].vendor
    assert manifest["database"]["tables"] == database_row_counts("default")
    assert manifest["media"]["files"] == media_hashes(media)
    assert manifest["archives"]["database.dump"] == sha256(backup / "database.dump")
    assert manifest["django"] and manifest["app"] and manifest["created"]


def test_backup_restore_commands_round_trip(tmp_path, media, data, empty_database, settings):
    out = run("backup", "--dir", str(tmp_path / "backups"), "--keep", "3")
    (path,) = (tmp_path / "backups").iterdir()
    settings.MEDIA_ROOT = tmp_path / "restored-media"

    restored = run("restore", str(path), "--database", empty_database)

    assert f"Backup written to {path}" in out
    assert "Restore complete: every table and file matches the backup." in restored
    assert f"{Unit._meta.db_table} | " in restored
    assert "differs" not in restored


@pytest.mark.skipif(
    connections["default"].vendor != "postgresql",
    reason="pg_dump/pg_restore only run against PostgreSQL (DATABASE_URL=postgres://...)",
)
def test_backup_passes_the_password_through_pgpassword_only(backup, empty_database, monkeypatch):
    connections[empty_database].settings_dict["PASSWORD"] = "s3cret-pw"
    calls = []
    real_run = subprocess.run

    def recording_run(command, **kwargs):
        calls.append((command, kwargs["env"]))
        kwargs["env"] = {**kwargs["env"], "PGPASSWORD": ""}
        return real_run(command, **kwargs)

    monkeypatch.setattr(backups_database.subprocess, "run", recording_run)

    backup_restore(source=backup, using=empty_database, media_root=backup.parent / "m")

    ((command, env),) = [call for call in calls if call[0][0].endswith("pg_restore")]
    assert "s3cret-pw" not in " ".join(command)
    assert env["PGPASSWORD"] == "s3cret-pw"


@pytest.mark.skipif(
    connections["default"].vendor != "postgresql",
    reason="SQLite backups need no external program",
)
@pytest.mark.django_db(transaction=True)
def test_backup_without_pg_dump_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(backups_database.shutil, "which", lambda name: None)

    with pytest.raises(BackupError, match="postgresql-client"):
        backup_create(target_dir=tmp_path)

    assert list(tmp_path.iterdir()) == []


# --- retention ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_backup_keeps_the_newest(tmp_path, media):
    target = tmp_path / "backups"
    target.mkdir()
    (target / "notes").mkdir()  # not a backup: never removed
    for day in (1, 2, 3, 4):
        backup_create(target_dir=target, keep=2, now=datetime(2026, 12, day, 2, 0, tzinfo=UTC))

    assert sorted(p.name for p in target.iterdir()) == [
        "danvan-backup-20261203-020000",
        "danvan-backup-20261204-020000",
        "notes",
    ]


@pytest.mark.django_db(transaction=True)
def test_backup_refuses_to_keep_none(tmp_path):
    with pytest.raises(CommandError, match="At least one backup must be kept"):
        run("backup", "--dir", str(tmp_path), "--keep", "0")

    assert list(tmp_path.iterdir()) == []


# --- refusals ----------------------------------------------------------------------------


def test_restore_refuses_a_database_that_is_not_empty(backup, media):
    before = database_row_counts("default")

    with pytest.raises(CommandError, match="The target database is not empty"):
        run("restore", str(backup))

    assert database_row_counts("default") == before


def test_restore_reports_a_media_hash_mismatch(backup, empty_database, tmp_path):
    manifest_path = backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["media"]["files"]["reports/bao-cao.xlsx"] = "0" * 64
    manifest["database"]["tables"][Unit._meta.db_table] += 1
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")

    report = backup_restore(
        source=backup, using=empty_database, media_root=tmp_path / "restored-media"
    )

    assert not report.ok
    assert [row[0] for row in report.file_mismatches] == ["reports/bao-cao.xlsx"]
    assert [row[0] for row in report.table_mismatches] == [Unit._meta.db_table]


def test_restore_command_fails_on_a_mismatch(backup, empty_database, settings, tmp_path):
    manifest_path = backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["media"]["files"]["reports/bao-cao.xlsx"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    settings.MEDIA_ROOT = tmp_path / "restored-media"

    with pytest.raises(CommandError, match="0 tables and 1 files differ"):
        run("restore", str(backup), "--database", empty_database)


def test_restore_refuses_an_unreadable_manifest(backup, empty_database):
    (backup / "manifest.json").write_text("{not json", encoding="utf-8")

    with pytest.raises(CommandError, match="is not a readable backup manifest"):
        run("restore", str(backup), "--database", empty_database)

    assert connections[empty_database].introspection.table_names() == []


def test_restore_refuses_a_damaged_archive(backup, empty_database):
    archive = backup / "media.tar.gz"
    archive.write_bytes(archive.read_bytes()[:-10])

    with pytest.raises(BackupError, match="the backup is damaged"):
        backup_restore(source=backup, using=empty_database)

    assert connections[empty_database].introspection.table_names() == []
