"""What every evaluation service shares: the domain errors, version claims, round locks."""

from django.utils.translation import gettext as _

from danvan.concurrency import claim_version
from danvan.errors import DomainError, StaleEditError

from ..enums import RoundStatus
from ..models import Round


class EvaluationError(DomainError):
    """A refused evaluation action; ``str(error)`` is the message to show the user as is."""


__all__ = ["DomainError", "EvaluationError", "StaleEditError", "claim_version"]


def lock_round(round_: Round) -> Round:
    """Re-read the round under a row lock: transitions, population and assignment of one
    round serialise on it."""
    return (
        Round.objects.select_for_update(of=("self",))
        .select_related("campaign", "scope_unit")
        .get(pk=round_.pk)
    )


def ensure_not_finalised(round_: Round) -> None:
    if round_.status == RoundStatus.FINALISED:
        raise EvaluationError(
            _(
                "This round has been finalised: its entries, assignments and sheets can no longer change."
            )
        )
