from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DanvanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "danvan"
    verbose_name = _("Organisation and people")

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import rules  # noqa: F401 -- registers the permission predicates
        from .admin_site import is_administrator
        from .db import register_sqlite_collation
        from .enums import Role
        from .extensions import (
            HomePanel,
            MenuGroup,
            MenuItem,
            register_home_panel,
            register_menu_group,
            register_menu_item,
            register_role_permissions,
        )
        from .services import roles_sync_after_migrate
        from .views import home_panel_scope, home_panel_unit

        # SQLite learns the "vi_icu" collation on each connection (PostgreSQL: migration 0006).
        connection_created.connect(register_sqlite_collation, dispatch_uid="danvan_vi_collation")
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="danvan_roles_sync")
        register_role_permissions(Role.SECRETARIAT, ["danvan.view_unit", "danvan.view_user"])
        register_role_permissions(Role.LEADER, ["danvan.view_unit"])

        register_menu_group(MenuGroup("setup", pgettext_lazy("menu", "Setup"), 800))
        register_menu_group(MenuGroup("system", pgettext_lazy("menu", "System"), 900))
        register_menu_item(MenuItem("home", _("Home"), "home", lambda u: True, order=0))
        register_menu_item(
            MenuItem(
                "units",
                _("Units"),
                "unit_tree",
                lambda u: u.has_perm("danvan.browse_units"),
                90,
                group="system",
            )
        )
        register_menu_item(
            MenuItem(
                "activity",
                pgettext_lazy("menu", "Activity log"),
                "activity_list",
                lambda u: u.has_perm("danvan.view_activity"),
                950,
                group="system",
            )
        )
        register_menu_item(
            MenuItem(
                "admin",
                _("Administration"),
                "admin:index",
                is_administrator,
                1000,
                group="system",
            )
        )
        register_home_panel(HomePanel("danvan/includes/home_unit.html", home_panel_unit, 10))
        register_home_panel(HomePanel("danvan/includes/home_scope.html", home_panel_scope, 900))
        # Benchmark data (seed_scale): the organisation and the accounts come first.
        from . import scale
        from .extensions import ScaleLoader, register_scale

        register_scale("danvan", ScaleLoader(_("Organisation and accounts"), scale.seed, order=10))
