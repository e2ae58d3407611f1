"""``seed_scale``: load the benchmark data (province or national scale) into an empty
database. Each app's part is a loader registered with ``danvan.extensions.register_scale``;
see ``danvan.scale`` for the plan and the rules they keep (bulk, deterministic)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from danvan.extensions import scale_loaders
from danvan.models import Unit, User
from danvan.scale import SIZES, scale_plan


class Command(BaseCommand):
    help = (
        "Load deterministic benchmark data into an empty database: --size province "
        "(~5,000 units, 5 campaigns × 3,000 models) or national (34 provinces, 100,000 "
        "models), or tiny (for tests)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="province")
        parser.add_argument("--password", default="", help="Password of every account.")
        parser.add_argument("--seed", type=int, default=None, help="Seed of the random draws.")

    def handle(self, *args, **options):
        if Unit.objects.exists() or User.objects.exists():
            raise CommandError(
                _(
                    "The database is not empty: seed_scale only loads into an empty database "
                    "(create a new one and run migrate first)."
                )
            )
        plan = scale_plan(options["size"], password=options["password"], seed=options["seed"])
        made: dict = {}
        started = time.monotonic()
        for loader in scale_loaders():
            begun = time.monotonic()
            with transaction.atomic():
                counts = loader.seed(plan, made)
            summary = ", ".join(f"{what} {count:,}" for what, count in counts.items())
            self.stdout.write(f"{loader.label}: {summary} ({time.monotonic() - begun:.1f} s)")
        if connection.vendor == "postgresql":
            # Planner statistics now, as after any bulk load (autovacuum analyses a table
            # only after enough changes: five campaigns or rounds never trigger it, and the
            # planner would guess their size). Production: `vacuumdb --analyze-only`.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            _("Scale data %(size)s loaded in %(seconds).1f s.")
            % {"size": plan.size, "seconds": time.monotonic() - started}
        )
        if made.get("open_round"):
            self.stdout.write(_("Open round: #%(id)d.") % {"id": made["open_round"]})
        self.stdout.write(
            _("Accounts (password %(password)s): %(usernames)s")
            % {"password": plan.password, "usernames": ", ".join(made.get("usernames", []))}
        )
