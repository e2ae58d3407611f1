"""Every write and workflow transition of the evaluation stage, one module per family.

Import from here (``from evaluation import services``; ``services.round_finalise``): the
split into modules is an implementation detail. Refusals raise ``EvaluationError`` (a
message for the user, shown as is, keyed by form field or row where it belongs);
role permissions are checked by the views with ``evaluation.rules``, while the services
enforce what must hold whoever calls them (the assignee scores their own sheet, states,
windows, conflicts).
"""

from ..policy import sheet_deadline, sheet_edit_refusal
from .assignments import (
    AutoAssignment,
    BulkAssignment,
    ConflictResolution,
    assignment_add,
    assignment_declare_conflict,
    assignment_remove,
    assignment_resolve_conflict,
    assignments_add_bulk,
    assignments_auto,
)
from .base import DomainError, EvaluationError, StaleEditError
from .committees import committee_create, committee_member_add, committee_member_update
from .results import result_set_exemplary, round_finalise, round_lock_results, round_nominate
from .rounds import (
    ROUND_FIELDS,
    Population,
    round_create,
    round_editable_fields,
    round_entry_remove,
    round_open,
    round_populate_entries,
    round_update,
)
from .rubrics import (
    RubricErrors,
    rubric_clone,
    rubric_create,
    rubric_create_default,
    rubric_is_frozen,
    rubric_new_version,
    rubric_save,
    rubric_save_criteria,
    rubric_save_tiers,
    rubric_update,
    rubric_validate,
)
from .scoring import (
    COMMENT_MAX,
    OVERALL_COMMENT_MAX,
    SheetIncompleteError,
    clean_points,
    sheet_missing_criteria,
    sheet_reopen,
    sheet_save_overall,
    sheet_save_score,
    sheet_submit,
)

__all__ = [
    "COMMENT_MAX",
    "OVERALL_COMMENT_MAX",
    "ROUND_FIELDS",
    "AutoAssignment",
    "BulkAssignment",
    "ConflictResolution",
    "DomainError",
    "EvaluationError",
    "Population",
    "RubricErrors",
    "SheetIncompleteError",
    "StaleEditError",
    "assignment_add",
    "assignment_declare_conflict",
    "assignment_remove",
    "assignment_resolve_conflict",
    "assignments_add_bulk",
    "assignments_auto",
    "clean_points",
    "committee_create",
    "committee_member_add",
    "committee_member_update",
    "result_set_exemplary",
    "round_create",
    "round_editable_fields",
    "round_entry_remove",
    "round_finalise",
    "round_lock_results",
    "round_nominate",
    "round_open",
    "round_populate_entries",
    "round_update",
    "rubric_clone",
    "rubric_create",
    "rubric_create_default",
    "rubric_is_frozen",
    "rubric_new_version",
    "rubric_save",
    "rubric_save_criteria",
    "rubric_save_tiers",
    "rubric_update",
    "rubric_validate",
    "sheet_deadline",
    "sheet_edit_refusal",
    "sheet_missing_criteria",
    "sheet_reopen",
    "sheet_save_overall",
    "sheet_save_score",
    "sheet_submit",
]
