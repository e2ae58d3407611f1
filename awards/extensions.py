"""What the awards stage adds to the site through ``danvan.extensions``: its menu item,
role permissions, demo data, the labels of its activity rows, the awards sections of the
model and unit pages and the home panels."""

from django.utils.translation import gettext_lazy as _

from danvan.activity import register_action, register_object_queryset
from danvan.enums import Role
from danvan.extensions import (
    MODEL_PAGE,
    UNIT_PAGE,
    DemoLoader,
    DetailSection,
    HomePanel,
    MenuItem,
    register_demo,
    register_detail_section,
    register_home_panel,
    register_menu_item,
    register_role_permissions,
)

ACTIONS = [
    ("awards.awardtype.create", _("Award type created")),
    ("awards.awardtype.update", _("Award type changed")),
    ("awards.proposal.create", _("Award proposal opened")),
    ("awards.proposal.line_add", _("Line added to the award proposal")),
    ("awards.proposal.line_update", _("Line of the award proposal changed")),
    ("awards.proposal.line_remove", _("Line removed from the award proposal")),
    ("awards.proposal.send", _("Award proposal sent")),
    ("awards.decision.create", _("Award decision recorded")),
    ("awards.decision.update", _("Award decision changed")),
    ("awards.decision.award_add", _("Award added to the decision")),
    ("awards.decision.award_update", _("Award of the decision changed")),
    ("awards.decision.award_remove", _("Award removed from the decision")),
    ("awards.decision.issue", _("Award decision marked issued")),
    ("awards.decision.revoke", _("Award decision revoked")),
    ("awards.decision.award_revoke", _("Award of the decision revoked")),
    ("awards.honouringevent.create", _("Honouring event created")),
    ("awards.honouringevent.update", _("Honouring event changed")),
]


def register() -> None:
    from danvan.generation import register_generator

    from . import certificates, demo, panels
    from .models import Decision

    for action, label in ACTIONS:
        register_action(action, label)
    from . import notifications

    notifications.register()
    register_object_queryset(Decision, lambda: Decision.objects.all())
    register_generator(certificates.KIND, certificates.generator)
    register_role_permissions(
        Role.SECRETARIAT,
        [
            "awards.view_awardtype",
            "awards.add_awardtype",
            "awards.change_awardtype",
            "awards.view_decision",
            "awards.view_award",
            "awards.view_proposal",
        ],
    )
    register_role_permissions(Role.LEADER, ["awards.view_decision", "awards.view_award"])
    register_demo("awards", DemoLoader(_("Awards"), demo.seed, order=40))
    # Benchmark data (seed_scale), bulk-loaded; see danvan.scale.
    from danvan.extensions import ScaleLoader, register_scale

    from . import scale

    register_scale("awards", ScaleLoader(_("Awards"), scale.seed, order=40))
    # Where awards show outside the awards pages.
    register_detail_section(
        MODEL_PAGE,
        DetailSection("awards/includes/model_awards.html", panels.model_awards_section, 10),
    )
    register_detail_section(
        UNIT_PAGE,
        DetailSection("awards/includes/unit_awards.html", panels.unit_awards_section, 10),
    )
    register_home_panel(
        HomePanel("awards/includes/home_awards.html", panels.home_panel_awards, order=25)
    )
    register_menu_item(
        MenuItem(
            "awards",
            _("Awards"),
            "awards:register",
            lambda u: u.has_perm("awards.view_register"),
            order=50,
        )
    )
