"""``seed_demo``: load the Hà Tĩnh demo organisation and accounts (safe to re-run)."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from danvan.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_seed
from danvan.extensions import demo_loaders


class Command(BaseCommand):
    help = "Create the Hà Tĩnh demo units and accounts; a re-run changes nothing."

    def handle(self, *args, **options):
        started = time.monotonic()
        summary = demo_seed()
        self.stdout.write(
            _(
                "Demo units: %(units)s. Succession links created: %(successions)d. "
                "Accounts created: %(users)d (%(seconds).1f s)."
            )
            % {
                "units": summary.units,
                "successions": summary.successions_created,
                "users": summary.users_created,
                "seconds": time.monotonic() - started,
            }
        )
        # Later stages register their demo data in danvan.extensions (register_demo).
        for loader in demo_loaders():
            self.stdout.write(f"{loader.label}: {loader.load()}")
        if summary.users_created:
            self.stdout.write(
                _("Demo accounts (password %(password)s): %(usernames)s")
                % {
                    "password": DEMO_PASSWORD,
                    "usernames": ", ".join(account.username for account in DEMO_ACCOUNTS),
                }
            )
