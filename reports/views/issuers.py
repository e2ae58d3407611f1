"""Issuer profiles: the versions by validity dates (the one in force today marked), adding
one and correcting one. The secretariat manages them (``reports.manage_issuer``); nobody
else sees these pages (404). A profile of a unit outside the user's scope answers 404."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from danvan.dates import today
from danvan.db import vi_order
from danvan.selectors import filter_to_scope, units_in_scope
from danvan.web import object_or_404, refusals, require

from .. import services
from ..forms import IssuerProfileForm
from ..models import IssuerProfile
from .common import posted


def _profiles(user):
    return filter_to_scope(IssuerProfile.objects.select_related("unit", "updated_by"), user=user)


def issuer_list(request):
    require(request.user, "reports.manage_issuer")
    day = today()
    profiles = list(
        _profiles(request.user).order_by(vi_order("unit__name"), "unit_id", "-valid_from")
    )
    for profile in profiles:
        profile.in_force = profile.valid_from <= day and (
            profile.valid_to is None or profile.valid_to >= day
        )
    return render(request, "reports/issuer_list.html", {"profiles": profiles, "today": day})


def _issuer_form(request, profile=None):
    user = request.user
    extra = {} if profile is not None else {"initial": {"unit": user.unit_id}}
    return IssuerProfileForm(
        posted(request),
        units=units_in_scope(user=user).order_by(vi_order("name")),
        profile=profile,
        **extra,
    )


def issuer_create(request):
    require(request.user, "reports.manage_issuer")
    form = _issuer_form(request)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            services.issuer_profile_save(data=form.service_data(), by=request.user)
        if outcome.ok:
            messages.success(request, _("The issuer profile has been saved."))
            return redirect("reports:issuer_list")
    return render(request, "reports/issuer_form.html", {"form": form, "profile": None})


def issuer_update(request, pk):
    require(request.user, "reports.manage_issuer")
    profile = object_or_404(_profiles(request.user).get, pk=pk)
    form = _issuer_form(request, profile)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            services.issuer_profile_save(data=form.service_data(), by=request.user, profile=profile)
        if outcome.ok:
            messages.success(request, _("The issuer profile has been saved."))
            return redirect("reports:issuer_list")
    return render(request, "reports/issuer_form.html", {"form": form, "profile": profile})
