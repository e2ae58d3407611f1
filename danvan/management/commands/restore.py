"""``restore DIR``: a backup into an EMPTY database and MEDIA_ROOT, then checked (danvan.backups)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from danvan.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup directory written by `backup` into an empty database and "
        "MEDIA_ROOT, then compare the rows of every table and the SHA-256 of every file "
        "with its manifest (exit status 1 on any difference)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="a backup directory (it holds manifest.json)")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, source, database="default", **options):
        try:
            report = backup_restore(source=Path(source), using=database)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(_("Table | rows in the backup | rows restored"))
        for table, expected, got in report.tables:
            mark = "" if expected == got else "  <-- " + _("differs")
            self.stdout.write(f"{table} | {expected} | {got}{mark}")
        for name, expected, got in report.file_mismatches:
            self.stdout.write(
                _("File %(name)s: SHA-256 %(got)s, the manifest says %(expected)s")
                % {"name": name, "got": got or _("missing"), "expected": expected}
            )
        self.stdout.write(
            _("%(tables)d tables, %(files)d files compared.")
            % {"tables": len(report.tables), "files": len(report.files)}
        )
        if not report.ok:
            raise CommandError(
                _(
                    "The restore does not match the backup: %(tables)d tables and %(files)d "
                    "files differ."
                )
                % {
                    "tables": len(report.table_mismatches),
                    "files": len(report.file_mismatches),
                }
            )
        self.stdout.write(_("Restore complete: every table and file matches the backup."))
