"""``backup [--dir DIR] [--keep N]``: database dump + media archive + manifest (danvan.backups)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from danvan.backups import BackupError, backup_create, manifest_read


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files into a timestamped directory under "
        "--dir (default BACKUP_DIR) and keep the --keep newest backups (default BACKUP_KEEP)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="folder the backups go in (default: BACKUP_DIR)")
        parser.add_argument(
            "--keep", type=int, help="backups kept, the newest (default: BACKUP_KEEP)"
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, dir=None, keep=None, database="default", **options):
        target = Path(dir) if dir else Path(settings.BACKUP_DIR)
        keep = settings.BACKUP_KEEP if keep is None else keep
        try:
            path = backup_create(target_dir=target, keep=keep, using=database)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        manifest = manifest_read(path)
        self.stdout.write(
            _("Backup written to %(path)s: %(tables)d tables, %(rows)d rows, %(files)d files.")
            % {
                "path": path,
                "tables": len(manifest["database"]["tables"]),
                "rows": sum(manifest["database"]["tables"].values()),
                "files": len(manifest["media"]["files"]),
            }
        )
