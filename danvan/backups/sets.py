"""Backup sets: write one (database + media + manifest), list and prune them, restore one
into an empty database and compare it with its manifest."""

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import django
from django.conf import settings
from django.utils.translation import gettext as _

from . import database
from .common import (
    DATABASE_FILE,
    FORMAT,
    MANIFEST,
    MEDIA_FILE,
    PREFIX,
    BackupError,
    RestoreReport,
    sha256_file,
)
from .media import archive_media, restore_media


def _code_version() -> str:
    """The commit the code runs from, or "unknown" outside a git checkout."""
    git = shutil.which("git")
    if git is None:
        return "unknown"
    result = subprocess.run(  # nosec B603
        [git, "rev-parse", "--short", "HEAD"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or "unknown"


def backup_create(
    *,
    target_dir: Path | None = None,
    keep: int | None = None,
    using: str = "default",
    media_root: Path | None = None,
    now: datetime | None = None,
) -> Path:
    """Write one complete backup under ``target_dir``; keep the ``keep`` newest."""
    target_dir = Path(target_dir or settings.BACKUP_DIR)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    now = now or datetime.now(UTC)
    if keep is not None and keep < 1:
        raise BackupError(_("At least one backup must be kept."))
    name = f"{PREFIX}{now:%Y%m%d-%H%M%S}"
    final = target_dir / name
    if final.exists():
        raise BackupError(_("The backup %(path)s already exists.") % {"path": final})
    partial = target_dir / f"{name}.partial"
    vendor = database.vendor(using)
    if vendor not in {"postgresql", "sqlite"}:
        raise BackupError(_("Backups support PostgreSQL and SQLite only."))
    try:
        partial.mkdir(parents=True, exist_ok=False)
        dump = partial / DATABASE_FILE
        counts = database.dump(using, dump)
        media = archive_media(media_root, partial / MEDIA_FILE)
        manifest = {
            "format": FORMAT,
            "created": now.isoformat(),
            "django": django.get_version(),
            "app": _code_version(),
            "database": {"vendor": vendor, "file": DATABASE_FILE, "tables": counts},
            "media": {"file": MEDIA_FILE, "files": media},
            "archives": {
                DATABASE_FILE: sha256_file(dump),
                MEDIA_FILE: sha256_file(partial / MEDIA_FILE),
            },
        }
        (partial / MANIFEST).write_text(
            json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False), encoding="utf-8"
        )
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if keep is not None:
        backup_prune(target_dir=target_dir, keep=keep)
    return final


def backups_list(target_dir: Path) -> list[Path]:
    """Complete backups under ``target_dir``, oldest first (their names sort by time)."""
    if not Path(target_dir).is_dir():
        return []
    return sorted(
        path
        for path in Path(target_dir).iterdir()
        if path.is_dir()
        and path.name.startswith(PREFIX)
        and not path.name.endswith(".partial")
        and (path / MANIFEST).is_file()
    )


def backup_prune(*, target_dir: Path, keep: int) -> list[Path]:
    """Remove all but the ``keep`` newest backups; return what was removed."""
    if keep < 1:
        raise BackupError(_("At least one backup must be kept."))
    removed = backups_list(target_dir)[:-keep]
    for path in removed:
        shutil.rmtree(path)
    return removed


def manifest_read(source: Path) -> dict:
    path = Path(source) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest["database"]["vendor"], str):
            raise TypeError("database.vendor")
        for part in (manifest["database"]["tables"], manifest["media"]["files"]):
            if not isinstance(part, dict):
                raise TypeError("tables/files")
        if not isinstance(manifest["archives"], dict):
            raise TypeError("archives")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BackupError(
            _("%(path)s is not a readable backup manifest: %(error)s")
            % {"path": path, "error": exc}
        ) from exc
    return manifest


def _check_archives(source: Path, manifest: dict) -> None:
    for name, expected in manifest["archives"].items():
        path = source / name
        if not path.is_file():
            raise BackupError(_("The backup lacks %(path)s.") % {"path": path})
        if sha256_file(path) != expected:
            raise BackupError(
                _("%(path)s does not match its SHA-256 in the manifest: the backup is damaged.")
                % {"path": path}
            )


def backup_restore(
    *, source: Path, using: str = "default", media_root: Path | None = None
) -> RestoreReport:
    """Restore a backup into an empty database and MEDIA_ROOT, and compare with its manifest."""
    source = Path(source)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    manifest = manifest_read(source)
    vendor = database.vendor(using)
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            _("This backup is of a %(backup)s database; the target database is %(target)s.")
            % {"backup": manifest["database"]["vendor"], "target": vendor}
        )
    existing = database.database_tables(using)
    if existing:
        raise BackupError(
            _(
                "The target database is not empty (%(count)d tables): restore only into a "
                "new, empty database."
            )
            % {"count": len(existing)}
        )
    _check_archives(source, manifest)
    dump = source / manifest["database"].get("file", DATABASE_FILE)
    database.restore(using, dump)
    restore_media(source / manifest["media"].get("file", MEDIA_FILE), media_root)
    return restore_compare(manifest=manifest, using=using, media_root=media_root)


def restore_compare(*, manifest: dict, using: str, media_root: Path) -> RestoreReport:
    report = RestoreReport()
    counts = database.database_row_counts(using)
    expected_tables = manifest["database"]["tables"]
    for table in sorted(set(expected_tables) | set(counts)):
        report.tables.append((table, expected_tables.get(table), counts.get(table)))
    for name, expected in sorted(manifest["media"]["files"].items()):
        path = media_root / name
        report.files.append((name, expected, sha256_file(path) if path.is_file() else None))
    return report
