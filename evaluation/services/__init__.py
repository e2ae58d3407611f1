"""Every write and workflow transition of the evaluation stage, one module per family.

Import from here (``from evaluation import services``; ``services.round_finalise``): the
split into modules is an implementation detail. Refusals raise ``EvaluationError`` (a
message for the user, shown as is) or Django's ``ValidationError`` keyed by form field;
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
from .rounds import (
    Population,
    result_set_exemplary,
    round_create,
    round_entry_remove,
    round_finalise,
    round_lock_results,
    round_nominate,
    round_open,
    round_populate_entries,
    round_update,
)
from .rubrics import (
    RowErrors,
    RowsValidationError,
    RubricErrors,
    rubric_clone,
    rubric_create,
    rubric_create_default,
    rubric_is_frozen,
    rubric_new_version,
    rubric_save_criteria,
    rubric_save_tiers,
    rubric_update,
    rubric_validate,
)
from .scoring import (
    clean_points,
    sheet_missing_criteria,
    sheet_reopen,
    sheet_save_overall,
    sheet_save_score,
    sheet_submit,
)

__all__ = [
    "DomainError",
    "AutoAssignment",
    "BulkAssignment",
    "ConflictResolution",
    "EvaluationError",
    "Population",
    "RowErrors",
    "RowsValidationError",
    "RubricErrors",
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
