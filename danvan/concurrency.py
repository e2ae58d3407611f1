"""Optimistic locking shared by every app whose forms can be open in two tabs."""

from django.db.models import F
from django.utils.translation import gettext as _


def claim_version(model_class, pk: int, version: int, *, error: type[Exception]) -> None:
    """Compare-and-set on the row's ``version`` column: bump it if it still equals
    ``version``, else raise ``error`` (the app's own stale-edit exception) with a message
    telling the user to reload. Must run inside the transaction that saves the row."""
    claimed = model_class.objects.filter(pk=pk, version=version).update(version=F("version") + 1)
    if not claimed:
        raise error(
            _(
                "Someone else saved this record after you opened it. Your changes were not "
                "saved: reload the page to see the latest version, then make your changes again."
            )
        )
