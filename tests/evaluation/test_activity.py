"""Every transition of the secretariat's evaluation services writes one activity row
(issue 7): rubrics, committee members, rounds, assignments, conflicts, results."""

import pytest

from danvan.activity import action_label
from danvan.models import ActivityLog
from evaluation import services
from evaluation.models import Assignment, Result
from tests.factories import CommitteeMemberFactory, RoundEntryFactory, UserFactory
from tests.factories.evaluation import open_round, single_criterion_rubric

from .helpers import scored_round

pytestmark = pytest.mark.django_db


def logged(action, obj=None) -> list[ActivityLog]:
    rows = ActivityLog.objects.filter(action=action)
    if obj is not None:
        rows = rows.filter(object_id=obj.pk)
    return list(rows)


def only_row(action, obj, by) -> ActivityLog:
    [row] = logged(action)
    assert (row.object_id, row.actor, action_label(action) != action) == (obj.pk, by, True)
    return row


# --- Rubrics ------------------------------------------------------------------------------


def test_rubric_create_writes_one_row(province, secretariat):
    rubric = services.rubric_create(
        organiser=province, campaign=None, applies_to="collective", name="Bộ", by=secretariat
    )

    row = only_row("evaluation.rubric.create", rubric, secretariat)
    assert row.unit == province


def test_rubric_create_default_writes_one_row(province, secretariat):
    rubric = services.rubric_create_default(
        organiser=province, campaign=None, applies_to="collective", by=secretariat
    )

    assert only_row("evaluation.rubric.create", rubric, secretariat).data == {"default": True}


def test_rubric_save_writes_one_row_and_nothing_when_refused(province, secretariat):
    rubric = single_criterion_rubric(organiser=province)

    services.rubric_save(rubric=rubric, header={"name": "Đổi tên"}, by=secretariat)
    with pytest.raises(services.EvaluationError):
        services.rubric_save(
            rubric=rubric,
            header={"name": "Không lưu"},
            tiers=[{"name": "A", "min_score": 10}],  # no tier from 0: refused
            by=secretariat,
        )

    only_row("evaluation.rubric.update", rubric, secretariat)
    rubric.refresh_from_db()
    assert rubric.name == "Đổi tên"  # the refused save left the header unchanged too


def test_rubric_new_version_and_clone_write_one_row_each(province, secretariat):
    rubric = single_criterion_rubric(organiser=province)

    new = services.rubric_new_version(rubric=rubric, by=secretariat)
    clone = services.rubric_clone(source=rubric, campaign=None, by=secretariat)

    assert only_row("evaluation.rubric.version", new, secretariat).data == {"source": rubric.pk}
    assert only_row("evaluation.rubric.clone", clone, secretariat).data == {"source": rubric.pk}


# --- Committee members --------------------------------------------------------------------


def test_committee_member_add_and_remove_write_one_row_each(committee, secretariat):
    person = UserFactory()

    member = services.committee_member_add(
        committee=committee, user=person, role="member", by=secretariat
    )
    services.committee_member_update(member=member, active=False, by=secretariat)

    only_row("evaluation.committeemember.add", member, secretariat)
    only_row("evaluation.committeemember.remove", member, secretariat)


# --- Rounds -------------------------------------------------------------------------------


def test_round_create_update_populate_open_write_one_row_each(campaign, province, secretariat):
    round_ = services.round_create(
        campaign=campaign,
        scope_unit=province,
        by=secretariat,
        data={"name": "Đợt", "rubric_collective": single_criterion_rubric(organiser=province)},
    )
    services.round_update(round=round_, by=secretariat, data={"name": "Đợt chấm"})
    services.round_populate_entries(round=round_, by=secretariat)
    RoundEntryFactory(round=round_)
    services.round_open(round=round_, by=secretariat)

    for verb in ("create", "update", "populate", "open"):
        only_row(f"evaluation.round.{verb}", round_, secretariat)
    assert logged("evaluation.round.update")[0].data == {"fields": ["name"]}


def test_round_finalise_exemplary_nominate_write_one_row_each(round_, committee, secretariat):
    scored_round(round_, committee, [[95]], by=secretariat)

    services.round_finalise(round=round_, by=secretariat)
    result = Result.objects.get(round=round_)
    services.result_set_exemplary(result=result, exemplary=False, by=secretariat)
    services.round_nominate(result=result, by=secretariat)

    only_row("evaluation.round.finalise", round_, secretariat)
    only_row("evaluation.result.exemplary", result, secretariat)
    assert only_row("evaluation.result.nominate", result, secretariat).data == {"nominated": True}


# --- Assignments and conflicts ------------------------------------------------------------


def test_assignment_manual_and_auto_write_one_row_each(round_, members, secretariat):
    entry = RoundEntryFactory(round=round_)
    RoundEntryFactory(round=round_)

    [manual] = services.assignments_add_bulk(
        round=round_, entries=[entry], reviewers=[members[0].user], by=secretariat
    ).created
    services.assignments_auto(round=round_, by=secretariat)

    row = only_row("evaluation.round.assign", round_, secretariat)
    assert row.data == {"assignments": [manual.pk], "refused": 0}
    auto = only_row("evaluation.round.assign_auto", round_, secretariat)
    assert len(auto.data["assignments"]) == 3


@pytest.mark.parametrize(
    ("approve", "verb", "status"), [(True, "approve", "approved"), (False, "reject", "rejected")]
)
def test_conflict_decision_writes_one_row(round_, members, secretariat, approve, verb, status):
    entry = RoundEntryFactory(round=round_)
    open_round(round_, by=secretariat)
    CommitteeMemberFactory(committee=members[0].committee)
    assignment = services.assignment_add(entry=entry, reviewer=members[0].user, by=secretariat)
    services.assignment_declare_conflict(assignment=assignment, by=members[0].user, reason="Quê")

    services.assignment_resolve_conflict(assignment=assignment, approve=approve, by=secretariat)

    only_row(f"evaluation.assignment.conflict_{verb}", assignment, secretariat)
    assert Assignment.objects.get(pk=assignment.pk).conflict_status == status


def test_audit_page_loads_assignments_and_sheets_without_a_query_per_row(
    client, round_, members, secretariat, django_assert_num_queries
):
    """Assignments and sheets name their reviewer and model: the audit page loads them with
    one query per object type, whatever the number of rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from danvan.activity import log_action
    from evaluation.models import ScoreSheet

    def log_one(reviewer):
        [assignment] = services.assignments_add_bulk(
            round=round_,
            entries=[RoundEntryFactory(round=round_)],
            reviewers=[reviewer],
            by=secretariat,
        ).created
        for obj in (assignment, ScoreSheet.objects.get_or_create(assignment=assignment)[0]):
            log_action(obj, "evaluation.scoresheet.submit", actor=reviewer, unit=round_.scope_unit)

    client.force_login(secretariat)
    log_one(members[0].user)
    client.get("/nhat-ky/")  # warm the per-process caches (content types, session)
    with CaptureQueriesContext(connection) as one:
        client.get("/nhat-ky/")
    log_one(members[1].user)
    log_one(members[2].user)

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get("/nhat-ky/")

    assert response.status_code == 200
