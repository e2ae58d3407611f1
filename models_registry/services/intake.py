"""Accepting or returning several registrations at once (the intake list's bulk actions).

Policy: **one transaction per model, with a report**. Each model goes through the single
service (``dvk_model_accept`` / ``dvk_model_return``) inside its own savepoint, so it gets
exactly what the single action gives it — one activity row, the same notifications — and a
model that cannot be acted on (its status changed meanwhile) is reported with the reason
and keeps nothing of the attempt, while the others proceed. The input (the reason, the
resubmission day) is checked once before any model is touched: a refused input changes
nothing at all.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from danvan.dates import today
from danvan.errors import DomainError
from danvan.models import User

from ..enums import ModelStatus
from ..models import DvkModel
from .common import RegistrationError, lock_dvk_model
from .dvk_models import dvk_model_accept, dvk_model_return


@dataclass
class BulkOutcome:
    """What a bulk action did: the models it moved, and the others with the reason."""

    done: list[DvkModel] = field(default_factory=list)
    refused: list[tuple[DvkModel, str]] = field(default_factory=list)


def _not_waiting(dvk_model: DvkModel) -> str:
    if dvk_model.status == ModelStatus.ACCEPTED:
        return _("it has already been accepted.")
    return _("it is no longer waiting for a decision (%(status)s).") % {
        "status": dvk_model.get_status_display()
    }


def _each(dvk_models: Iterable[DvkModel], act: Callable[[DvkModel], DvkModel]) -> BulkOutcome:
    outcome = BulkOutcome()
    for dvk_model in dvk_models:
        try:
            with transaction.atomic():
                locked = lock_dvk_model(dvk_model)
                if locked.status != ModelStatus.SUBMITTED:
                    # Checked here: accepting an accepted model is a silent no-op in the
                    # single service, but the bulk report must say it was not done now.
                    outcome.refused.append((locked, _not_waiting(locked)))
                    continue
                outcome.done.append(act(locked))
        except DomainError as error:
            outcome.refused.append((dvk_model, str(error)))
    return outcome


def dvk_models_accept_many(*, dvk_models: Iterable[DvkModel], by: User) -> BulkOutcome:
    """Accept each submitted model of ``dvk_models`` through ``dvk_model_accept`` (one
    savepoint per model); the others are reported in ``refused``."""
    return _each(dvk_models, lambda m: dvk_model_accept(dvk_model=m, by=by))


def dvk_models_return_many(
    *,
    dvk_models: Iterable[DvkModel],
    by: User,
    reason: str,
    resubmit_by: datetime.date | None = None,
) -> BulkOutcome:
    """Return each submitted model of ``dvk_models`` to its unit with the same ``reason``
    and ``resubmit_by`` through ``dvk_model_return`` (one savepoint per model); the others
    are reported in ``refused``.

    Raises ``RegistrationError`` (on ``reason`` or ``resubmit_by``) before touching any
    model when the reason is empty or the day is past."""
    reason = (reason or "").strip()
    if not reason:
        raise RegistrationError(
            _("Please tell the unit why the model is returned."), field="reason"
        )
    if resubmit_by is not None and resubmit_by < today():
        raise RegistrationError(
            _("The resubmission day cannot be in the past."), field="resubmit_by"
        )
    return _each(
        dvk_models,
        lambda m: dvk_model_return(dvk_model=m, by=by, reason=reason, resubmit_by=resubmit_by),
    )
