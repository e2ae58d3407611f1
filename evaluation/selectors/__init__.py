"""Every read the evaluation UI, a report or a task needs, with its query shape.

Import from here (``from evaluation import selectors``). Visibility is part of each
selector: a row outside the user's scope is simply absent (the view answers 404).
"""

from .aggregation import (
    DISAGREEMENT_SPREAD_SHARE,
    DISAGREEMENT_STDDEV_SHARE,
    EntryResult,
    counted_sheets,
    entry_results,
    round_fits,
)
from .calibration import (
    MIN_SHEETS_FOR_LENIENCY,
    CalibrationSummary,
    GroupCalibration,
    ReviewerLeniency,
    calibration_summary,
    summarise,
)
from .criteria import CriterionStat, criterion_stats, round_criteria
from .drilldown import WIDE_CRITERION_SPREAD_SHARE, EntrySheets, entry_sheets
from .feedback import (
    CriterionFeedback,
    result_feedback,
    results_of_model,
    results_visible_to,
    with_ranked_count,
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
from .reviewers import ReviewerStat
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
    "MIN_SHEETS_FOR_LENIENCY",
    "WIDE_CRITERION_SPREAD_SHARE",
    "CalibrationSummary",
    "CriterionFeedback",
    "CriterionStat",
    "EntryResult",
    "EntrySheets",
    "GroupCalibration",
    "ReviewerLeniency",
    "ReviewerStat",
    "assignment_candidates",
    "assignment_matrix",
    "calibration_summary",
    "committee_candidates",
    "committee_detail",
    "committee_list",
    "counted_sheets",
    "criterion_stats",
    "entry_results",
    "entry_sheets",
    "final_policy",
    "final_results",
    "followable_units",
    "live_policy",
    "managing_units",
    "pending_conflicts",
    "result_feedback",
    "results_for_unit",
    "results_of_model",
    "results_visible_to",
    "reviewer_queue",
    "reviewer_queue_summary",
    "reviewer_stats",
    "round_criteria",
    "round_detail",
    "round_entries",
    "round_fits",
    "round_list",
    "round_results",
    "rounds_visible_to",
    "rubric_detail",
    "rubric_is_frozen",
    "rubric_list",
    "rubrics_visible_to",
    "sheet_detail",
    "sheets_visible_to",
    "summarise",
    "with_ranked_count",
]
