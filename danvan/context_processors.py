"""Template context every page needs: the site title and the menu for the user."""

from django.conf import settings
from django.utils.translation import gettext as _

from .extensions import menu_bar, menu_for


def site(request):
    # Computed once per request: a view that renders several templates with the request
    # (a page and its htmx fragments, error pages) asks the menu's permissions once.
    if not hasattr(request, "_danvan_site"):
        request._danvan_site = _site(request)
    return request._danvan_site


def _site(request) -> dict:
    user = request.user
    items = menu_for(user)
    active = active_item(items, request.path)
    return {
        "site_title": settings.SITE_TITLE or _('"Dan Van Kheo" movement registry'),
        # The navbar has room for the movement's name only once the menu is long.
        "site_short_title": settings.SITE_TITLE or _('"Dan Van Kheo"'),
        "nav_items": items,
        "nav_bar": menu_bar(items, active),
        "active_nav": active,
    }


def active_item(items: list[dict], path: str) -> str:
    """The menu item whose URL is the longest prefix of ``path`` ("" for none)."""
    best, best_length = "", 0
    for item in items:
        url = item["url"]
        matches = path == url if url == "/" else path.startswith(url)
        if matches and len(url) > best_length:
            best, best_length = item["name"], len(url)
    return best
