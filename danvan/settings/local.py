"""Developer machine / embedded default: SQLite, eager Celery, console e-mail."""

from .base import *  # noqa: F403 -- settings modules extend the base namespace
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# runserver serves static files itself; no manifest needed before collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
