"""``import_units --province 42`` or ``import_units --file units.csv [--parent CODE]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from danvan.importers import UnitImportError, units_import_province, units_import_table
from danvan.models import Unit


class Command(BaseCommand):
    help = (
        "Import a province and its communes from the national list (--province CODE), or "
        "non-administrative units from a CSV/XLSX table (--file PATH [--parent CODE])."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--province", type=int, help="national province code, e.g. 42")
        source.add_argument("--file", help="a .csv (UTF-8) or .xlsx unit table")
        parser.add_argument(
            "--parent", help="code of the unit that rows with an empty parent code go under"
        )

    def handle(self, *args, province=None, file=None, parent=None, **options):
        if parent and not file:
            raise CommandError(_("--parent only applies to --file."))
        try:
            if province is not None:
                summary = units_import_province(province_code=province)
                source = _("province %(code)s") % {"code": province}
            else:
                parent_unit = None
                if parent:
                    parent_unit = Unit.objects.filter(code=parent).first()
                    if parent_unit is None:
                        raise CommandError(_("No unit has the code %(code)s.") % {"code": parent})
                path = Path(file)
                try:
                    handle = path.open("rb")
                except OSError as exc:
                    raise CommandError(
                        _("Cannot open %(path)s: %(reason)s")
                        % {"path": path, "reason": exc.strerror}
                    ) from exc
                with handle:
                    summary = units_import_table(
                        file=handle, filename=path.name, parent=parent_unit
                    )
                source = str(path)
        except UnitImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(exc.message) from exc
        self.stdout.write(
            _("Imported %(source)s: %(summary)s.") % {"source": source, "summary": summary}
        )
