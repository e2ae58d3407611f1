"""What every part of a backup shares: its file names, its error and the SHA-256 of a file."""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from danvan.errors import DomainError

PREFIX = "danvan-backup-"
MANIFEST = "manifest.json"
DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
FORMAT = 1
_CHUNK = 1024 * 1024


class BackupError(DomainError):
    """A backup or a restore that cannot be done (the message says why)."""


@dataclass
class RestoreReport:
    """The restored database and media compared with the manifest."""

    tables: list[tuple[str, int, int | None]] = field(default_factory=list)  # name, expected, got
    files: list[tuple[str, str, str | None]] = field(default_factory=list)  # path, expected, got

    @property
    def table_mismatches(self):
        return [row for row in self.tables if row[1] != row[2]]

    @property
    def file_mismatches(self):
        return [row for row in self.files if row[1] != row[2]]

    @property
    def ok(self) -> bool:
        return not self.table_mismatches and not self.file_mismatches


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
