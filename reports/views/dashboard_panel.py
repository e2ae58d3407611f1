"""The dashboard's home panel (registered in ``reports.extensions``): for the secretariat
and leaders, the current campaign's key figures in their scope and the way to the
dashboard. A few counts in one query, never the whole dashboard."""

from django.db.models import Count, Q, Subquery

from danvan.selectors import filter_to_scope
from models_registry.models import DvkModel
from models_registry.selectors import campaign_current_for

from .. import statistics


def home_panel_dashboard(request) -> dict | None:
    """The current campaign's registered, recognised and exemplary models in the user's
    scope (each model counted by the result the report reads for it); None (no panel)
    for anybody who may not open the dashboard or without a campaign."""
    user = request.user
    if not user.is_authenticated or not user.has_perm("reports.view_dashboard"):
        return None
    campaign = campaign_current_for(user=user)
    if campaign is None:
        return None
    chosen = statistics.chosen_results(campaign, model_ref="pk")
    models = filter_to_scope(
        DvkModel.objects.filter(campaign=campaign, status__in=statistics.REGISTERED_STATUSES),
        user=user,
    ).annotate(
        # Named apart from the aggregates: an annotation of the same name is shadowed.
        chosen_recognised=Subquery(chosen.values("recognised")[:1]),
        chosen_exemplary=Subquery(chosen.values("exemplary")[:1]),
    )
    figures = models.aggregate(
        registered=Count("pk"),
        recognised=Count("pk", filter=Q(chosen_recognised=True)),
        exemplary=Count("pk", filter=Q(chosen_exemplary=True)),
    )
    return {"campaign": campaign, **figures}
