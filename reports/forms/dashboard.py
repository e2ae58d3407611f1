"""The leaders' dashboard's filters (a GET form): the year (a campaign reaching the user),
the locality (a unit of the user's scope; offered: the units directly below its root) and
the top-level field. ``filters()`` gives ``reports.dashboard.data.Filters``."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danvan.db import vi_order
from danvan.models import Unit
from danvan.utils import vietnamese_sort_key
from models_registry.models import Campaign, Field
from models_registry.selectors import campaign_current_for, campaigns_for_unit

from ..dashboard.data import Filters

YEAR_REFUSED = _("Choose the year of a campaign your unit takes part in.")
LOCALITY_REFUSED = _("Choose a locality or unit within your scope.")
FIELD_REFUSED = _("Choose one of the fields listed.")


def dashboard_campaigns(user) -> tuple[list[Campaign], Campaign | None]:
    """The campaigns whose dashboard ``user`` may open, newest first: those reaching the
    user's unit (organised by it or a unit above it), every campaign for an administrator
    without a unit, plus the one ``campaign_current_for`` falls back to; and that current
    campaign (the default; None when there is no campaign at all)."""
    if user.unit_id is not None:
        campaigns = list(campaigns_for_unit(unit=user.unit).select_related("organiser"))
    elif user.is_superuser:
        campaigns = list(Campaign.objects.select_related("organiser").order_by("-year"))
    else:
        return [], None
    campaigns.sort(key=lambda c: (-c.year, c.pk))  # one order for two campaigns of a year
    current = campaign_current_for(user=user)
    if current is None:
        return campaigns, campaigns[0] if campaigns else None
    listed = next((c for c in campaigns if c.pk == current.pk), None)
    if listed is None:
        campaigns.insert(0, current)
    return campaigns, listed or current


class DashboardFilterForm(forms.Form):
    """Build with the query string (bound even when empty) and ``user=``. Every value is
    optional: no year is the user's current campaign, no locality the whole scope, no
    field every field. A value outside the choices is refused at its field."""

    year = forms.TypedChoiceField(
        label=_("Year"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={
            "invalid_choice": _("Choose the year of a campaign your unit takes part in.")
        },
    )
    locality = forms.TypedChoiceField(
        label=_("Locality"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": LOCALITY_REFUSED},
    )
    field = forms.ModelChoiceField(
        label=_("Field"),
        queryset=Field.objects.filter(parent=None, active=True).order_by(
            "position", vi_order("name")
        ),
        required=False,
        empty_label=_("All fields"),
        error_messages={"invalid_choice": FIELD_REFUSED},
    )

    def __init__(self, data=None, *args, user, **kwargs):
        self.user = user
        campaigns, self.default = dashboard_campaigns(user)
        self.campaigns = {c.pk: c for c in campaigns}
        data = data.copy() if data is not None else {}
        if not data.get("year") and self.default is not None:
            data["year"] = str(self.default.pk)
        super().__init__(data, *args, **kwargs)
        years = [c.year for c in campaigns]
        self.fields["year"].choices = [
            (c.pk, str(c.year) if years.count(c.year) == 1 else f"{c.year} – {c.organiser.name}")
            for c in campaigns
        ]
        self.units = self._localities(self._chosen_campaign(data), data.get("locality"))
        self.fields["locality"].choices = [("", _("All localities"))] + [
            (unit.pk, unit.name) for unit in self.units.values()
        ]

    @property
    def has_campaign(self) -> bool:
        """False when no campaign reaches the user (nothing to show, nothing to choose)."""
        return bool(self.campaigns)

    def _chosen_campaign(self, data) -> Campaign | None:
        try:
            return self.campaigns.get(int(data.get("year")), self.default)
        except (TypeError, ValueError):
            return self.default

    def scope_root_id(self, campaign: Campaign | None) -> int | None:
        """The unit whose direct subunits are the localities: the user's scope's root (an
        administrator without a unit: the campaign's organiser)."""
        if self.user.scope_unit_id is not None:
            return self.user.scope_unit_id
        return campaign.organiser_id if campaign is not None else None

    def _localities(self, campaign: Campaign | None, submitted) -> dict[int, Unit]:
        """The units directly below the scope's root that existed during the campaign, in
        Vietnamese order; plus the submitted unit when it lies deeper in the scope (a
        locality opened from the dashboard's grid)."""
        root = self.scope_root_id(campaign)
        if root is None:
            return {}
        existing = Q(active=True)
        if campaign is not None:
            existing |= Q(valid_to__gte=campaign.registration_opens)
        units = list(Unit.objects.filter(existing, parent_id=root).only("pk", "name"))
        units.sort(key=lambda unit: (vietnamese_sort_key(unit.name), unit.pk))
        chosen = {unit.pk: unit for unit in units}
        try:
            pk = int(submitted) if submitted else None
        except (TypeError, ValueError):
            pk = None
        if pk is not None and pk not in chosen:
            deeper = (
                Unit.objects.descendants(root, include_self=False)
                .filter(pk=pk)
                .only("pk", "name")
                .first()
            )
            if deeper is not None:
                chosen[deeper.pk] = deeper
        return chosen

    def filters(self) -> Filters | None:
        """The validated filters, or None when the form is invalid (the errors are at the
        fields) or no campaign reaches the user."""
        if not self.has_campaign or not self.is_valid():
            return None
        data = self.cleaned_data
        locality = data.get("locality")
        return Filters(
            campaign=self.campaigns.get(data.get("year")) or self.default,
            locality=self.units.get(locality) if locality is not None else None,
            field=data.get("field"),
        )
