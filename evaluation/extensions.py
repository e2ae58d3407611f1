"""What the evaluation stage adds to the site through ``danvan.extensions``: menu items,
home panels, demo data, and reviewers as readers of the models assigned to them."""

from django.db.models import Count, Subquery, Window
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.activity import register_action, register_object_queryset
from danvan.db import vi_order
from danvan.enums import Role
from danvan.extensions import (
    CAMPAIGN_PAGE,
    MODEL_PAGE,
    DemoLoader,
    DetailSection,
    HomePanel,
    MenuItem,
    Reader,
    register_demo,
    register_detail_section,
    register_home_panel,
    register_menu_item,
    register_reader,
    register_user_fact,
)
from danvan.selectors import filter_to_scope

from . import selectors
from .enums import RoundStatus
from .models import Result
from .rules import is_reviewer


def _routable(url_name: str) -> bool:
    """The secretariat's pages are built apart from these: a menu item whose page is not
    routed yet stays hidden instead of breaking every page with NoReverseMatch."""
    try:
        reverse(url_name)
    except NoReverseMatch:
        return False
    return True


def _is_unit_officer(user) -> bool:
    """A role panel's test: unit officers only (an administrator holds every permission,
    and his whole scope's results are not "your unit's results")."""
    return bool(user.unit_id) and user.has_role(Role.UNIT_OFFICER)


def home_panel_reviewer(request):
    """The committee member's sheets by status and the next due date. A role panel: shown
    to active committee members only (``rules.is_reviewer``), not to an administrator
    through "every permission"."""
    user = request.user
    if not is_reviewer(user):
        return None
    summary = selectors.reviewer_queue_summary(user=user)
    next_due = summary["next_due"]
    return {
        **summary,
        "days_left": (next_due - timezone.localdate()).days if next_due else None,
    }


def home_panel_results(request):
    """The unit's finalised results of the newest campaign that has some (hidden while
    there are none)."""
    user = request.user
    if not _is_unit_officer(user):
        return None
    # The rows of ``selectors.results_for_unit`` in its order, scoped by a walk down the
    # user's subtree (not the tree-fields CTE). One query reads the newest campaign's first
    # five and their number (a window count), whatever the years kept and the scope's size
    # (an administrator's is every unit: 15,000 results at five years of a province).
    finalised = filter_to_scope(
        Result.objects.filter(round__status=RoundStatus.FINALISED),
        user=user,
        unit_field="dvk_model__unit",
    ).order_by("-round__campaign__year", vi_order("dvk_model__name"), "round__scoring_opens", "pk")
    newest = finalised.values("round__campaign_id")[:1]
    latest = list(
        finalised.filter(round__campaign_id=Subquery(newest))
        .select_related("round__campaign", "dvk_model")
        .only(
            "tier_name",
            "recognised",
            "exemplary",
            "round__campaign__year",
            "round__campaign__title",
            "dvk_model__name",
        )
        .annotate(count=Window(Count("pk")))[:5]
    )
    if not latest:
        return None
    return {"campaign": latest[0].round.campaign, "results": latest, "count": latest[0].count}


# The secretariat's transitions (services: rubrics, committees, rounds, results,
# assignments).
_MANAGE_ACTIONS = [
    ("evaluation.rubric.create", _("Rubric created")),
    ("evaluation.rubric.update", _("Rubric changed")),
    ("evaluation.rubric.version", _("New rubric version created")),
    ("evaluation.rubric.clone", _("Rubric copied")),
    ("evaluation.committeemember.add", _("Committee member added")),
    ("evaluation.committeemember.remove", _("Committee member made inactive")),
    ("evaluation.round.create", _("Round created")),
    ("evaluation.round.update", _("Round settings changed")),
    ("evaluation.round.populate", _("Models added to the round")),
    ("evaluation.round.open", _("Round opened for scoring")),
    ("evaluation.round.finalise", _("Round finalised")),
    ("evaluation.round.assign", _("Reviewers assigned by hand")),
    ("evaluation.round.assign_auto", _("Reviewers assigned automatically")),
    ("evaluation.assignment.conflict_approve", _("Conflict of interest approved")),
    ("evaluation.assignment.conflict_reject", _("Conflict of interest rejected")),
    ("evaluation.result.exemplary", _("Exemplary selection changed")),
    ("evaluation.result.nominate", _("Nomination to the higher round changed")),
    ("evaluation.round.remind", _("Reviewers reminded of their score sheets")),
]


