"""Backups of the database and the uploaded files, and their restore (docs/deployment.md).

A backup is one directory ``danvan-backup-YYYYmmdd-HHMMSS`` under the backup folder:

- ``database.dump``: ``pg_dump -Fc`` on PostgreSQL, a SQLite file (online backup API) on
  the embedded default;
- ``media.tar.gz``: every file under MEDIA_ROOT, paths relative to it;
- ``manifest.json``: when, the Django version and the code's commit, the database vendor,
  the rows of every table and the SHA-256 of every media file and of the two archives.

The row counts are taken in the same snapshot as the dump (PostgreSQL: an exported
snapshot that ``pg_dump --snapshot`` reuses; SQLite: counted in the copy), so a site that
keeps writing during the backup still gets a manifest that matches its dump. A backup is
written under a ``.partial`` name and renamed when complete: retention never counts (and
restore never finds) a half-written one.

``backup_restore`` refuses a database that has any table, restores the dump and the media,
then compares the restored rows and files with the manifest.
"""

from .common import BackupError, RestoreReport, sha256_file
from .database import database_row_counts, database_tables
from .sets import (
    backup_create,
    backup_prune,
    backup_restore,
    backups_list,
    manifest_read,
    restore_compare,
)

__all__ = [
    "BackupError",
    "RestoreReport",
    "backup_create",
    "backup_prune",
    "backup_restore",
    "backups_list",
    "database_row_counts",
    "database_tables",
    "manifest_read",
    "restore_compare",
    "sha256_file",
]
