"""Generated files (danvan/generation.py, danvan/generation_recovery.py, danvan/tasks.py,
danvan/views_generated.py): the request, the task run in process, progress, failure,
redelivery, retry, the sweep and the job page."""

import datetime
import hashlib
import logging
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from danvan import generation, generation_recovery
from danvan.activity import activity_for
from danvan.errors import DomainError
from danvan.generated_files import private_storage
from danvan.generation import Generator, generated_file_request, generated_file_run
from danvan.models import GeneratedFile, GeneratedFileStatus
from danvan.tasks import generate_file
from tests.factories import UserFactory

KIND = "tests.echo"
TEXT = "Giấy chứng nhận – Nguyễn Thị Thu Hà"
CONTENT = TEXT.encode()


class Echo:
    """A generator that returns ``params["text"]`` and records what it saw."""

    def __init__(self):
        self.calls = 0
        self.progress_seen = []
        self.readers = set()
        self.error: Exception | None = None

    def run(self, job, progress):
        self.calls += 1
        for step in range(1, 4):
            progress(step, 4)
            self.progress_seen.append(
                GeneratedFile.objects.values_list("progress_done", "progress_total").get(pk=job.pk)
            )
        if self.error is not None:
            raise self.error
        return "ket-qua.txt", "text/plain", job.params.get("text", "").encode()

    def may_download(self, user, job):
        return user.pk in self.readers


@pytest.fixture
def echo(monkeypatch):
    generator = Echo()
    monkeypatch.setitem(
        generation._generators,
        KIND,
        Generator(run=generator.run, may_download=generator.may_download, label="Echo"),
    )
    return generator


@pytest.fixture
def requester(db):
    return UserFactory()


def request_file(requester, capture, text=TEXT):
    with capture(execute=True):
        job = generated_file_request(
            kind=KIND, params={"text": text}, title="Tệp thử nghiệm", by=requester
        )
    job.refresh_from_db()
    return job


# --- Service and task ----------------------------------------------------------------------


