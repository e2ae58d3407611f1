"""Report runs (reports/runs/, reports/jobs.py): request, the three files made in process,
identical bytes, progress, failure and retry, one run for identical requests, a broker
that is down and the sweep, the reads."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from danvan import generation, generation_recovery
from danvan.activity import activity_for
from danvan.generation_recovery import generated_files_sweep
from danvan.models import GeneratedFile, GeneratedFileStatus
from reports import runs, services
from reports.enums import ReportKind
from reports.models import Report, ReportStatus
from reports.runs import ReportSpec, report_request, report_retry, reports_for
from tests.reports.test_services import two_profiles

pytestmark = pytest.mark.django_db

STATUSES = ("pdf", "docx", "xlsx")


@pytest.fixture
def report_world(world):
    two_profiles(world)
    return world


@pytest.fixture
def fake_renderers(monkeypatch):
    """Renderers that return the summary line and record what they saw, so that the tests
    of the run's life do not print real PDFs (the first tests do)."""
    seen = []

    def fake(fmt):
        def render(doc):
            seen.append(fmt)
            return f"bao-cao.{fmt}", f"application/x-{fmt}", f"{fmt}:{doc.summary_line}".encode()

        return render

    for fmt in STATUSES:
        monkeypatch.setitem(runs.RENDERERS, fmt, fake(fmt))
    return seen


def request(world, capture, *, execute=True, **options):
    options.setdefault("kind", ReportKind.ANNUAL)
    options.setdefault("campaign", world.campaign)
    with capture(execute=execute):
        report = report_request(by=world.secretariat, **options)
    report.refresh_from_db()
    return report


def files(report):
    return [GeneratedFile.objects.get(pk=getattr(report, f"{fmt}_id")) for fmt in STATUSES]


# --- The run made in process ----------------------------------------------------------------


def test_request_makes_the_three_files_in_process(report_world, django_capture_on_commit_callbacks):
    report = request(report_world, django_capture_on_commit_callbacks)

    made = files(report)
    assert report.status == ReportStatus.DONE
    assert [f.status for f in made] == [GeneratedFileStatus.DONE] * 3
    assert [f.filename.rsplit(".", 1)[1] for f in made] == ["pdf", "docx", "xlsx"]
    assert made[0].file.read().startswith(b"%PDF")
    assert made[1].file.read().startswith(b"PK")  # DOCX and XLSX are ZIP files
    assert all(f.size > 0 and len(f.sha256) == 64 for f in made)
    assert [report.percent, report.started_at <= report.finished_at] == [100, True]
    assert [report.report_date, report.number, report.day_given] == [
        report_world.campaign.report_date,
        "",
        False,
    ]
    assert [log.action for log in activity_for(report)] == [
        "reports.report.request",
        "reports.report.done",
    ]
    assert activity_for(report).first().unit == report_world.province


def test_identical_inputs_give_identical_bytes_in_a_new_run(
    report_world, django_capture_on_commit_callbacks
):
    first = request(report_world, django_capture_on_commit_callbacks)
    second = request(report_world, django_capture_on_commit_callbacks)

    assert first.pk != second.pk
    assert first.fingerprint == second.fingerprint
    assert [f.sha256 for f in files(first)] == [f.sha256 for f in files(second)]


def test_progress_moves_through_the_steps_and_the_run_is_running_meanwhile(
    report_world, django_capture_on_commit_callbacks, fake_renderers, monkeypatch
):
    monkeypatch.setattr(generation, "PROGRESS_INTERVAL", 0)
    seen = []

    def watching(doc):
        job = GeneratedFile.objects.get(kind="reports.xlsx")
        seen.append((Report.objects.get().status, job.progress_done, job.progress_total))
        return "bao-cao.xlsx", "application/x-xlsx", b"x"

    monkeypatch.setitem(runs.RENDERERS, "xlsx", watching)

    report = request(report_world, django_capture_on_commit_callbacks)

    assert seen == [(ReportStatus.RUNNING, 1, 3)]
    assert [(f.progress_done, f.progress_total) for f in files(report)] == [(3, 3)] * 3


def test_request_resolves_the_options_and_the_summary(
    report_world, django_capture_on_commit_callbacks, fake_renderers
):
    annual = request(
        report_world,
        django_capture_on_commit_callbacks,
        date=datetime.date(2025, 12, 20),
        number=" 125 ",
        day_given=True,
    )
    summary = request(
        report_world,
        django_capture_on_commit_callbacks,
        kind=ReportKind.SUMMARY,
        campaign=None,
        from_year=2024,
        to_year=2025,
    )

    assert [annual.report_date, annual.number, annual.day_given] == [
        datetime.date(2025, 12, 20),
        "125",
        True,
    ]
    assert [summary.status, summary.campaign, summary.from_year, summary.to_year] == [
        ReportStatus.DONE,
        report_world.campaign,
        2024,
        2025,
    ]
    assert files(summary)[0].file.read().decode().endswith("giai đoạn 2024 – 2025")


