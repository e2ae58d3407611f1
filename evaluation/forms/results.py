"""The results page's search, filters and sort (``views.manage.results``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.db import vi_order
from danvan.enums import UnitKind
from models_registry.enums import ModelKind
from models_registry.models import Field

from ..enums import RubricAppliesTo


class ResultsFilterForm(forms.Form):
    """The results page's search, filters and sort (GET). The tier choices come from the
    round's ``RoundRubrics`` (already read for the scores, so no query of their own);
    a finalised round adds the "exemplary" flag, which only finalised results carry."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    unit_kind = forms.ChoiceField(label=_("Unit kind"), required=False)
    field = forms.ModelChoiceField(
        label=_("Field"), queryset=None, required=False, empty_label=_("All fields")
    )
    model_kind = forms.ChoiceField(label=_("Kind"), required=False)
    group = forms.ChoiceField(label=_("Rubric group"), required=False)
    tier = forms.TypedChoiceField(label=_("Tier"), required=False, coerce=int, empty_value=None)
    flag = forms.ChoiceField(label=_("Only"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args, round, rubrics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"placeholder": _("Model or unit name")})
        self.fields["unit_kind"].choices = [("", _("All units"))] + [
            (k.value, k.label)
            for k in UnitKind
            if k not in (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.RESIDENTIAL)
        ]
        self.fields["model_kind"].choices = [("", _("All kinds"))] + [
            (k.value, k.label) for k in ModelKind if k in round.model_kinds
        ]
        self.fields["field"].queryset = Field.objects.filter(parent__isnull=True).order_by(
            "position", vi_order("name")
        )
        groups = [g for g in RubricAppliesTo if g.value in rubrics.by_group]
        self.two_groups = len(groups) > 1
        self.fields["group"].choices = [("", _("Both groups"))] + [
            (g.value, g.label) for g in groups
        ]
        self.tiers = rubrics.all_tiers()
        self.fields["tier"].choices = [("", _("All tiers"))] + [
            (pk, f"{tier} · {tier.rubric.get_applies_to_display()}" if self.two_groups else tier)
            for pk, tier in self.tiers.items()
        ]
        flags = [
            ("", _("All results")),
            ("disagreement", _("Reviewers disagree")),
            ("tier_changed", _("Raw score reaches another tier")),
            ("recognised", _("Recognised")),
        ]
        if round.is_finalised:
            flags.append(("exemplary", _("Exemplary")))
        self.fields["flag"].choices = flags
        self.fields["sort"].choices = [
            ("rank", _("Rank")),
            ("name", _("Model name")),
            ("unit", _("Unit name")),
            ("stddev", _("Largest disagreement first")),
        ]

    def filters(self) -> dict:
        """The filters for ``selectors.live_results_page`` / ``final_results_page`` (none
        when the input is invalid), with the tier both as ``tier`` (pk) and ``tier_name``."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        tier = self.tiers.get(data.get("tier"))
        return {
            "unit_kind": data.get("unit_kind") or None,
            "field": data.get("field"),
            "model_kind": data.get("model_kind") or None,
            "group": data.get("group") or None,
            "tier": tier.pk if tier else None,
            "tier_name": tier.name if tier else None,
            "flag": data.get("flag") or None,
            "search": data.get("q") or "",
        }

    def ordering(self) -> str:
        return (self.cleaned_data.get("sort") if self.is_valid() else None) or "rank"
