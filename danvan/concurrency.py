"""Optimistic locking shared by every app whose forms can be open in two tabs."""

from django.db.models import F

from .errors import StaleEditError


def claim_version(model_class, pk: int, version: int) -> None:
    """Compare-and-set on the row's ``version`` column: bump it if it still equals
    ``version``, else raise ``StaleEditError`` telling the user to reload. Must run inside
    the transaction that saves the row."""
    claimed = model_class.objects.filter(pk=pk, version=version).update(version=F("version") + 1)
    if not claimed:
        raise StaleEditError()
