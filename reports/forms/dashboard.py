"""The leaders' dashboard's filters (a GET form): the year (a campaign reaching the user),
the locality (a unit of the user's scope; offered: the units directly below its root) and
the top-level field. ``filters()`` gives ``reports.dashboard.data.Filters``.

The form reads what it validates against once — the campaigns, the scope's unit tree, the
top-level fields — and hands it to the dashboard (``loaded``), which reads none of it again:
three queries for the whole form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.dates import today
from danvan.db import vi_order
from danvan.models import Unit
from danvan.selectors import ancestor_pks
from danvan.utils import vietnamese_sort_key
from models_registry.models import Campaign, Field
from models_registry.selectors import campaign_current_for

from .. import statistics
from ..dashboard.data import Filters, Loaded

YEAR_REFUSED = _("Choose the year of a campaign your unit takes part in.")
LOCALITY_REFUSED = _("Choose a locality or unit within your scope.")
FIELD_REFUSED = _("Choose one of the fields listed.")


def dashboard_campaigns(user) -> tuple[list[Campaign], Campaign | None, bool]:
    """The campaigns whose dashboard ``user`` may open, newest first: those reaching the
    user's unit (organised by it or a unit above it), every campaign for an administrator
    without a unit, plus the one ``campaign_current_for`` falls back to; and that current
    campaign (the default; None when there is no campaign at all); and whether the list
    holds every campaign of each organiser in it (not the fallback). One query: the current
    campaign is picked from the list as ``campaign_current_for`` picks it (the newest
    whose registration has opened, else the newest); only a user whom no campaign
    reaches asks ``campaign_current_for`` for its fallback."""
    if user.unit_id is not None:
        reaching = Campaign.objects.filter(organiser_id__in=ancestor_pks(user.unit_id))
    elif user.is_superuser:
        reaching = Campaign.objects.all()
    else:
        return [], None, True
    campaigns = list(reaching.select_related("organiser"))
    campaigns.sort(key=lambda c: (-c.year, c.pk))  # one order for two campaigns of a year
    if campaigns and user.unit_id is None:
        return campaigns, campaigns[0], True
    if campaigns:
        opened = [c for c in campaigns if c.registration_opens <= today()]
        return campaigns, (opened or campaigns)[0], True
    current = campaign_current_for(user=user)
    return ([current], current, False) if current is not None else ([], None, True)


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
    # The active top-level fields, read once (``top_fields``) for the choices, the cleaned
    # value and the dashboard's rows.
    field = forms.TypedChoiceField(
        label=_("Field"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": FIELD_REFUSED},
    )

    def __init__(self, data=None, *args, user, **kwargs):
        self.user = user
        campaigns, self.default, self._every_campaign = dashboard_campaigns(user)
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
        campaign = self._chosen_campaign(data)
        root = self.scope_root_id(campaign)
        self.tree = statistics.load_tree(root) if root is not None else None
        self.units = self._localities(campaign, data.get("locality"))
        self.fields["locality"].choices = [("", _("All localities"))] + [
            (unit.pk, unit.name) for unit in self.units.values()
        ]
        self.top_fields = {
            f.pk: f
            for f in Field.objects.filter(parent=None, active=True)
            .order_by("position", vi_order("name"))
            .only("pk", "name", "parent_id", "position", "active")
        }
        self.fields["field"].choices = [("", _("All fields"))] + [
            (f.pk, f.name) for f in self.top_fields.values()
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
        locality opened from the dashboard's grid). Read from ``tree`` (no query)."""
        tree = self.tree
        if tree is None:
            return {}
        opens = campaign.registration_opens if campaign is not None else None
        units = [
            unit
            for unit in tree.units.values()
            if unit.parent_id == tree.root_id
            and unit.pk != tree.root_id
            and (unit.active or (opens is not None and unit.valid_to and unit.valid_to >= opens))
        ]
        units.sort(key=lambda unit: (vietnamese_sort_key(unit.name), unit.pk))
        try:
            pk = int(submitted) if submitted else None
        except (TypeError, ValueError):
            pk = None
        if pk is not None and pk != tree.root_id and pk in tree.units:
            deeper = tree.units[pk]
            if deeper not in units:
                units.append(deeper)
        # The filters carry units (as ``Unit.objects`` would give them: id and name).
        return {unit.pk: Unit(pk=unit.pk, name=unit.name) for unit in units}

    def filters(self) -> Filters | None:
        """The validated filters, or None when the form is invalid (the errors are at the
        fields) or no campaign reaches the user."""
        if not self.has_campaign or not self.is_valid():
            return None
        data = self.cleaned_data
        locality = data.get("locality")
        field = data.get("field")
        return Filters(
            campaign=self.campaigns.get(data.get("year")) or self.default,
            locality=self.units.get(locality) if locality is not None else None,
            field=self.top_fields.get(field) if field is not None else None,
        )

    def loaded(self, filters: Filters) -> Loaded:
        """What the form read that the dashboard of ``filters`` needs too."""
        campaign = filters.campaign
        # The list holds the organiser's every campaign, so last year's too if there is one.
        known = self._every_campaign and campaign.pk in self.campaigns
        return Loaded(
            tree=self.tree,
            fields=[(f.pk, f.name) for f in self.top_fields.values()],
            previous=(
                next(
                    (
                        c
                        for c in self.campaigns.values()
                        if c.organiser_id == campaign.organiser_id and c.year == campaign.year - 1
                    ),
                    None,
                )
                if known
                else Loaded.UNKNOWN
            ),
        )
