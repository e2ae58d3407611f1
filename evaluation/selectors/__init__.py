"""Every read the evaluation UI, a report or a task needs, with its query shape.

Import from here (``from evaluation import selectors``). Visibility is part of each
selector: a row outside the user's scope is simply absent (the view answers 404).
"""

from .aggregation import (
    DISAGREEMENT_SPREAD_SHARE,
    DISAGREEMENT_STDDEV_SHARE,
    EntryResult,
    entry_results,
)
from .results import (
    final_policy,
    final_results,
    live_policy,
    pending_conflicts,
    results_for_unit,
    reviewer_stats,
    round_results,
)
from .rounds import (
    assignment_candidates,
    assignment_matrix,
    round_detail,
    round_entries,
    round_list,
    rounds_visible_to,
)
from .rubrics import (
    committee_candidates,
    committee_detail,
    committee_list,
    followable_units,
    managing_units,
    rubric_detail,
    rubric_is_frozen,
    rubric_list,
    rubrics_visible_to,
)
from .scoring import reviewer_queue, reviewer_queue_summary, sheet_detail, sheets_visible_to

__all__ = [
    "DISAGREEMENT_SPREAD_SHARE",
    "DISAGREEMENT_STDDEV_SHARE",
    "EntryResult",
    "assignment_candidates",
    "assignment_matrix",
    "committee_candidates",
    "committee_detail",
    "committee_list",
    "entry_results",
    "final_policy",
    "final_results",
    "followable_units",
    "live_policy",
    "managing_units",
    "pending_conflicts",
    "results_for_unit",
    "reviewer_queue",
    "reviewer_queue_summary",
    "reviewer_stats",
    "round_detail",
    "round_entries",
    "round_list",
    "round_results",
    "rounds_visible_to",
    "rubric_detail",
    "rubric_is_frozen",
    "rubric_list",
    "rubrics_visible_to",
    "sheet_detail",
    "sheets_visible_to",
]
