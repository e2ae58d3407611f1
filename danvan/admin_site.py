"""The administration site belongs to the administrators (superusers), nobody else.

The admin shows every row of the province without the scope filter the product's pages
apply, and the permissions the roles hold (the secretariat's ``view_user``,
``view_dvkmodel`` …) are meant for those pages: a secretariat officer given "staff status"
would read every account's and every model's personal data there. So the one rule is
here, for every admin URL, instead of per ``ModelAdmin``:

* an administrator (active, staff and superuser) gets the admin as Django builds it;
* any other signed-in user gets 404 on every admin URL (as the product answers a page that
  is not theirs), the sign-in and sign-out pages included;
* an anonymous visitor is sent to the site's one sign-in page (``LOGIN_URL``: the
  ``LoginRequiredMiddleware`` for every admin view, the admin's own login URL too).

This module is imported while ``INSTALLED_APPS`` is read (``AdminConfig`` below): it must
not import models.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as BaseAdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache


def is_administrator(user) -> bool:
    """May use the administration site (what the menu's "Administration" item should ask)."""
    return bool(user.is_active and user.is_staff and user.is_superuser)


class AdministratorsSite(admin.AdminSite):
    def has_permission(self, request):
        return is_administrator(request.user)

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        @wraps(guarded)
        def inner(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise Http404
            return guarded(request, *args, **kwargs)

        return inner

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        """No second sign-in form: the site's page (lockout, password rules) serves both."""
        index = reverse("admin:index", current_app=self.name)
        if request.user.is_authenticated:
            if not self.has_permission(request):
                raise Http404
            return HttpResponseRedirect(index)
        # django.contrib.auth.views imports the user model: not while the apps load.
        from django.contrib.auth.views import redirect_to_login

        # The sign-in page checks that ``next`` stays on this site before following it.
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or index)


class AdminConfig(BaseAdminConfig):
    """``django.contrib.admin`` with ``AdministratorsSite`` as ``admin.site``."""

    default_site = "danvan.admin_site.AdministratorsSite"
