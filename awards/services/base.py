"""What every awards service shares: the domain error, recipient checks, the double-award
rule."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from danvan.errors import DomainError
from evaluation.enums import RoundStatus
from evaluation.models import Result

from ..enums import RecipientKind
from ..models import Award
from ..validators import validate_amount

RECIPIENT_FIELDS = [
    "recipient_kind",
    "dvk_model",
    "unit",
    "person_name",
    "person_position",
    "award_type",
    "achievement",
    "manual",
    "manual_reason",
    "position",
]


class AwardsError(DomainError):
    """A refused awards action; ``str(error)`` is the message to show the user as is."""


def refuse_validation(error: ValidationError, field: str) -> AwardsError:
    return AwardsError(" ".join(error.messages), field=field)


def apply_recipient(obj, data: dict) -> None:
    """Copy the recipient fields of ``data`` onto ``obj`` and check them.

    Refuses a model line without a model, a collective without a unit, an individual
    without a name, a manual line without a reason, an empty achievement.
    """
    for name in RECIPIENT_FIELDS:
        if name in data:
            setattr(obj, name, data[name])
    obj.person_name = (obj.person_name or "").strip()
    obj.achievement = (obj.achievement or "").strip()
    obj.manual_reason = (obj.manual_reason or "").strip()
    kind = obj.recipient_kind
    if kind == RecipientKind.MODEL and obj.dvk_model_id is None:
        raise AwardsError(_("Choose the model."), field="dvk_model")
    if kind == RecipientKind.COLLECTIVE and obj.unit_id is None:
        raise AwardsError(_("Choose the collective."), field="unit")
    if kind == RecipientKind.INDIVIDUAL and not obj.person_name:
        raise AwardsError(_("Enter the individual's full name."), field="person_name")
    if kind != RecipientKind.MODEL:
        obj.dvk_model = None
    if obj.award_type_id is None:
        raise AwardsError(_("Choose the award type."), field="award_type")
    if not obj.achievement:
        raise AwardsError(_("Write the achievement."), field="achievement")
    if obj.manual and not obj.manual_reason:
        raise AwardsError(_("Give the reason for a manual proposal."), field="manual_reason")
    if not obj.manual:
        obj.manual_reason = ""


def check_amount(amount) -> int:
    try:
        validate_amount(amount)
    except ValidationError as error:
        raise refuse_validation(error, "amount") from None
    return int(amount or 0)


def ensure_from_finalised_round(obj, campaign) -> None:
    """A model line comes from a finalised round of ``campaign`` unless marked manual."""
    if obj.recipient_kind != RecipientKind.MODEL or obj.manual:
        return
    results = Result.objects.filter(
        dvk_model_id=obj.dvk_model_id, round__status=RoundStatus.FINALISED
    )
    if campaign is not None:
        results = results.filter(round__campaign=campaign)
    if not results.exists():
        raise AwardsError(
            _(
                "This model has no result in a finalised round of the campaign. Mark the "
                "line as a manual proposal and give the reason."
            ),
            field="dvk_model",
        )


def recipient_q(obj) -> Q:
    if obj.recipient_kind == RecipientKind.MODEL:
        return Q(recipient_kind=RecipientKind.MODEL, dvk_model_id=obj.dvk_model_id)
    if obj.recipient_kind == RecipientKind.COLLECTIVE:
        return Q(recipient_kind=RecipientKind.COLLECTIVE, unit_id=obj.unit_id)
    return Q(
        recipient_kind=RecipientKind.INDIVIDUAL,
        person_name__iexact=obj.person_name,
        unit_id=obj.unit_id,
    )


def ensure_no_double_award(award: Award) -> None:
    """The same recipient cannot receive the same award type twice for the same campaign
    and occasion (Luật Thi đua, khen thưởng 2022); revoked awards do not count."""
    earlier = (
        Award.objects.not_revoked()
        .filter(recipient_q(award), award_type_id=award.award_type_id)
        .filter(campaign_id=award.campaign_id, decision__occasion=award.decision.occasion)
        .exclude(pk=award.pk)
        .select_related("decision")
        .order_by("decision__date", "pk")
        .first()
    )
    if earlier is not None:
        raise AwardsError(
            _(
                "This recipient has already received this award for the same campaign and "
                "occasion by decision %(number)s."
            )
            % {"number": earlier.decision.display_number},
            field="award_type",
        )
