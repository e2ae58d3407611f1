"""The uploaded files' part of a backup: one tar.gz of MEDIA_ROOT with each file's SHA-256."""

import tarfile
from pathlib import Path

from .common import sha256_file


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def archive_media(media_root: Path, target: Path) -> dict[str, str]:
    hashes = {}
    with tarfile.open(target, "w:gz") as archive:
        for path in _media_files(media_root):
            name = path.relative_to(media_root).as_posix()
            hashes[name] = sha256_file(path)
            archive.add(path, arcname=name, recursive=False)
    return hashes


def restore_media(source: Path, media_root: Path) -> None:
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source, "r:gz") as archive:
        archive.extractall(media_root, filter="data")
