"""Tests: PostgreSQL/Redis when CI provides DATABASE_URL/CELERY_BROKER_URL, else SQLite."""

from .base import *  # noqa: F403 -- settings modules extend the base namespace
from .base import BASE_DIR, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / ".test-media")))  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Unit tests run tasks in process; the worker test talks to the real broker explicitly.
CELERY_TASK_ALWAYS_EAGER = True
