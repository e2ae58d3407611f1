"""Shared arrangements for the evaluation tests."""

from evaluation import services
from tests.factories import CommitteeMemberFactory, RoundEntryFactory
from tests.factories.evaluation import accepted_model, fill_sheet, open_round, sheet_of


def scored_round(round_, committee, scores, *, by, unit=None, **model_kwargs):
    """Entries of ``round_`` scored by new committee members, then the round is open.

    ``scores[e][r]`` is the total reviewer ``r`` gives entry ``e`` (None: not assigned).
    Returns ``(entries, members)``.
    """
    width = max(len(row) for row in scores)
    members = [CommitteeMemberFactory(committee=committee) for _ in range(width)]
    entries = [
        RoundEntryFactory(
            round=round_,
            dvk_model=accepted_model(round_.campaign, reviewer=by, unit=unit, **model_kwargs),
        )
        for _ in scores
    ]
    if round_.status == "draft":
        open_round(round_, by=by)
    for entry, row in zip(entries, scores, strict=True):
        for member, total in zip(members, row, strict=False):
            if total is None:
                continue
            assignment = services.assignment_add(entry=entry, reviewer=member.user, by=by)
            fill_sheet(sheet_of(assignment), total)
    return entries, members
