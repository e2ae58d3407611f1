"""evaluation/services/scoring.py: saving criterion scores, submitting, reopening."""

import threading
import time
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection, connections, transaction
from django.utils.translation import gettext

from danvan.dates import format_date
from danvan.models import ActivityLog
from evaluation import services
from evaluation.enums import ConflictStatus, SheetStatus
from evaluation.models import CriterionScore, Round, ScoreSheet
from tests.factories import CriterionFactory, RoundEntryFactory, RoundFactory, UserFactory
from tests.factories.evaluation import fill_sheet, open_round, sheet_of
from tests.factories.registry import days

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoring(campaign, province, secretariat, members):
    """An open round using the default six-criterion rubric; one entry, one reviewer."""
    rubric = services.rubric_create_default(
        organiser=province, campaign=campaign, applies_to="collective", by=secretariat
    )
    round_ = RoundFactory(campaign=campaign, created_by=secretariat, rubric_collective=rubric)
    entry = RoundEntryFactory(round=round_)
    open_round(round_, by=secretariat)
    reviewer = members[0].user
    assignment = services.assignment_add(entry=entry, reviewer=reviewer, by=secretariat)
    return SimpleNamespace(
        round=round_,
        sheet=sheet_of(assignment),
        reviewer=reviewer,
        criteria=list(rubric.criteria.order_by("position")),
    )


def move_window(round_, opens, closes):
    Round.objects.filter(pk=round_.pk).update(scoring_opens=opens, scoring_closes=closes)


def save(scoring, index, points, comment="", by=None, sheet=None):
    return services.sheet_save_score(
        sheet=sheet or scoring.sheet,
        criterion=scoring.criteria[index],
        points=points,
        comment=comment,
        by=by or scoring.reviewer,
    )


def field_error(callable_) -> tuple[str | None, str]:
    with pytest.raises(services.EvaluationError) as caught:
        callable_()
    return caught.value.field, str(caught.value)


def points_error(scoring, value) -> list[str]:
    field, message = field_error(lambda: save(scoring, 0, value))  # criterion 1 is worth 15
    assert field == "points"
    return [message]


def refusal(callable_) -> str:
    with pytest.raises(services.EvaluationError) as caught:
        callable_()
    return str(caught.value)


# --- Saving one criterion -----------------------------------------------------------------


def test_sheet_save_score_saves_points_and_comment_and_starts_sheet(scoring):
    score = save(scoring, 3, "20.5", comment="  Có số liệu cụ thể. ")

    assert (score.points, score.comment) == (Decimal("20.5"), "Có số liệu cụ thể.")
    assert ScoreSheet.objects.get(pk=scoring.sheet.pk).status == SheetStatus.IN_PROGRESS


def test_sheet_save_score_accepts_decimal_comma(scoring):
    assert save(scoring, 0, "12,5").points == Decimal("12.5")


@pytest.mark.parametrize(
    ("typed", "points"), [("7,5", "7.5"), ("7.5", "7.5"), (" 7 ", "7"), ("0,0", "0")]
)
def test_sheet_save_score_both_decimal_separators_mean_the_same(scoring, typed, points):
    """Issue 8 item 2: "7,5" means 7.5, as "7.5" does."""
    assert save(scoring, 0, typed).points == Decimal(points)


def test_sheet_save_score_empty_points_clears_score(scoring):
    save(scoring, 0, 10)

    score = save(scoring, 0, "", comment="Chưa đủ minh chứng.")

    assert score.points is None
    assert CriterionScore.objects.get(pk=score.pk).comment == "Chưa đủ minh chứng."


@pytest.mark.parametrize("value", ["-0.5", "15.5", 100])
def test_sheet_save_score_outside_zero_to_max_refused(scoring, value):
    assert points_error(scoring, value) == [
        gettext("Points must be between 0 and %(max)s.") % {"max": "15"}
    ]


def test_sheet_save_score_range_message_writes_the_maximum_as_the_sheet_does(scoring):
    """Issue 8 item 2: numbers one way — a maximum of 12.5 reads "12,5" in Vietnamese."""
    CriterionScore.objects.all().delete()
    scoring.criteria[0].max_points = Decimal("12.5")
    scoring.criteria[0].save(update_fields=["max_points"])

    assert points_error(scoring, "13") == [
        gettext("Points must be between 0 and %(max)s.") % {"max": "12,5"}
    ]


@pytest.mark.parametrize("value", ["12.3", "0.25", Decimal("7.75")])
def test_sheet_save_score_not_half_step_refused(scoring, value):
    assert points_error(scoring, value) == [gettext("Points go in steps of 0.5.")]


