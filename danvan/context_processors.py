"""Template context every page needs: the site title and the menu for the user."""

from django.conf import settings
from django.utils.translation import gettext as _

from .navigation import menu_for


def site(request):
    user = request.user
    return {
        "site_title": settings.SITE_TITLE or _('"Dan Van Kheo" movement registry'),
        "nav_items": menu_for(user),
    }