def register() -> None:
    from . import demo
    from .rules import reviews_model, reviews_model_q

    register_demo("evaluation", DemoLoader(_("Evaluation"), demo.seed, order=30))
    # The results spreadsheet of a large round is made in the background.
    from danvan.generation import register_generator

    from . import results_export

    register_generator(results_export.KIND, results_export.generator)
    # Benchmark data (seed_scale), bulk-loaded; see danvan.scale.
    from danvan.extensions import ScaleLoader, register_scale

    from . import scale

    register_scale("evaluation", ScaleLoader(_("Evaluation"), scale.seed, order=30))
    # Score sheets and conflicts of interest (evaluation.services.scoring, .assignments).
    from .models import Assignment, CommitteeMember, ScoreSheet

    # Their names cross relations: the audit page loads them in one query per type.
    register_object_queryset(
        ScoreSheet,
        lambda: ScoreSheet.objects.select_related(
            "assignment__reviewer", "assignment__entry__dvk_model"
        ),
    )
    register_object_queryset(
        Assignment, lambda: Assignment.objects.select_related("reviewer", "entry__dvk_model")
    )
    register_object_queryset(
        CommitteeMember, lambda: CommitteeMember.objects.select_related("user")
    )
    register_action("evaluation.scoresheet.submit", _("Score sheet submitted"))
    register_action("evaluation.scoresheet.reopen", _("Score sheet reopened"))
    register_action("evaluation.assignment.declare_conflict", _("Conflict of interest declared"))
    for action, label in _MANAGE_ACTIONS:
        register_action(action, label)
    from . import notifications

    notifications.register()
    # Reminders of score sheets not yet submitted (evaluation.reminders).
    from danvan.notifications import register_notification_kind

    from .reminders import reminder_kinds

    register_notification_kind(*reminder_kinds())
    register_reader(
        "models_registry.DvkModel", Reader("assigned_reviewer", reviews_model, reviews_model_q)
    )
    # The menu asks it on every page: loaded with the signed-in user (danvan.backends).
    from .rules import is_reviewer_expression

    register_user_fact("is_reviewer", is_reviewer_expression)
    register_menu_item(
        MenuItem(
            "scoring",
            _("Scoring"),
            "evaluation:queue",
            lambda u: u.has_perm("evaluation.review"),
            order=40,
        )
    )
    register_menu_item(
        MenuItem(
            "rounds",
            _("Rounds"),
            "evaluation:round_list",
            # Leaders see the list too, to reach the finalised results.
            lambda u: u.has_perm("evaluation.list_rounds") and _routable("evaluation:round_list"),
            order=45,
        )
    )
    register_menu_item(
        MenuItem(
            "rubrics",
            _("Rubrics"),
            "evaluation:rubric_list",
            lambda u: (
                u.has_perm("evaluation.manage_rubrics") and _routable("evaluation:rubric_list")
            ),
            order=50,
            group="setup",
        )
    )
    register_menu_item(
        MenuItem(
            "committees",
            _("Committees"),
            "evaluation:committee_list",
            lambda u: (
                u.has_perm("evaluation.manage_committees")
                and _routable("evaluation:committee_list")
            ),
            order=55,
            group="setup",
        )
    )
    register_menu_item(
        MenuItem(
            "my_results",
            _("Results"),
            "evaluation:my_results",
            _is_unit_officer,
            order=15,
        )
    )
    register_home_panel(
        HomePanel("evaluation/includes/home_reviewer.html", home_panel_reviewer, order=15)
    )
    register_home_panel(
        HomePanel("evaluation/includes/home_results.html", home_panel_results, order=18)
    )
    # A model's finalised results on its page, for those who may read them.
    from .panels import campaign_rounds_section, model_results_section

    register_detail_section(
        MODEL_PAGE,
        DetailSection("evaluation/includes/model_results.html", model_results_section, 5),
    )
    # The campaign's rounds and their scoring windows, with a warning where they contradict
    # the campaign's dates (issue 13).
    register_detail_section(
        CAMPAIGN_PAGE,
        DetailSection("evaluation/includes/campaign_rounds.html", campaign_rounds_section, 10),
    )
