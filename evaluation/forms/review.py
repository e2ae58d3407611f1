"""Forms of the committee members' pages: one small form per criterion (saved as you go),
the overall comment, and the declaration of a conflict of interest.

Points are taken as text: ``services.sheet_save_score`` parses them ("12,5" too) and gives
the messages for non-numbers, out-of-range values and steps, so the form does not repeat
those rules.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..services.scoring import COMMENT_MAX


def points_text(value) -> str:
    """Points as the number input shows them: ``12.5``, ``10`` (never ``10.00``)."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


class CriterionScoreForm(forms.Form):
    """Points and comment of one criterion; field ids carry the criterion's id so that
    many of these forms can share a page."""

    points = forms.CharField(label=_("Points"), required=False, max_length=20)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, criterion, **kwargs):
        kwargs.setdefault("auto_id", f"id_c{criterion.pk}_%s")
        super().__init__(*args, **kwargs)
        self.criterion = criterion
        self.fields["points"].widget = forms.NumberInput(
            attrs={
                "class": "form-control score-input",
                "step": "0.5",
                "min": "0",
                "max": points_text(criterion.max_points),
                "inputmode": "decimal",
                "aria-describedby": f"c{criterion.pk}-max c{criterion.pk}-points-error",
            }
        )
        self.fields["comment"].widget.attrs.update(
            {
                "class": "form-control",
                "aria-describedby": f"c{criterion.pk}-comment-error",
            }
        )

    @classmethod
    def for_criterion(cls, criterion) -> "CriterionScoreForm":
        """An unbound form showing what the sheet holds (``criterion`` annotated by
        ``selectors.sheet_detail`` with ``score_points`` and ``score_comment``)."""
        return cls(
            criterion=criterion,
            initial={
                "points": points_text(criterion.score_points),
                "comment": criterion.score_comment,
            },
        )


class OverallCommentForm(forms.Form):
    overall_comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can you not score this model impartially?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please explain the conflict of interest.")},
        help_text=_(
            "For example: you work in the unit that runs the model, or a close relative "
            "of yours leads it. The secretariat decides and gives the model to someone else."
        ),
    )
