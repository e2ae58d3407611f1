"""Settings of the HTTP load benchmark (``bench/load.py``): production's, served over plain
HTTP on loopback.

Only what such a run needs differs from ``danvan.settings.production``: the loopback host
names (and the test client's), no HTTPS redirect and no secure-only cookies (there is no TLS
on 127.0.0.1), a fixed secret key when ``SECRET_KEY`` is not set, the URLs with the bench's
floor page, e-mail kept in memory, static files hashed by Django's manifest storage without
whitenoise's compression (the bench requests no static file; the pages' ``{% static %}``
URLs come from the same manifest, and collectstatic takes seconds instead of a minute), and
a Celery broker in memory that accepts tasks and never runs them, so that a report request
is timed by its answer and not by the report being made in the web process (production
without a broker runs tasks in process). The soak (``bench/soak.py``) sets
``BENCH_BROKER_URL`` to its own Redis, where a real worker takes the tasks, and
``BENCH_EMAIL_BACKEND`` to a backend that keeps no message.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-0123456789abcdefghijklmnopqrstuv")

from danvan.settings.production import *  # noqa: F403 -- production, plus the lines below

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The soak (bench/soak.py) runs a real worker and names its Redis and a mail backend that
# keeps nothing (a worker keeping every e-mail in memory would grow for that alone).
EMAIL_BACKEND = os.environ.get(
    "BENCH_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
STORAGES = {
    **STORAGES,  # noqa: F405 -- from production's namespace
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
CELERY_BROKER_URL = os.environ.get("BENCH_BROKER_URL", "memory://localhost/")
CELERY_TASK_ALWAYS_EAGER = False
CELERY_RESULT_BACKEND = None
