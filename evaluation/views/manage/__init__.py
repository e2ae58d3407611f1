"""The secretariat's pages, one module per family: rubrics, committees, rounds,
assignments, results.

Each view: permission → selector → form → service → message → redirect. Objects outside
the user's scope answer 404 (never 403) so that ids cannot be probed; transitions are
POST-only; a service's refusal reaches the user through ``danvan.web.refusals``.
``evaluation.urls_manage`` routes to the names re-exported here.
"""

from .assignments import (
    assignment_remove,
    assignment_resolve,
    assignments_auto,
    assignments_bulk,
    round_assignments,
    sheet_reopen,
)
from .committees import (
    committee_create,
    committee_detail,
    committee_list,
    member_deactivate,
    member_update,
)
from .drilldown import entry_sheets
from .reminders import round_remind
from .results import (
    result_exemplary,
    result_nominate,
    round_finalise,
    round_results,
    round_results_reviewers,
)
from .rounds import (
    round_create,
    round_detail,
    round_entry_remove,
    round_list,
    round_open,
    round_populate,
    round_update,
)
from .rubrics import rubric_create, rubric_detail, rubric_list, rubric_new_version

__all__ = [
    "assignment_remove",
    "assignment_resolve",
    "assignments_auto",
    "assignments_bulk",
    "committee_create",
    "committee_detail",
    "committee_list",
    "entry_sheets",
    "member_deactivate",
    "member_update",
    "result_exemplary",
    "result_nominate",
    "round_assignments",
    "round_create",
    "round_detail",
    "round_entry_remove",
    "round_finalise",
    "round_list",
    "round_open",
    "round_populate",
    "round_remind",
    "round_results",
    "round_results_reviewers",
    "round_update",
    "rubric_create",
    "rubric_detail",
    "rubric_list",
    "rubric_new_version",
    "sheet_reopen",
]
