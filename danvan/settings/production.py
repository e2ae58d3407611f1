"""Production: every secret comes from the environment; HTTPS hardening on.

The site runs behind an HTTPS proxy (nginx, deploy/nginx/danvan.conf) that sets
``X-Forwarded-Proto``; `manage.py check --deploy --fail-level WARNING` passes with these
settings and a real SECRET_KEY (docs/deployment.md).
"""

from .base import *  # noqa: F403 -- settings modules extend the base namespace
from .base import DATABASES, env

SECRET_KEY = env("SECRET_KEY")  # required: 50+ random characters (docs/deployment.md)
DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Plain HTTP is redirected to HTTPS, except the health check a load balancer or monitor
# may call on the loopback address (SECURE_REDIRECT_EXEMPT matches the path without "/").
SECURE_SSL_REDIRECT = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# HSTS: browsers that once saw the site over HTTPS refuse plain HTTP for this long (one
# year by default; start lower, e.g. 3600, until HTTPS is known to work). Subdomains are
# included; "preload" only takes effect if the domain's owner submits it to the browsers'
# list (which accepts registered domains only, never a host like danvan.tinh.gov.vn).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Persistent database connections (each gunicorn worker keeps its own), checked before
# reuse (CONN_HEALTH_CHECKS in base). CONN_MAX_AGE=0 turns them off.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
# Processes of one Celery worker (unset: one per CPU); each report PDF needs ~600 MB.
CELERY_WORKER_CONCURRENCY = env.int("CELERY_WORKER_CONCURRENCY", default=None)
