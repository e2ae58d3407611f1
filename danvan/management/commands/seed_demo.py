"""``seed_demo``: load the Hà Tĩnh demo organisation and accounts (safe to re-run)."""

import importlib
import time

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from danvan.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_seed


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
        # Later stages add their own demo data through ``<app>/demo.py: seed()``; danvan
        # finds them by name so that it never imports the apps built on top of it.
        for config in apps.get_app_configs():
            if config.name == "danvan":
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
                continue
            result = module.seed()
            self.stdout.write(f"{config.verbose_name}: {result}")
        if summary.users_created:
            self.stdout.write(
                _("Demo accounts (password %(password)s): %(usernames)s")
                % {
                    "password": DEMO_PASSWORD,
                    "usernames": ", ".join(account.username for account in DEMO_ACCOUNTS),
                }
            )
