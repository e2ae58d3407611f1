"""What the reports stage adds to the site through ``danvan.extensions``: role
permissions, demo data and the labels of its activity rows. (Its menu item and pages are
registered by the runs and pages stage.)"""

from django.utils.translation import gettext_lazy as _

from danvan.activity import register_action
from danvan.enums import Role
from danvan.extensions import DemoLoader, register_demo, register_role_permissions

ACTIONS = [
    ("reports.issuerprofile.create", _("Issuer profile created")),
    ("reports.issuerprofile.update", _("Issuer profile changed")),
    ("reports.reportnarrative.create", _("Report narrative written")),
    ("reports.reportnarrative.update", _("Report narrative changed")),
    ("reports.unitplan.create", _("Yearly plan recorded")),
    ("reports.unitplan.update", _("Yearly plan corrected")),
    ("reports.unitplan.remove", _("Yearly plan removed")),
]


def register() -> None:
    from . import demo

    for action, label in ACTIONS:
        register_action(action, label)
    register_role_permissions(
        Role.SECRETARIAT,
        [
            "reports.view_issuerprofile",
            "reports.view_reportnarrative",
            "reports.view_unitplan",
        ],
    )
    register_role_permissions(Role.LEADER, ["reports.view_reportnarrative"])
    register_demo("reports", DemoLoader(_("Reports"), demo.seed, order=50))
    # The pages: the menu item and the home panels (reports.views.panels).
    from danvan import extensions as ext

    from .views import panels

    ext.register_menu_item(
        ext.MenuItem(
            "reports",
            _("Reports"),
            "reports:home",
            lambda u: u.has_perm("reports.view_reports"),
            order=60,
        )
    )
    ext.register_home_panel(
        ext.HomePanel("reports/includes/home_plan.html", panels.home_panel_plan, order=22)
    )
    ext.register_home_panel(
        ext.HomePanel("reports/includes/home_report.html", panels.home_panel_report, order=35)
    )
    from . import jobs  # report runs: generators, permissions, schedule

    jobs.register()