@pytest.mark.parametrize(
    "value", ["mười", "NaN", "inf", "1e400x", True, [1], "²", "1.000,5", "7,5,0", "1e1", "abc"]
)
def test_sheet_save_score_not_a_number_refused(scoring, value):
    assert points_error(scoring, value) == [gettext("Enter a number of points, e.g. 12 or 12.5.")]


def test_sheet_save_score_criterion_of_other_rubric_refused(scoring):
    foreign = CriterionFactory()

    field, _message = field_error(
        lambda: services.sheet_save_score(
            sheet=scoring.sheet, criterion=foreign, points=1, by=scoring.reviewer
        )
    )

    assert field == "criterion"


def test_sheet_save_score_by_someone_else_refused(scoring, secretariat):
    assert refusal(lambda: save(scoring, 0, 5, by=secretariat)) == gettext(
        "Only the reviewer assigned to this sheet can score it."
    )


def test_sheet_save_score_before_window_refused(scoring):
    move_window(scoring.round, days(2), days(10))

    assert refusal(lambda: save(scoring, 0, 5)) == gettext("Scoring opens on %(date)s.") % {
        "date": format_date(days(2))
    }


def test_sheet_save_score_after_window_refused(scoring):
    move_window(scoring.round, days(-10), days(-1))

    assert refusal(lambda: save(scoring, 0, 5)) == gettext("Scoring closed on %(date)s.") % {
        "date": format_date(days(-1))
    }


def test_sheet_save_score_last_day_of_window_allowed(scoring):
    move_window(scoring.round, days(-10), days(0))

    assert save(scoring, 0, 5).points == Decimal(5)


def test_sheet_save_score_draft_round_refused(campaign, secretariat, members):
    round_ = RoundFactory(campaign=campaign, created_by=secretariat)
    entry = RoundEntryFactory(round=round_)
    assignment = services.assignment_add(entry=entry, reviewer=members[0].user, by=secretariat)
    criterion = round_.rubric_collective.criteria.get()

    assert refusal(
        lambda: services.sheet_save_score(
            sheet=sheet_of(assignment), criterion=criterion, points=5, by=members[0].user
        )
    ) == gettext("Scoring has not started: the round is still being prepared.")


def test_sheet_save_score_submitted_sheet_refused(scoring):
    fill_sheet(scoring.sheet, 80)

    assert refusal(lambda: save(scoring, 0, 5)) == gettext(
        "This sheet has been submitted. Ask the secretariat to reopen it if it needs a change."
    )


def test_sheet_save_score_two_tabs_on_two_criteria_both_kept(scoring):
    tab_one = ScoreSheet.objects.get(pk=scoring.sheet.pk)
    tab_two = ScoreSheet.objects.get(pk=scoring.sheet.pk)

    save(scoring, 0, 10, sheet=tab_one)
    save(scoring, 1, 12, sheet=tab_two)

    assert dict(
        CriterionScore.objects.filter(sheet=scoring.sheet).values_list("criterion_id", "points")
    ) == {scoring.criteria[0].pk: Decimal(10), scoring.criteria[1].pk: Decimal(12)}


def test_sheet_save_score_same_criterion_twice_last_wins(scoring):
    save(scoring, 0, 10)

    save(scoring, 0, 11.5)

    assert list(CriterionScore.objects.values_list("points", flat=True)) == [Decimal("11.5")]


