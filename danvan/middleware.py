"""Site-wide middleware."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject, empty


class VietnameseByDefaultMiddleware:
    """Serve Vietnamese unless the user chose another language with the switcher.

    Many officials' browsers are set to English; the browser's Accept-Language header
    must not turn a Vietnamese Party commission's site into English. Django's
    LocaleMiddleware then falls back to the language cookie and ``LANGUAGE_CODE``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """``Permissions-Policy`` on every response, and ``Cache-Control: no-store`` on every
    response that may carry personal data (docs/security.md, "What is not stored").

    *no-store* applies to

    * every response to a signed-in user: each page shows data scoped to that user, and a
      commune office often shares one computer — the browser must not keep it on disk or
      show it again with the back button after logging out;
    * every file sent as a download (``Content-Disposition: attachment``): exports, reports,
      evidence files, decisions, whoever asked.

    The user counts as signed in only when the request looked at it (``request.user`` was
    evaluated): a response that never did cannot depend on who asked, and a failed database
    (the 500 page) is not asked again here. Anonymous pages (the login page, which Django
    already marks never-cache, and the public library with its published photos) keep what
    their view says. Static files never reach this middleware (WhiteNoise answers first) and
    keep their long cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in getattr(settings, "PERMISSIONS_POLICY", {}).items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if _signed_in(request) or _is_download(response):
            response["Cache-Control"] = "no-store"
            # It replaces what the view said (a photo's max-age, never_cache's Expires).
            response.headers.pop("Expires", None)
        return response


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return False
    return bool(user is not None and user.is_authenticated)


def _is_download(response) -> bool:
    return response.get("Content-Disposition", "").lower().startswith("attachment")
