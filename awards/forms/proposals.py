"""Forms of the proposal pages; saving goes through ``awards.services`` (``proposal_*``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import AwardType
from .recipients import RecipientForm


class RoundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.scope_unit.name})"


class ProposalCreateForm(forms.Form):
    """Open a proposal from a finalised round (``rounds``: the choosable ones)."""

    round = RoundChoiceField(
        label=_("Finalised round"),
        queryset=None,
        empty_label=None,
        error_messages={
            "invalid_choice": _(
                "Choose a finalised round in your scope: only a finalised round can be "
                "proposed for awards."
            ),
        },
        help_text=_("Its exemplary and recognised models become the first lines."),
    )
    award_type = forms.ModelChoiceField(
        label=_("Award type of the lines"),
        queryset=AwardType.objects.none(),
        empty_label=None,
        help_text=_("Each line's award type can be changed afterwards."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Leave empty for the usual title followed by the round's name."),
    )

    def __init__(self, *args, rounds, award_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["award_type"].queryset = award_types


class ProposalLineForm(RecipientForm):
    """A line of a proposal: the recipient form plus its place in the list."""

    position = forms.IntegerField(
        label=_("Position in the list"),
        min_value=0,
        max_value=100_000,
        help_text=_("Lines are listed by this number."),
    )
