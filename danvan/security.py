"""Login throttling: which address a request comes from, and when failures lock.

django-axes records failed logins; two things here adapt it to how the site is deployed.

* ``client_ip`` is ``AXES_CLIENT_IP_CALLABLE``. Behind ``TRUSTED_PROXY_COUNT`` reverse
  proxies that each append the address they saw to ``X-Forwarded-For`` (nginx's
  ``$proxy_add_x_forwarded_for``), the client is the entry that the outermost trusted proxy
  added: the ``TRUSTED_PROXY_COUNT``-th from the right. Entries further left were sent by
  the client and are ignored, so they cannot be spoofed. With no trusted proxy (the
  default) the header is ignored altogether and the connection's address is used.
* ``LoginAttemptHandler`` is ``AXES_HANDLER``: axes compares one ``AXES_FAILURE_LIMIT``
  with the largest failure count among the ``AXES_LOCKOUT_PARAMETERS``; this handler lets
  the address have its own, higher limit (``AXES_ADDRESS_FAILURE_LIMIT``) because a whole
  commune office often shares one public address, while one account keeps a low limit.
"""

from __future__ import annotations

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum


def _valid_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_ip(request) -> str | None:
    """The address of the client, trusting only the configured number of proxies."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if not forwarded:
        return remote
    # Fewer entries than proxies: every entry was added by a trusted proxy; the left-most
    # is the closest to the client.
    candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    return candidate if _valid_ip(candidate) else remote


class LoginAttemptHandler(AxesDatabaseHandler):
    """Axes' database handler with a separate failure limit for the ``ip_address``
    parameter (``AXES_ADDRESS_FAILURE_LIMIT``); every other parameter keeps
    ``AXES_FAILURE_LIMIT``. Either one reaching its limit locks the login."""

    def get_failures(self, request, credentials=None) -> int:
        limit = get_failure_limit(request, credentials)
        address_limit = getattr(settings, "AXES_ADDRESS_FAILURE_LIMIT", limit)
        parameters = get_lockout_parameters(request, credentials)
        worst = 0
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if parameter == "ip_address":
                # Report the address's count on the username scale that axes compares.
                failures = max(failures, limit) if failures >= address_limit else 0
            worst = max(worst, failures)
        return worst