def test_request_records_the_job_and_makes_the_file_after_commit(
    echo, requester, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = generated_file_request(
            kind=KIND, params={"text": "a"}, title="Tệp thử nghiệm", by=requester
        )

    assert [job.status, echo.calls, len(callbacks)] == [GeneratedFileStatus.PENDING, 0, 1]
    assert [log.action for log in activity_for(job)] == ["danvan.generatedfile.request"]
    assert activity_for(job).get().unit == requester.unit


def test_task_in_process_stores_the_file_with_size_and_checksum(
    echo, requester, django_capture_on_commit_callbacks
):
    job = request_file(requester, django_capture_on_commit_callbacks)

    assert job.status == GeneratedFileStatus.DONE
    assert [job.filename, job.content_type, job.size] == ["ket-qua.txt", "text/plain", len(CONTENT)]
    assert job.sha256 == hashlib.sha256(CONTENT).hexdigest()
    assert job.file.read() == CONTENT
    assert [job.progress_done, job.progress_total, job.percent] == [4, 4, 100]
    assert job.started_at <= job.finished_at
    assert [log.action for log in activity_for(job)] == [
        "danvan.generatedfile.request",
        "danvan.generatedfile.done",
    ]


def test_file_is_kept_in_the_private_storage_without_url(
    echo, requester, django_capture_on_commit_callbacks, settings
):
    job = request_file(requester, django_capture_on_commit_callbacks)

    path = Path(job.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "private" / "generated")
    assert path.read_bytes() == CONTENT
    with pytest.raises(ValueError):
        private_storage.url(job.file.name)


def test_identical_params_give_identical_checksums(
    echo, requester, django_capture_on_commit_callbacks
):
    first = request_file(requester, django_capture_on_commit_callbacks)
    second = request_file(requester, django_capture_on_commit_callbacks)

    assert first.pk != second.pk
    assert first.sha256 == second.sha256


def test_progress_is_written_to_the_row_as_the_generator_reports_it(
    echo, requester, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(generation, "PROGRESS_INTERVAL", 0)

    request_file(requester, django_capture_on_commit_callbacks)

    assert echo.progress_seen == [(1, 4), (2, 4), (3, 4)]


def test_progress_writes_are_throttled_but_the_last_step_is_kept(
    echo, requester, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(generation, "PROGRESS_INTERVAL", 3600)

    request_file(requester, django_capture_on_commit_callbacks)

    # The first report is written, the next ones within the interval are not.
    assert echo.progress_seen == [(1, 4), (1, 4), (1, 4)]


def test_task_delivered_twice_does_not_make_the_file_again(
    echo, requester, django_capture_on_commit_callbacks
):
    job = request_file(requester, django_capture_on_commit_callbacks)

    status = generate_file.delay(job.pk).get()

    again = GeneratedFile.objects.get(pk=job.pk)
    assert [status, echo.calls] == [GeneratedFileStatus.DONE, 1]
    assert [again.file.name, again.finished_at] == [job.file.name, job.finished_at]


def test_job_being_made_by_another_worker_is_left_alone(echo, requester):
    job = GeneratedFile.objects.create(
        kind=KIND, title="x", requested_by=requester, status=GeneratedFileStatus.RUNNING,
        started_at=timezone.now(),
    )  # fmt: skip

    assert generated_file_run(job_id=job.pk).status == GeneratedFileStatus.RUNNING
    assert echo.calls == 0


def test_job_left_running_by_a_lost_worker_is_taken_over(echo, requester):
    job = GeneratedFile.objects.create(
        kind=KIND, title="x", params={"text": "b"}, requested_by=requester,
        status=GeneratedFileStatus.RUNNING,
        started_at=timezone.now() - generation.STALE_AFTER - datetime.timedelta(minutes=1),
    )  # fmt: skip

    assert generated_file_run(job_id=job.pk).status == GeneratedFileStatus.DONE
    assert echo.calls == 1


def test_failed_job_is_not_run_again_by_a_redelivery(echo, requester):
    job = GeneratedFile.objects.create(
        kind=KIND, title="x", requested_by=requester, status=GeneratedFileStatus.FAILED
    )

    assert generate_file.delay(job.pk).get() == GeneratedFileStatus.FAILED
    assert echo.calls == 0


def test_vanished_job_is_logged_and_skipped(db, caplog):
    with caplog.at_level(logging.WARNING, logger="danvan.generation"):
        assert generate_file.delay(987654).get() is None

    assert "987654" in caplog.text


def test_generator_error_fails_the_job_with_a_readable_message_and_logs_the_traceback(
    echo, requester, django_capture_on_commit_callbacks, caplog
):
    echo.error = RuntimeError("font cache exploded")

    with caplog.at_level(logging.ERROR, logger="danvan.generation"):
        job = request_file(requester, django_capture_on_commit_callbacks)

    assert job.status == GeneratedFileStatus.FAILED
    assert job.error == str(generation.SYSTEM_ERROR)
    assert "font cache" not in job.error
    assert [job.file.name, job.sha256, job.finished_at is not None] == ["", "", True]
    assert "RuntimeError: font cache exploded" in caplog.text  # the traceback
    assert activity_for(job).last().action == "danvan.generatedfile.fail"


def test_refusal_from_the_generator_is_shown_as_is(
    echo, requester, django_capture_on_commit_callbacks
):
    echo.error = DomainError("Quyết định đã bị thu hồi.")

    job = request_file(requester, django_capture_on_commit_callbacks)

    assert [job.status, job.error] == [GeneratedFileStatus.FAILED, "Quyết định đã bị thu hồi."]


def test_request_of_an_unknown_kind_is_a_programming_error(requester):
    with pytest.raises(LookupError):
        generated_file_request(kind="nobody.knows", params={}, title="x", by=requester)
    assert GeneratedFile.objects.count() == 0


def test_job_of_a_kind_no_longer_registered_fails(requester):
    job = GeneratedFile.objects.create(kind="nobody.knows", title="x", requested_by=requester)

    assert generated_file_run(job_id=job.pk).status == GeneratedFileStatus.FAILED


# --- Pages ---------------------------------------------------------------------------------


def urls(job):
    return [
        reverse("generated_file", args=[job.pk]),
        reverse("generated_file_download", args=[job.pk]),
    ]


@pytest.fixture
def done_job(echo, requester, django_capture_on_commit_callbacks):
    return request_file(requester, django_capture_on_commit_callbacks)


def test_pages_send_anonymous_users_to_the_login(client, done_job):
    for url in urls(done_job):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_pages_answer_404_to_another_user(client, done_job):
    client.force_login(UserFactory())

    assert [client.get(url).status_code for url in urls(done_job)] == [404, 404]


def test_pages_answer_404_for_a_missing_job(client, requester):
    client.force_login(requester)

    assert client.get(reverse("generated_file", args=[424242])).status_code == 404


def test_pages_serve_the_requester(client, done_job, requester):
    client.force_login(requester)

    page = client.get(urls(done_job)[0])
    download = client.get(urls(done_job)[1])

    assert page.status_code == 200
    html = page.content.decode()
    assert "Tệp thử nghiệm" in html
    assert urls(done_job)[1] in html
    assert "hx-trigger" not in html  # finished: no polling
    assert download.status_code == 200
    assert download.content == CONTENT
    assert download["Content-Type"] == "text/plain"
    assert 'filename="ket-qua.txt"' in download["Content-Disposition"]


def test_pages_serve_a_user_the_generator_allows(client, done_job, echo):
    reader = UserFactory()
    echo.readers.add(reader.pk)
    client.force_login(reader)

    assert [client.get(url).status_code for url in urls(done_job)] == [200, 200]


def test_pages_refuse_post(client, done_job, requester):
    client.force_login(requester)

    assert [client.post(url).status_code for url in urls(done_job)] == [405, 405]


def test_page_of_a_running_job_polls_itself_and_offers_no_download(client, echo, requester):
    job = GeneratedFile.objects.create(
        kind=KIND, title="Đang làm", requested_by=requester, status=GeneratedFileStatus.RUNNING,
        progress_done=1, progress_total=4, started_at=timezone.now(),
    )  # fmt: skip
    client.force_login(requester)

    page = client.get(urls(job)[0]).content.decode()
    partial = client.get(urls(job)[0], headers={"HX-Request": "true"}).content.decode()
    download = client.get(urls(job)[1])

    assert 'hx-trigger="every 2s"' in page
    assert 'value="25"' in page
    assert partial.lstrip().startswith('<div id="job-status"')
    assert 'hx-trigger="every 2s"' in partial
    assert "<html" not in partial
    assert urls(job)[1] not in page
    assert download.status_code == 404


def test_page_of_a_finished_job_stops_the_polling(client, done_job, requester):
    client.force_login(requester)

    partial = client.get(urls(done_job)[0], headers={"HX-Request": "true"}).content.decode()

    assert "hx-get" not in partial
    assert urls(done_job)[1] in partial


def test_page_of_a_failed_job_shows_its_message(
    client, echo, requester, django_capture_on_commit_callbacks
):
    echo.error = DomainError("Quyết định đã bị thu hồi.")
    job = request_file(requester, django_capture_on_commit_callbacks)
    client.force_login(requester)

    html = client.get(urls(job)[0]).content.decode()

    assert "Quyết định đã bị thu hồi." in html
    assert "hx-get" not in html
    assert client.get(urls(job)[1]).status_code == 404


# --- Retry, broker down, sweep, finished hook ------------------------------------------------


def test_retry_makes_a_failed_job_again(echo, requester, django_capture_on_commit_callbacks):
    echo.error = RuntimeError("boom")
    job = request_file(requester, django_capture_on_commit_callbacks)
    echo.error = None

    with django_capture_on_commit_callbacks(execute=True):
        generation_recovery.generated_file_retry(job=job, by=requester)
    job.refresh_from_db()

    assert [job.status, job.error, echo.calls] == [GeneratedFileStatus.DONE, "", 2]
    assert [log.action for log in activity_for(job)][-2:] == [
        "danvan.generatedfile.retry",
        "danvan.generatedfile.done",
    ]


def test_retry_refuses_a_job_that_did_not_fail(echo, requester, django_capture_on_commit_callbacks):
    job = request_file(requester, django_capture_on_commit_callbacks)

    with pytest.raises(DomainError):
        generation_recovery.generated_file_retry(job=job, by=requester)


def test_broker_that_cannot_be_reached_is_reported_not_raised(settings):
    from danvan.celery import app

    saved = app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_write_url
    nowhere = "redis://127.0.0.1:1/0"
    app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_write_url = (
        False,
        *[nowhere] * 2,
    )
    try:
        assert generation.broker_available() is False
    finally:
        app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_write_url = saved
    assert generation.broker_available() is True  # in process: always


def test_request_with_the_broker_down_waits_and_the_sweep_sends_it(
    echo, requester, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(generation, "broker_available", lambda: False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = generated_file_request(kind=KIND, params={"text": "a"}, title="x", by=requester)

    assert [job.broker_down, len(callbacks), echo.calls] == [True, 0, 0]
    monkeypatch.setattr(generation, "broker_available", lambda: True)
    later = timezone.now() + generation_recovery.DISPATCH_GRACE + datetime.timedelta(seconds=1)

    assert generation_recovery.generated_files_sweep(now=later) == (1, 0)
    job.refresh_from_db()
    assert [job.status, echo.calls] == [GeneratedFileStatus.DONE, 1]


def test_sweep_fails_a_job_left_running_by_a_killed_worker(echo, requester, monkeypatch):
    finished = []
    monkeypatch.setitem(
        generation._generators,
        KIND,
        Generator(run=echo.run, may_download=echo.may_download, finished=finished.append),
    )
    job = GeneratedFile.objects.create(
        kind=KIND, title="x", requested_by=requester, status=GeneratedFileStatus.RUNNING,
        started_at=timezone.now() - generation.STALE_AFTER - datetime.timedelta(minutes=1),
    )  # fmt: skip

    assert generation_recovery.generated_files_sweep() == (0, 1)
    job.refresh_from_db()
    assert [job.status, job.error] == [
        GeneratedFileStatus.FAILED,
        str(generation_recovery.WORKER_LOST),
    ]
    assert [j.pk for j in finished] == [job.pk]


def test_file_is_written_under_a_temporary_name_then_moved(
    echo, requester, django_capture_on_commit_callbacks, monkeypatch
):
    moves = []
    real_replace = generation.os.replace

    def replace(source, target):
        moves.append((Path(source).name, Path(target).name))
        real_replace(source, target)

    monkeypatch.setattr(generation.os, "replace", replace)

    job = request_file(requester, django_capture_on_commit_callbacks)

    assert moves == [(".ket-qua.txt.part", "ket-qua.txt")]
    assert Path(job.file.path).read_bytes() == CONTENT
    assert list(Path(job.file.path).parent.glob("*.part")) == []


def test_a_write_cut_short_leaves_no_file_under_the_real_name(
    echo, requester, django_capture_on_commit_callbacks, monkeypatch
):
    def killed(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(generation.os, "replace", killed)

    job = request_file(requester, django_capture_on_commit_callbacks)

    assert [job.status, job.file.name] == [GeneratedFileStatus.FAILED, ""]
    assert not list(Path(private_storage.location).rglob("ket-qua.txt"))
