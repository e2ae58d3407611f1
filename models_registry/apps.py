from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModelsRegistryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "models_registry"
    verbose_name = _("Registration")

    def ready(self):
        from . import rules  # noqa: F401 -- registers the permission predicates
        from .extensions import register

        register()
