"""Where evaluation results show outside the evaluation pages: a section on the model's
page (registered in ``evaluation.extensions`` through ``danvan.extensions``). The context
function returns None to hide its block."""

from . import selectors
from .validators import round_date_warnings


def model_results_section(request, dvk_model) -> dict | None:
    """The model's finalised results the reader may read (``selectors.results_visible_to``:
    the model's unit and the units above it, the secretariat and leaders in scope,
    administrators), each with its rank of N and a link to its feedback; hidden when there
    is none. A reviewer or another unit reading the model sees nothing here. One query."""
    results = selectors.results_of_model(dvk_model=dvk_model, user=request.user)
    if not results:
        return None
    return {"results": results, "dvk_model": dvk_model}


def campaign_rounds_section(request, campaign) -> dict | None:
    """The campaign's rounds the reader manages, each with its scoring window and
    ``warnings`` (``validators.round_date_warnings``) where it contradicts the campaign's
    dates; hidden for whoever does not manage rounds, and when there is none. One query."""
    if not request.user.has_perm("evaluation.manage_rounds"):
        return None
    rounds = list(
        selectors.rounds_visible_to(user=request.user)
        .filter(campaign=campaign)
        .select_related("scope_unit")
        .order_by("scoring_opens", "pk")
    )
    if not rounds:
        return None
    for round_ in rounds:
        round_.date_warnings = round_date_warnings(
            campaign=campaign,
            scoring_opens=round_.scoring_opens,
            scoring_closes=round_.scoring_closes,
        )
    return {"rounds": rounds, "campaign": campaign}
