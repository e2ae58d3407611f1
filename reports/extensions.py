"""What the reports stage adds to the site through ``danvan.extensions``: role
permissions, demo data and the labels of its activity rows. (Its menu item and pages are
registered by the runs and pages stage.)"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
    from . import notifications

    notifications.register()
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
    # Benchmark data (seed_scale), bulk-loaded; see danvan.scale.
    from danvan.extensions import ScaleLoader, register_scale

    from . import scale

    register_scale("reports", ScaleLoader(_("Reports"), scale.seed, order=50))
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
    _register_showcase()
    _register_dashboard()


SHOWCASE_ACTIONS = [
    ("reports.dvkmodel.publish", _("Published on the public library page")),
    ("reports.dvkmodel.unpublish", _("Taken off the public library page")),
    ("reports.librarysettings.public_on", _("Public library page switched on")),
    ("reports.librarysettings.public_off", _("Public library page switched off")),
]


def _register_showcase() -> None:
    """The showcase of exemplary models: its activity labels and its menu item (every
    user with a unit, the secretariat, leaders and administrators)."""
    from danvan import extensions as ext

    from .showcase import demo as showcase_demo

    for action, label in SHOWCASE_ACTIONS:
        register_action(action, label)
    ext.register_menu_item(
        ext.MenuItem(
            "showcase",
            # Short: the bar must stay on one line for the secretariat.
            pgettext_lazy("menu", "Model library"),
            "showcase:library",
            lambda u: u.has_perm("reports.view_library"),
            order=55,
        )
    )
    register_demo("showcase", DemoLoader(_("Model library"), showcase_demo.seed, order=55))
    # The library is there to be replicated: whoever reads an entry may open the model's
    # page and declare that their model replicates it (models_registry's own policy plus
    # this reader, in its rule and in its selector alike).
    from .showcase import library_reader

    ext.register_reader("models_registry.DvkModel", library_reader)
    # The registration form's "similar models" suggestions (reports.views.similar).
    from .views import similar

    ext.register_detail_section(ext.MODEL_FORM, similar.FORM_SECTION)


def _register_dashboard() -> None:
    """The leaders' dashboard: its menu item (before the reports) and its home panel
    (secretariat, leaders and administrators: ``reports.view_dashboard``)."""
    from django.utils.translation import pgettext_lazy

    from danvan import extensions as ext

    from .views import dashboard_panel

    ext.register_menu_item(
        ext.MenuItem(
            "dashboard",
            pgettext_lazy("dashboard", "Overview"),
            "reports:dashboard",
            lambda u: u.has_perm("reports.view_dashboard"),
            order=50,
        )
    )
    ext.register_home_panel(
        ext.HomePanel(
            "reports/dashboard/includes/home_panel.html",
            dashboard_panel.home_panel_dashboard,
            order=25,
        )
    )
