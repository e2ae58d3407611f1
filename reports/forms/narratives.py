"""The narrative of a report: the six sections the figures cannot write.

The length limit and the stale-edit guard are the service's (``narrative_save``): the form
only carries the text and the version it was opened with.
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ..models import NARRATIVE_FIELDS, ReportNarrative

PARAGRAPH_HELP = _("Leave a blank line between paragraphs: each becomes a paragraph of the report.")


class NarrativeForm(forms.Form):
    """``leadership`` … ``proposals`` (``NARRATIVE_FIELDS``) and the hidden ``version``."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, narrative: ReportNarrative, **kwargs):
        kwargs.setdefault(
            "initial",
            {"version": narrative.version, **{n: getattr(narrative, n) for n in NARRATIVE_FIELDS}},
        )
        super().__init__(*args, **kwargs)
        for name in NARRATIVE_FIELDS:
            self.fields[name] = forms.CharField(
                label=capfirst(ReportNarrative._meta.get_field(name).verbose_name),
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 8}),
            )

    def sections(self) -> dict:
        return {name: self.cleaned_data[name] for name in NARRATIVE_FIELDS}
