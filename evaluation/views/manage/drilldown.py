"""The drill-down from a result row: every sheet of one entry side by side. It names the
reviewers, so it is the secretariat's (``evaluation.view_live_results``), for open and
finalised rounds alike."""

from django.shortcuts import render

from danvan.web import object_or_404

from ... import selectors
from .common import round_or_404


def entry_sheets(request, pk, entry_pk):
    detail = round_or_404(request, pk, "evaluation.view_live_results")
    round_ = detail["round"]
    sheets = object_or_404(selectors.entry_sheets, round=round_, entry_id=entry_pk)
    context = {
        **detail,
        "data": sheets,
        "wide_share": f"{selectors.WIDE_CRITERION_SPREAD_SHARE * 100:.0f}%",
    }
    return render(request, "evaluation/manage/entry_sheets.html", context)
