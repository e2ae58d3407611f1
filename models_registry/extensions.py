"""What the registration stage adds to the site through ``danvan.extensions``: menu items,
home panels, role permissions, demo data and the labels of its activity-log actions."""

from django.db.models import Count, Q, Window
from django.utils.translation import gettext_lazy as _

from danvan.activity import register_action, register_object_queryset
from danvan.dates import days_left, today
from danvan.enums import Role
from danvan.extensions import (
    DemoLoader,
    HomePanel,
    MenuItem,
    register_demo,
    register_home_panel,
    register_menu_item,
    register_role_permissions,
)
from danvan.notifications import register_notification_kind

from . import selectors, services
from .enums import ModelStatus


def home_panel_unit_officer(request):
    """This year's campaign, deadlines, the unit's models and a warning if none. A role
    panel: shown to unit officers only (an administrator holds every permission, and the
    counts of his whole scope are not "your unit's models")."""
    user = request.user
    if user.unit_id is None or not user.has_role(Role.UNIT_OFFICER):
        return None
    campaign = selectors.campaign_current_for(user=user)
    if campaign is None:
        return {"campaign": None}
    recent, counts = _recent_and_counts(user, campaign)
    deadline = services.registration_deadline(campaign=campaign, unit=user.unit)
    registered = sum(n for status, n in counts.items() if status != ModelStatus.DRAFT)
    return {
        "campaign": campaign,
        "deadline": deadline,
        "days_left": days_left(deadline),
        "today": today(),
        "counts": counts,
        "registered": registered,
        "drafts": counts.get(ModelStatus.DRAFT, 0),
        "returned": counts.get(ModelStatus.RETURNED, 0),
        "recent": recent,
    }


def _recent_and_counts(user, campaign) -> tuple[list, dict[str, int]]:
    """The first five of ``selectors.dvk_models_of_unit`` and the counts by status of all
    its rows (``selectors.unit_model_counts``: the same rows), in one query — each count a
    window over the rows before the limit. Kept on the user for the request: for an
    administrator the secretariat's panel counts the same rows."""

    def read():
        windows = {
            f"home_n_{status}": Window(Count("pk", filter=Q(status=status)))
            for status in ModelStatus.values
        }
        qs = selectors.dvk_models_of_unit(user=user, campaign=campaign).annotate(**windows)
        recent = list(qs[:5])
        counts = {}
        if recent:
            for status in ModelStatus.values:
                if n := getattr(recent[0], f"home_n_{status}"):
                    counts[status] = n
        return recent, counts

    return user.remember(("home_model_counts", campaign.pk), read)


def home_panel_secretariat(request):
    """Submissions waiting for a decision and the registration coverage: the
    secretariat's (and administrators'); leaders get the dashboard's panel instead."""
    user = request.user
    if not user.has_perm("models_registry.intake"):
        return None
    if not (user.is_superuser or user.has_role(Role.SECRETARIAT)):
        return None
    campaign = selectors.campaign_current_for(user=user)
    if campaign is None:
        return {"campaign": None, "can_manage": user.has_perm("models_registry.manage_campaigns")}
    if user.is_superuser and user.unit_id is not None:
        # An administrator's unit panel has counted the campaign's models, all in scope:
        # the submitted ones are the intake's waiting ones.
        waiting = _recent_and_counts(user, campaign)[1].get(ModelStatus.SUBMITTED, 0)
    else:
        waiting = (
            selectors.intake_queryset(user=user)
            .filter(campaign=campaign, status=ModelStatus.SUBMITTED)
            .count()
        )
    return {
        "campaign": campaign,
        "waiting": waiting,
        "coverage": selectors.coverage_by_kind(user=user, campaign=campaign),
        "can_manage": user.has_perm("models_registry.manage_campaigns"),
    }


# Every transition the registration services log (danvan.activity.log_action).
ACTIONS = {
    "models_registry.dvkmodel.create": _("Created as a draft"),
    "models_registry.dvkmodel.update": _("Registration edited"),
    "models_registry.dvkmodel.submit": _("Submitted to the secretariat"),
    "models_registry.dvkmodel.withdraw": _("Withdrawn to draft"),
    "models_registry.dvkmodel.accept": _("Registration accepted"),
    "models_registry.dvkmodel.return": _("Returned for changes"),
    "models_registry.dvkmodel.carry_over": _("Carried over from an earlier year"),
    "models_registry.dvkmodel.delete": _("Draft deleted"),
    "models_registry.dvkmodel.add_attachment": _("Evidence file added"),
    "models_registry.dvkmodel.remove_attachment": _("Evidence file removed"),
    "models_registry.dvkmodel.show_attachment": _("Photo shown in the library"),
    "models_registry.dvkmodel.hide_attachment": _("Photo hidden from the library"),
    "models_registry.dvkmodel.submit_result_report": _("Result report submitted"),
    "models_registry.dvkmodel.remove_personal_data": _("Personal data removed (anonymised)"),
    "models_registry.campaign.create": _("Campaign created"),
    "models_registry.campaign.update": _("Campaign edited"),
    "models_registry.campaign.extend_deadline": _("Deadline extended for a unit"),
    "models_registry.campaign.update_indicators": _("Result indicators changed"),
    "models_registry.campaign.remind": _("Units without a registration reminded"),
    "models_registry.field.create": _("Field created"),
    "models_registry.field.update": _("Field edited"),
}


def register() -> None:
    from .models import Field

    # A topic's name includes its field's: the audit page loads both in one query.
    register_object_queryset(Field, lambda: Field.objects.select_related("parent"))
    for action, label in ACTIONS.items():
        register_action(action, label)
    from . import notifications

    notifications.register()
    # Reminders of registration deadlines (models_registry.reminders).
    from .reminders import reminder_kinds

    register_notification_kind(*reminder_kinds())
    register_menu_item(
        MenuItem(
            "my_models",
            _("Our models"),
            "models_registry:my_models",
            lambda u: bool(u.unit_id) and u.has_perm("models_registry.register"),
            order=10,
        )
    )
    register_menu_item(
        MenuItem(
            "intake",
            _("Registrations"),
            "models_registry:intake",
            lambda u: u.has_perm("models_registry.intake"),
            order=20,
        )
    )
    register_menu_item(
        MenuItem(
            "campaigns",
            _("Campaigns"),
            "models_registry:campaign_list",
            lambda u: u.has_perm("models_registry.intake"),
            order=30,
            group="setup",
        )
    )
    register_menu_item(
        MenuItem(
            "fields",
            _("Fields"),
            "models_registry:field_list",
            lambda u: u.has_perm("models_registry.manage_fields"),
            order=35,
            group="setup",
        )
    )
    register_home_panel(
        HomePanel(
            "models_registry/includes/home_unit_officer.html", home_panel_unit_officer, order=20
        )
    )
    register_home_panel(
        HomePanel(
            "models_registry/includes/home_secretariat.html", home_panel_secretariat, order=30
        )
    )
    register_role_permissions(Role.SECRETARIAT, ["models_registry.view_dvkmodel"])
    from . import demo

    register_demo("models_registry", DemoLoader(_("Registration"), demo.seed, order=20))
    # Benchmark data (seed_scale), bulk-loaded; see danvan.scale.
    from danvan.extensions import ScaleLoader, register_scale

    from . import scale

    register_scale("models_registry", ScaleLoader(_("Registration"), scale.seed, order=20))
