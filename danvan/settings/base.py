"""Settings shared by every environment.

Everything is read from the environment (12-factor) through django-environ; the other
modules in this package only override what differs.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env file is a convenience for developers; production sets real variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # django.contrib.admin whose site only administrators may use (danvan.admin_site).
    "danvan.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "django_celery_beat",
    "csp",
    "danvan",
    "models_registry",
    "evaluation",
    "awards",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: static files keep their long cache and need no policy of their own.
    "csp.middleware.CSPMiddleware",
    "danvan.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "danvan.middleware.VietnameseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must be last: it turns a lockout into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "danvan.urls"
WSGI_APPLICATION = "danvan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "danvan.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Seconds a connection is kept for the next request (0: a new connection per request,
# ~8 ms each on PostgreSQL; production defaults to persistent connections). A kept
# connection is checked before a request reuses it, so a restarted database costs one
# failed check, not one failed request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several users at once: write transactions take the write
    # lock when they begin (IMMEDIATE), so a second writer waits up to `timeout` seconds
    # for the first instead of failing with "database is locked" when a read turns into a
    # write; WAL lets readers go on while someone writes. tests/danvan/test_sqlite.py.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # No JIT compilation: PostgreSQL compiles any statement it estimates above a cost of
    # 100,000 — seconds of compiling for a page whose statement runs in milliseconds
    # (seen on the model page at province scale); the pages here are short OLTP reads.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "danvan.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # ModelBackend with the user's unit, roles and permissions read in two queries a
    # request (danvan.backends). Sessions signed in through ModelBackend sign in again.
    "danvan.backends.UserBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "danvan.passwords.PersonalInfoSimilarityValidator"},
    {"NAME": "danvan.passwords.NotCurrentPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Response headers (docs/security.md) ---------------------------------------------------
# Content-Security-Policy (django-csp): every script and style comes from static/, none is
# inline, nothing is evaluated from a string (htmx's allowEval is off in base.html). img-src
# allows data: for the small SVG icons inside Bootstrap's CSS (select arrow, close button,
# navbar toggler, check marks). frame-ancestors 'none' replaces X-Frame-Options DENY; the
# attachment preview (framed by this site's own modal) widens it to 'self' itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Browser features no page uses are switched off (danvan.middleware.SecurityHeadersMiddleware).
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
}
# A link to another site does not tell it which page (and which model or unit id) it came from.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: after repeated failures an account is locked for a while for the address
# they came from, and an address is locked whatever accounts it tries (password spraying).
# An account is never locked for everyone: anybody could then lock anybody out. An address
# gets a higher limit because a whole office often shares one public address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)  # ours
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "danvan.security.LoginAttemptHandler"
# Reverse proxies in front of the site that append the client's address to
# X-Forwarded-For (0: none, the header is ignored and cannot be spoofed). See README.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "danvan.security.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
# Official Vietnamese documents write dates as dd/mm/yyyy.
FORMAT_MODULE_PATH = ["danvan.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"  # never served publicly: files go through permission-checked views
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MB = env.int("FILE_UPLOAD_MAX_MB", default=20)
# `manage.py backup`: where the timestamped backups go and how many of them are kept.
BACKUP_DIR = Path(env("BACKUP_DIR", default=str(BASE_DIR / "backups")))
BACKUP_KEEP = env.int("BACKUP_KEEP", default=7)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="danvankheo@localhost")
# The site's address as users reach it: e-mails make their links absolute with it.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Celery: without a broker, tasks run in process (the embedded default).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env(
    "CELERY_RESULT_BACKEND",
    default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else None,
)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis down or stuck must not hold a request (tests/faults/test_redis_down.py): nothing
# reads a task's result (only `danvan.ping` keeps its own), otherwise every `.delay()`
# first subscribes to the result and retries for ~20 s; every connection to the broker
# gives up within seconds. A message a killed worker took comes back to the queue after
# `visibility_timeout` seconds (acks_late), longer than the longest task's hard limit.
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 1}}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Periodic tasks: the database scheduler copies these entries into its tables when beat
# starts (times in CELERY_TIMEZONE). Each feature adds its own entry.
CELERY_BEAT_SCHEDULE = {
    # The daily e-mail digest of notifications (danvan.notifications.emails), after the
    # reminders so that a reminder chosen "in the digest" is in that morning's.
    "notification-digest": {
        "task": "danvan.send_notification_digest",
        "schedule": crontab(hour=7, minute=0),
    },
    # Registration deadlines: units that registered nothing, drafts, returned models
    # (models_registry.reminders).
    "registration-reminders": {
        "task": "models_registry.send_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
    # Score sheets not yet submitted near the end of scoring (evaluation.reminders).
    "scoring-reminders": {
        "task": "evaluation.send_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
}
# How many days before a deadline the daily reminders go out (registration, resubmission,
# scoring), e.g. REMINDER_DAYS_BEFORE=7,3,1.
REMINDER_DAYS_BEFORE = tuple(env.list("REMINDER_DAYS_BEFORE", cast=int, default=[7, 3, 1]))
# A worker process is replaced after a task leaves it above this resident size (KiB);
# unset: never. Production: e.g. 1000000 (the report PDF peaks near 600 MB).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=None)
# The day ("MM-DD") the December schedule builds the annual report draft of a campaign that
# has no report date of its own (reports.schedule).
REPORT_DEFAULT_DAY = env("REPORT_DEFAULT_DAY", default="12-05")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {40: "danger"}  # Bootstrap's name for messages.ERROR

SITE_TITLE = env("SITE_TITLE", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
AXES_VERBOSE = False
