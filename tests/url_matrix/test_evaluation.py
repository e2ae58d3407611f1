"""Evaluation: the secretariat's rubrics, committees, rounds and results; the reviewers'
score sheets; a unit's own results and feedback."""

import pytest

from .matrix import FORM_ANSWERS, action, case_id, cases, check, page, pk
from .world import ADMIN, LEADER, OFFICER, REVIEWER, SECRETARIAT

pytestmark = pytest.mark.django_db

MANAGERS = {ADMIN, SECRETARIAT}
OVERSEERS = {ADMIN, SECRETARIAT, LEADER}
COMMENT = {"overall_comment": "Mô hình thiết thực", "version": "0"}


def with_(attr, key, other):
    """``pk`` of ``side.<attr>`` and ``<key>`` of ``side.<other>``."""
    return lambda side, role: {"pk": getattr(side, attr).pk, key: getattr(side, other).pk}


TABLE = {
    "evaluation:rubric_list": page(MANAGERS),
    "evaluation:rubric_create": page(MANAGERS),
    "evaluation:rubric_detail": page(OVERSEERS, pk("rubric")),
    "evaluation:rubric_new_version": action(MANAGERS, pk("rubric")),
    "evaluation:committee_list": page(MANAGERS),
    "evaluation:committee_create": page(MANAGERS),
    "evaluation:committee_detail": page(MANAGERS, pk("committee")),
    "evaluation:member_update": page(MANAGERS, pk("member")),
    "evaluation:member_deactivate": action(MANAGERS, pk("member")),
    "evaluation:round_list": page(OVERSEERS),
    "evaluation:round_create": page(MANAGERS),
    "evaluation:round_detail": page(MANAGERS, pk("round")),
    "evaluation:round_update": page(MANAGERS, pk("draft_round")),
    "evaluation:round_populate": action(MANAGERS, pk("draft_round")),
    "evaluation:round_open": action(MANAGERS, pk("draft_round")),
    "evaluation:round_entry_remove": action(
        MANAGERS, with_("draft_round", "entry_pk", "draft_entry")
    ),
    "evaluation:round_assignments": page(MANAGERS, pk("open_round")),
    "evaluation:assignments_auto": action(MANAGERS, pk("open_round")),
    "evaluation:assignments_bulk": action(MANAGERS, pk("open_round"), ok=(200,)),
    "evaluation:assignment_remove": action(
        MANAGERS, with_("open_round", "assignment_pk", "assignment")
    ),
    "evaluation:assignment_resolve": action(
        MANAGERS, with_("open_round", "assignment_pk", "assignment")
    ),
    "evaluation:sheet_reopen": action(MANAGERS, pk("open_round"), ok=(200,)),
    "evaluation:round_remind": action(MANAGERS, pk("open_round")),
    "evaluation:round_results": page(OVERSEERS, pk("round")),
    "evaluation:round_results_reviewers": page(MANAGERS, pk("round")),
    "evaluation:round_finalise": action(MANAGERS, pk("open_round"), ok=(200,)),
    "evaluation:entry_sheets": page(MANAGERS, with_("round", "entry_pk", "entry")),
    "evaluation:result_exemplary": action(MANAGERS, with_("round", "result_pk", "result")),
    # A provincial round has no round above it to nominate to (404 but for the administrator).
    "evaluation:result_nominate": action({ADMIN}, with_("round", "result_pk", "result")),
    "evaluation:queue": page({ADMIN, REVIEWER}),
    "evaluation:sheet": page({ADMIN, SECRETARIAT, REVIEWER}, pk("sheet")),
    "evaluation:sheet_score": action(
        {REVIEWER}, with_("sheet", "criterion_pk", "criterion"), data={"points": "5"}
    ),
    "evaluation:sheet_overall": action({REVIEWER}, pk("sheet"), ok=FORM_ANSWERS, data=COMMENT),
    "evaluation:sheet_submit": action({REVIEWER}, pk("sheet"), ok=FORM_ANSWERS, data=COMMENT),
    "evaluation:sheet_declare_conflict": action(
        {REVIEWER}, pk("sheet"), data={"reason": "Người thân làm ở xã"}
    ),
    "evaluation:my_results": page({OFFICER}),
    "evaluation:result_feedback": page(OVERSEERS | {OFFICER}, pk("result")),
}


@pytest.mark.parametrize(("name", "role", "scope"), cases(TABLE), ids=case_id)
def test_evaluation_url(client, world, name, role, scope):
    check(client, world, TABLE, name, role, scope)