@pytest.mark.django_db(transaction=True)
def test_sheet_save_score_concurrent_transactions_on_two_criteria_both_kept(
    campaign, province, secretariat, members
):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL (SQLite serialises writers)")
    rubric = services.rubric_create_default(
        organiser=province, campaign=campaign, applies_to="collective", by=secretariat
    )
    round_ = RoundFactory(campaign=campaign, created_by=secretariat, rubric_collective=rubric)
    entry = RoundEntryFactory(round=round_)
    open_round(round_, by=secretariat)
    reviewer = members[0].user
    sheet = sheet_of(services.assignment_add(entry=entry, reviewer=reviewer, by=secretariat))
    criteria = list(rubric.criteria.order_by("position"))
    barrier = threading.Barrier(4)
    errors = []

    def worker(criterion, points):
        try:
            barrier.wait()
            services.sheet_save_score(sheet=sheet, criterion=criterion, points=points, by=reviewer)
        except Exception as error:  # noqa: BLE001 -- reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(criteria[0], 10)),
        threading.Thread(target=worker, args=(criteria[1], 12)),
        threading.Thread(target=worker, args=(criteria[2], 5)),
        threading.Thread(target=worker, args=(criteria[2], 6)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    saved = dict(CriterionScore.objects.filter(sheet=sheet).values_list("criterion_id", "points"))
    assert saved[criteria[0].pk] == Decimal(10)
    assert saved[criteria[1].pk] == Decimal(12)
    assert saved[criteria[2].pk] in {Decimal(5), Decimal(6)}


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _blocks(holder_pid: int, waiter_pid: int) -> bool:
    """Whether ``waiter_pid`` waits for a lock that ``holder_pid`` holds (read live from the
    lock manager: unlike pg_stat_activity, not cached for the transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s = ANY(pg_blocking_pids(%s))", [holder_pid, waiter_pid])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_sheet_save_score_waiting_for_finalisation_is_refused(
    campaign, province, secretariat, members
):
    """Issue 7: the save is observed waiting for the finalisation's lock (not merely started
    after it), then refused once the finalisation commits."""
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL (SQLite serialises writers)")
    round_ = RoundFactory(campaign=campaign, created_by=secretariat)
    entry = RoundEntryFactory(round=round_)
    open_round(round_, by=secretariat)
    reviewer = members[0].user
    sheet = sheet_of(services.assignment_add(entry=entry, reviewer=reviewer, by=secretariat))
    criterion = round_.rubric_collective.criteria.get()
    scorer_pid = []
    scorer_ready = threading.Event()
    finalised = threading.Event()
    observed_wait = []
    outcome = []

    def finalise():
        try:
            scorer_ready.wait(timeout=10)
            with transaction.atomic():
                services.round_finalise(round=round_, by=secretariat, force=True)
                finalised.set()
                # Hold the sheets' locks until the save is seen waiting on them (bounded).
                holder = _backend_pid()
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:
                    if _blocks(holder, scorer_pid[0]):
                        observed_wait.append(True)
                        break
                    time.sleep(0.01)
        finally:
            finalised.set()
            connections.close_all()

    def score():
        try:
            scorer_pid.append(_backend_pid())
            scorer_ready.set()
            finalised.wait(timeout=10)
            services.sheet_save_score(sheet=sheet, criterion=criterion, points=50, by=reviewer)
            outcome.append("saved")
        except services.EvaluationError as error:
            outcome.append(str(error))
        finally:
            scorer_ready.set()
            connections.close_all()

    threads = [threading.Thread(target=finalise), threading.Thread(target=score)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert observed_wait == [True], "the save never waited for the finalisation's lock"
    assert outcome == [
        gettext("This round has been finalised: its score sheets can no longer change.")
    ]
    assert not CriterionScore.objects.exists()


# --- Overall comment ----------------------------------------------------------------------


def test_sheet_save_overall_saves_and_bumps_version(scoring):
    sheet = services.sheet_save_overall(
        sheet=scoring.sheet, overall_comment="Mô hình tốt.", version=1, by=scoring.reviewer
    )

    assert (sheet.overall_comment, sheet.version) == ("Mô hình tốt.", 2)


def test_sheet_save_overall_stale_form_refused(scoring):
    services.sheet_save_overall(
        sheet=scoring.sheet, overall_comment="Tab một.", version=1, by=scoring.reviewer
    )

    with pytest.raises(services.StaleEditError):
        services.sheet_save_overall(
            sheet=scoring.sheet, overall_comment="Tab hai.", version=1, by=scoring.reviewer
        )

    assert ScoreSheet.objects.get(pk=scoring.sheet.pk).overall_comment == "Tab một."


def test_sheet_save_score_does_not_make_overall_form_stale(scoring):
    save(scoring, 0, 10)

    sheet = services.sheet_save_overall(
        sheet=scoring.sheet, overall_comment="Được.", version=1, by=scoring.reviewer
    )

    assert sheet.version == 2


# --- Submitting ---------------------------------------------------------------------------


def test_sheet_submit_sums_total_in_sql_and_locks(scoring):
    for index, points in enumerate([15, 14.5, 10, 25, 12, 8]):
        save(scoring, index, points)

    sheet = services.sheet_submit(sheet=scoring.sheet, by=scoring.reviewer)

    assert (sheet.status, sheet.total) == (SheetStatus.SUBMITTED, Decimal("84.5"))
    assert sheet.submitted_at is not None


def test_sheet_submit_missing_criteria_refused_keyed_by_criterion(scoring):
    for index in range(4):
        save(scoring, index, 1)
    save(scoring, 4, "")  # a comment-only row does not count as scored

    with pytest.raises(services.SheetIncompleteError) as caught:
        services.sheet_submit(sheet=scoring.sheet, by=scoring.reviewer)

    assert [c.pk for c in caught.value.criteria] == [c.pk for c in scoring.criteria[4:]]
    assert ScoreSheet.objects.get(pk=scoring.sheet.pk).status == SheetStatus.IN_PROGRESS


def test_sheet_submit_twice_is_idempotent(scoring):
    first = fill_sheet(scoring.sheet, 70)

    again = services.sheet_submit(sheet=scoring.sheet, by=scoring.reviewer)

    assert (again.status, again.submitted_at, again.version) == (
        SheetStatus.SUBMITTED,
        first.submitted_at,
        first.version,
    )


def test_sheet_submit_after_window_refused(scoring):
    fill_sheet(scoring.sheet, 70, submit=False)
    move_window(scoring.round, days(-10), days(-1))

    assert refusal(
        lambda: services.sheet_submit(sheet=scoring.sheet, by=scoring.reviewer)
    ) == gettext("Scoring closed on %(date)s.") % {"date": format_date(days(-1))}


def test_sheet_submit_saves_the_typed_overall_comment_with_the_sheet(scoring):
    """Issue 8 item 1: the comment the submit form carries is saved with the submission."""
    fill_sheet(scoring.sheet, 70, submit=False)

    sheet = services.sheet_submit(
        sheet=scoring.sheet,
        by=scoring.reviewer,
        overall_comment="  Mô hình có sức lan tỏa. ",
        version=scoring.sheet.version,
    )

    stored = ScoreSheet.objects.get(pk=sheet.pk)
    assert (stored.status, stored.overall_comment) == (
        SheetStatus.SUBMITTED,
        "Mô hình có sức lan tỏa.",
    )


def test_sheet_submit_after_an_autosave_of_the_same_comment_is_no_conflict(scoring):
    """Issue 8 item 1: the autosave that fires as the box loses focus may land first."""
    fill_sheet(scoring.sheet, 70, submit=False)
    version = ScoreSheet.objects.get(pk=scoring.sheet.pk).version
    services.sheet_save_overall(
        sheet=scoring.sheet, overall_comment="Tốt.", version=version, by=scoring.reviewer
    )

    sheet = services.sheet_submit(
        sheet=scoring.sheet, by=scoring.reviewer, overall_comment="Tốt.", version=version
    )

    assert (sheet.status, sheet.overall_comment) == (SheetStatus.SUBMITTED, "Tốt.")


def test_sheet_submit_with_a_comment_changed_in_another_tab_is_refused(scoring):
    fill_sheet(scoring.sheet, 70, submit=False)
    version = ScoreSheet.objects.get(pk=scoring.sheet.pk).version
    services.sheet_save_overall(
        sheet=scoring.sheet, overall_comment="Tab một.", version=version, by=scoring.reviewer
    )

    with pytest.raises(services.StaleEditError):
        services.sheet_submit(
            sheet=scoring.sheet, by=scoring.reviewer, overall_comment="Tab hai.", version=version
        )

    stored = ScoreSheet.objects.get(pk=scoring.sheet.pk)
    assert (stored.status, stored.overall_comment) == (SheetStatus.IN_PROGRESS, "Tab một.")


def test_sheet_submit_refused_saves_nothing_of_the_comment(scoring):
    save(scoring, 0, 10)

    with pytest.raises(services.SheetIncompleteError):
        services.sheet_submit(
            sheet=scoring.sheet, by=scoring.reviewer, overall_comment="Chưa xong.", version=1
        )

    assert ScoreSheet.objects.get(pk=scoring.sheet.pk).overall_comment == ""


def test_sheet_submit_writes_one_activity_row(scoring):
    """Issue 7: every transition writes one activity row (a save writes none)."""
    fill_sheet(scoring.sheet, 70, submit=False)
    assert not ActivityLog.objects.filter(action__startswith="evaluation.scoresheet.").exists()

    sheet = services.sheet_submit(sheet=scoring.sheet, by=scoring.reviewer)
    services.sheet_submit(sheet=scoring.sheet, by=scoring.reviewer)  # a double click

    [row] = ActivityLog.objects.filter(action__startswith="evaluation.scoresheet.")
    assert (row.action, row.actor, row.object_id, Decimal(row.data["total"]), row.unit) == (
        "evaluation.scoresheet.submit",
        scoring.reviewer,
        sheet.pk,
        Decimal(70),
        scoring.round.scope_unit,
    )


def test_sheet_reopen_writes_one_activity_row(scoring, secretariat):
    fill_sheet(scoring.sheet, 70)

    services.sheet_reopen(sheet=scoring.sheet, by=secretariat, reason="Xem lại tiêu chí 2.")

    row = ActivityLog.objects.get(action="evaluation.scoresheet.reopen")
    assert (row.actor, row.object_id, row.data["reason"]) == (
        secretariat,
        scoring.sheet.pk,
        "Xem lại tiêu chí 2.",
    )


def test_assignment_declare_conflict_writes_one_activity_row(scoring):
    assignment = scoring.sheet.assignment

    services.assignment_declare_conflict(
        assignment=assignment, by=scoring.reviewer, reason="Tôi công tác tại đơn vị này."
    )

    row = ActivityLog.objects.get(action="evaluation.assignment.declare_conflict")
    assert (row.actor, row.object_id, row.unit) == (
        scoring.reviewer,
        assignment.pk,
        scoring.round.scope_unit,
    )
    assignment.refresh_from_db()
    assert assignment.conflict_status == ConflictStatus.DECLARED


# --- Reopening ----------------------------------------------------------------------------


def test_sheet_reopen_records_reason_and_keeps_history(scoring, secretariat):
    fill_sheet(scoring.sheet, 70)

    sheet = services.sheet_reopen(
        sheet=scoring.sheet, by=secretariat, reason="Điểm tiêu chí 4 chưa khớp minh chứng."
    )
    save(scoring, 3, 0)
    services.sheet_submit(sheet=sheet, by=scoring.reviewer)

    sheet.refresh_from_db()
    assert sheet.total == Decimal(45)
    assert (sheet.reopened_by, sheet.reopen_reason) == (
        secretariat,
        "Điểm tiêu chí 4 chưa khớp minh chứng.",
    )
    totals = list(sheet.history.order_by("history_id").values_list("status", "total"))
    assert (SheetStatus.SUBMITTED, Decimal(70)) in totals
    assert totals[-1] == (SheetStatus.SUBMITTED, Decimal(45))
    reopened = (
        sheet.history.filter(status=SheetStatus.IN_PROGRESS, reopened_by=secretariat)
        .order_by("history_id")
        .first()
    )
    assert reopened.history_change_reason == "Điểm tiêu chí 4 chưa khớp minh chứng."
    score = CriterionScore.objects.get(sheet=sheet, criterion=scoring.criteria[3])
    assert list(score.history.order_by("history_id").values_list("points", flat=True)) == [
        Decimal(25),
        Decimal(0),
    ]


def test_sheet_reopen_without_reason_refused(scoring, secretariat):
    fill_sheet(scoring.sheet, 70)

    field, _message = field_error(
        lambda: services.sheet_reopen(sheet=scoring.sheet, by=secretariat, reason=" ")
    )

    assert field == "reason"


def test_sheet_reopen_unsubmitted_sheet_refused(scoring, secretariat):
    assert refusal(
        lambda: services.sheet_reopen(sheet=scoring.sheet, by=secretariat, reason="Lý do")
    ) == gettext("Only a submitted sheet can be reopened.")


def test_sheet_reopen_after_window_gives_grace_days(scoring, secretariat):
    fill_sheet(scoring.sheet, 70)
    move_window(scoring.round, days(-10), days(-1))

    sheet = services.sheet_reopen(sheet=scoring.sheet, by=secretariat, reason="Sửa lỗi nhập.")

    assert sheet.reopened_until == days(services.scoring.REOPEN_GRACE_DAYS)
    assert save(scoring, 0, 14).points == Decimal(14)


def test_sheet_reopen_until_in_past_refused(scoring, secretariat):
    fill_sheet(scoring.sheet, 70)

    field, _message = field_error(
        lambda: services.sheet_reopen(
            sheet=scoring.sheet, by=secretariat, reason="Lý do", until=days(-1)
        )
    )

    assert field == "until"


def test_sheet_services_refuse_after_finalisation(scoring, secretariat):
    fill_sheet(scoring.sheet, 70)
    services.round_finalise(round=scoring.round, by=secretariat)
    finalised = gettext(
        "This round has been finalised: its entries, assignments and sheets can no longer change."
    )

    assert (
        refusal(lambda: services.sheet_reopen(sheet=scoring.sheet, by=secretariat, reason="Lý do"))
        == finalised
    )
    assert refusal(lambda: save(scoring, 0, 1)) == gettext(
        "This round has been finalised: its score sheets can no longer change."
    )
    other = UserFactory()
    assert (
        refusal(
            lambda: services.assignment_add(
                entry=scoring.sheet.assignment.entry, reviewer=other, by=secretariat
            )
        )
        == finalised
    )