@pytest.mark.parametrize(
    "options, field",
    [
        ({"campaign": None}, "campaign"),
        ({"kind": ReportKind.SUMMARY, "from_year": 2026, "to_year": 2024}, "to_year"),
        ({"kind": ReportKind.SUMMARY, "from_year": 2010, "to_year": 2012}, "from_year"),
        ({"number": "9" * 31}, "number"),
    ],
)
def test_request_refuses_bad_input_at_its_field_and_records_nothing(report_world, options, field):
    options = {"kind": ReportKind.ANNUAL, "campaign": report_world.campaign, **options}
    with pytest.raises(services.ReportsError) as refused:
        report_request(by=report_world.secretariat, **options)

    assert refused.value.field == field
    assert [Report.objects.count(), GeneratedFile.objects.count()] == [0, 0]


# --- Narrative snapshot ---------------------------------------------------------------------


def test_run_keeps_the_narrative_as_it_was_when_requested(
    report_world, django_capture_on_commit_callbacks
):
    services.narrative_save(
        campaign=report_world.campaign,
        data={"lessons": "Bài học thứ nhất."},
        by=report_world.secretariat,
    )
    report = request(report_world, django_capture_on_commit_callbacks, execute=False)
    services.narrative_save(
        campaign=report_world.campaign,
        data={"lessons": "Bài học đã sửa."},
        by=report_world.secretariat,
    )

    spec = ReportSpec.of(report)
    assert [report.narrative["lessons"], report.narrative["version"]] == ["Bài học thứ nhất.", 1]
    assert spec.fingerprint == report.fingerprint
    assert runs.report_spec(kind=ReportKind.ANNUAL, campaign=report_world.campaign).fingerprint != (
        report.fingerprint
    )
    document = runs.report_document(spec)
    lessons = document.sections[0].subsections[6].blocks
    assert [b.text for b in lessons] == ["Bài học thứ nhất."]


# --- One run for identical requests ---------------------------------------------------------


