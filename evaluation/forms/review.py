"""Forms of the committee members' pages: one small form per criterion (saved as you go),
the overall comment (saved as you go, and with the submission), and the declaration of a
conflict of interest.

Points are taken as text (a text input with a decimal keypad, never ``type=number``, which
drops "7,5" or turns it into 75 depending on the browser's language):
``services.sheet_save_score`` parses them ("7,5" and "7.5" alike) and gives the messages
for non-numbers, out-of-range values and steps, so the form does not repeat those rules.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..policy import format_points
from ..services import COMMENT_MAX, OVERALL_COMMENT_MAX


def points_text(value) -> str:
    """Points as the input shows them, the way the rest of the sheet writes numbers:
    "12,5", "10" (never "10.00") in Vietnamese."""
    if value is None or value == "":
        return ""
    return format_points(value)


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
        self.fields["points"].widget = forms.TextInput(
            attrs={
                "class": "form-control score-input",
                "inputmode": "decimal",
                "autocomplete": "off",
                "data-max": points_text(criterion.max_points),
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
    """The overall comment and the sheet's version when it was last saved: posted by its
    autosave and Save button, and by "Submit" (the one form holds both)."""

    overall_comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        max_length=OVERALL_COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class SheetSubmitForm(OverallCommentForm):
    """What "Submit" posts: the overall comment as typed and its version. A POST without
    the comment (a page from before it was part of the submission) leaves it unchanged."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = False

    def clean(self):
        cleaned = super().clean()
        if "overall_comment" not in self.data:
            cleaned["overall_comment"] = None
        return cleaned


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
