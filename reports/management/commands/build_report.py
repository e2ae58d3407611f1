"""``manage.py build_report``: write a report's PDF, DOCX and XLSX to a folder, through the
same service as the page (``reports.runs.report_spec`` + ``report_files``), without the
task and without recording a run — for servers driven by scripts and for the benchmark.

    manage.py build_report --campaign 2025 --out /tmp/bao-cao
    manage.py build_report --kind summary --from 2021 --to 2025 --out /tmp/tong-ket
"""

import datetime
import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from danvan.enums import UnitKind
from models_registry.models import Campaign
from reports.enums import ReportKind
from reports.runs import report_files, report_spec
from reports.services import ReportsError


class Command(BaseCommand):
    help = "Write the PDF, DOCX and XLSX of the annual report or the five-year summary."

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=[k.value for k in ReportKind], default="annual")
        parser.add_argument("--campaign", type=int, metavar="YEAR", help="annual: the year")
        parser.add_argument("--from", dest="from_year", type=int, metavar="YEAR")
        parser.add_argument("--to", dest="to_year", type=int, metavar="YEAR")
        parser.add_argument(
            "--organiser", type=int, metavar="UNIT_ID", help="the organiser (default: the province)"
        )
        parser.add_argument("--date", type=datetime.date.fromisoformat, metavar="YYYY-MM-DD")
        parser.add_argument("--number", default="")
        parser.add_argument("--day-given", action="store_true", help="print the day of the date")
        parser.add_argument("--out", required=True, type=Path, metavar="DIR")

    def handle(self, *args, **options):
        kind = options["kind"]
        campaign = None
        if kind == ReportKind.ANNUAL:
            if options["campaign"] is None:
                raise CommandError("--campaign YEAR is required for the annual report.")
            campaign = self._campaign(options["campaign"], options["organiser"])
        elif options["from_year"] is None or options["to_year"] is None:
            raise CommandError("--from YEAR and --to YEAR are required for the summary.")
        elif options["organiser"] is not None:
            campaign = self._campaign(options["to_year"], options["organiser"])
        try:
            spec = report_spec(
                kind=kind,
                campaign=campaign,
                from_year=options["from_year"],
                to_year=options["to_year"],
                date=options["date"],
                number=options["number"],
                day_given=options["day_given"],
            )
            files = report_files(spec)
        except ReportsError as error:
            raise CommandError(str(error)) from None
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        for filename, _content_type, content in files:
            path = out / filename
            # Written under a temporary name, then moved: a half-written file is never
            # found under the real name.
            partial = path.with_name(f".{filename}.part")
            partial.write_bytes(content)
            partial.replace(path)
            digest = hashlib.sha256(content).hexdigest()
            self.stdout.write(f"{path}\t{len(content)}\t{digest}")

    def _campaign(self, year: int, organiser_id: int | None) -> Campaign:
        campaigns = Campaign.objects.filter(year=year).select_related("organiser")
        if organiser_id is not None:
            campaigns = campaigns.filter(organiser_id=organiser_id)
        else:
            campaigns = campaigns.filter(organiser__kind=UnitKind.PROVINCE)
        found = list(campaigns.order_by("pk")[:2])
        if not found:
            raise CommandError(f"No campaign of {year} (give --organiser UNIT_ID).")
        if len(found) > 1:
            raise CommandError(f"Several campaigns of {year}: give --organiser UNIT_ID.")
        return found[0]
