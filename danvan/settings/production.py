"""Production: every secret comes from the environment; HTTPS hardening on."""

from .base import *  # noqa: F403 -- settings modules extend the base namespace
from .base import DATABASES, env

SECRET_KEY = env("SECRET_KEY")
DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Persistent database connections (each gunicorn worker keeps its own), checked before
# reuse (CONN_HEALTH_CHECKS in base). CONN_MAX_AGE=0 turns them off.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