def test_identical_requests_while_open_give_one_run(
    report_world, django_capture_on_commit_callbacks
):
    first = request(report_world, django_capture_on_commit_callbacks, execute=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        second = report_request(
            kind=ReportKind.ANNUAL, campaign=report_world.campaign, by=report_world.secretariat
        )

    assert [second.pk, second.is_new, len(callbacks)] == [first.pk, False, 0]
    assert [Report.objects.count(), GeneratedFile.objects.count()] == [1, 3]
    assert len(activity_for(first)) == 1


def test_different_inputs_give_different_runs(report_world, django_capture_on_commit_callbacks):
    first = request(report_world, django_capture_on_commit_callbacks, execute=False)
    second = request(report_world, django_capture_on_commit_callbacks, execute=False, number="7")

    assert first.pk != second.pk
    assert Report.objects.filter(status=ReportStatus.QUEUED).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_give_one_run(report_world, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")
    monkeypatch.setattr(runs.services, "dispatch_on_commit", lambda *jobs: True)
    barrier = threading.Barrier(2)
    answers, errors = [], []

    def ask():
        try:
            barrier.wait(timeout=10)
            answers.append(
                report_request(
                    kind=ReportKind.ANNUAL,
                    campaign=report_world.campaign,
                    by=report_world.secretariat,
                ).pk
            )
        except Exception as error:  # noqa: BLE001 -- a thread's error is asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(set(answers)) == 1
    assert [Report.objects.count(), GeneratedFile.objects.count()] == [1, 3]


# --- Failure, retry ---------------------------------------------------------------------------


def test_failed_file_fails_the_run_and_retry_makes_only_that_file_again(
    report_world, django_capture_on_commit_callbacks, fake_renderers, monkeypatch
):
    def broken(doc):
        raise RuntimeError("python-docx exploded")

    monkeypatch.setitem(runs.RENDERERS, "docx", broken)
    report = request(report_world, django_capture_on_commit_callbacks)
    pdf_before = files(report)[0]

    assert report.status == ReportStatus.FAILED
    assert report.error == str(generation.SYSTEM_ERROR)
    assert [f.status for f in files(report)] == ["done", "failed", "done"]
    assert activity_for(report).last().action == "reports.report.fail"

    fake_renderers.clear()
    monkeypatch.setitem(runs.RENDERERS, "docx", lambda doc: ("b.docx", "x/docx", b"docx"))
    with django_capture_on_commit_callbacks(execute=True):
        report_retry(report=report, by=report_world.secretariat)
    report.refresh_from_db()

    assert [report.status, report.error] == [ReportStatus.DONE, ""]
    assert [f.status for f in files(report)] == ["done"] * 3
    assert files(report)[0].finished_at == pdf_before.finished_at  # not made again
    assert [log.action for log in activity_for(report)] == [
        "reports.report.request",
        "reports.report.fail",
        "reports.report.retry",
        "reports.report.done",
    ]


def test_refusal_of_the_builder_is_shown_as_is(
    report_world, django_capture_on_commit_callbacks, fake_renderers
):
    # No issuer profile valid in 2019: the builder refuses with a message for the user.
    report = request(
        report_world, django_capture_on_commit_callbacks, date=datetime.date(2019, 1, 2)
    )

    assert report.status == ReportStatus.FAILED
    assert "02/01/2019" in report.error


def test_retry_refuses_a_run_that_did_not_fail(
    report_world, django_capture_on_commit_callbacks, fake_renderers
):
    report = request(report_world, django_capture_on_commit_callbacks)

    with pytest.raises(services.ReportsError):
        report_retry(report=report, by=report_world.secretariat)


def test_retry_refuses_while_the_same_report_is_open_again(
    report_world, django_capture_on_commit_callbacks, fake_renderers, monkeypatch
):
    monkeypatch.setitem(runs.RENDERERS, "pdf", lambda doc: 1 / 0)
    failed = request(report_world, django_capture_on_commit_callbacks)
    request(report_world, django_capture_on_commit_callbacks, execute=False)

    with pytest.raises(services.ReportsError):
        report_retry(report=failed, by=report_world.secretariat)


# --- Broker down, sweep ---------------------------------------------------------------------


def test_broker_down_keeps_the_run_queued_and_says_so_then_the_sweep_sends_it(
    report_world, django_capture_on_commit_callbacks, fake_renderers, monkeypatch
):
    monkeypatch.setattr(generation, "broker_available", lambda: False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = report_request(
            kind=ReportKind.ANNUAL, campaign=report_world.campaign, by=report_world.secretariat
        )

    assert [report.broker_down, report.status, len(callbacks)] == [True, ReportStatus.QUEUED, 0]
    assert [f.status for f in files(report)] == ["pending"] * 3

    # Too early: the sweep leaves fresh requests alone.
    monkeypatch.setattr(generation, "broker_available", lambda: True)
    assert generated_files_sweep() == (0, 0)
    later = timezone.now() + generation_recovery.DISPATCH_GRACE + datetime.timedelta(seconds=1)
    assert generated_files_sweep(now=later) == (3, 0)

    report.refresh_from_db()
    assert report.status == ReportStatus.DONE


def test_sweep_fails_a_run_whose_worker_was_killed(
    report_world, django_capture_on_commit_callbacks, fake_renderers
):
    report = request(report_world, django_capture_on_commit_callbacks, execute=False)
    long_ago = timezone.now() - generation.STALE_AFTER - datetime.timedelta(minutes=1)
    GeneratedFile.objects.filter(pk=report.pdf_id).update(
        status=GeneratedFileStatus.RUNNING, started_at=long_ago
    )
    GeneratedFile.objects.exclude(pk=report.pdf_id).update(
        status=GeneratedFileStatus.DONE, file="x", finished_at=long_ago
    )

    assert generated_files_sweep() == (0, 1)

    report.refresh_from_db()
    assert [report.status, report.error] == [
        ReportStatus.FAILED,
        str(generation_recovery.WORKER_LOST),
    ]


# --- Reads ------------------------------------------------------------------------------------


def test_reports_for_lists_earlier_runs_newest_first_in_fixed_queries(
    report_world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    older = request(report_world, django_capture_on_commit_callbacks, execute=False)
    newer = request(report_world, django_capture_on_commit_callbacks, execute=False, number="1")
    summary = request(
        report_world,
        django_capture_on_commit_callbacks,
        execute=False,
        kind=ReportKind.SUMMARY,
        from_year=2024,
        to_year=2025,
    )

    with django_assert_num_queries(1):
        listed = [
            (r.pk, r.pdf.status, r.requested_by.pk)
            for r in reports_for(campaign=report_world.campaign)
        ]

    assert [pk for pk, _s, _u in listed] == [summary.pk, newer.pk, older.pk]
    assert list(reports_for(kind=ReportKind.ANNUAL)) == [newer, older]
