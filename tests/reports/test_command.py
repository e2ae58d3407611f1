"""``manage.py build_report`` (reports/management/commands/build_report.py): the same files
as a run requested on the page, written to a folder, with their sizes and SHA-256."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from danvan.models import GeneratedFile
from reports.enums import ReportKind
from reports.models import Report
from reports.runs import report_request
from tests.reports.test_services import two_profiles

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_world(world):
    two_profiles(world)
    return world


def build(*args):
    out = StringIO()
    call_command("build_report", *args, stdout=out)
    return [line.split("\t") for line in out.getvalue().splitlines()]


def test_command_writes_the_same_files_as_a_requested_run(
    report_world, tmp_path, django_capture_on_commit_callbacks
):
    lines = build("--campaign", "2025", "--out", str(tmp_path))
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(
            kind=ReportKind.ANNUAL, campaign=report_world.campaign, by=report_world.secretariat
        )
    report.refresh_from_db()

    made = [
        GeneratedFile.objects.get(pk=getattr(report, f"{f}_id")) for f in ("pdf", "docx", "xlsx")
    ]
    assert [path.rsplit("/", 1)[1] for path, _size, _sha in lines] == [f.filename for f in made]
    for (_path, size, sha), job in zip(lines, made, strict=True):
        content = (tmp_path / job.filename).read_bytes()
        assert [int(size), sha] == [len(content), hashlib.sha256(content).hexdigest()]
        assert sha == job.sha256
    assert Report.objects.count() == 1  # the command records no run
    assert not list(tmp_path.glob(".*.part"))


def test_command_writes_the_summary(report_world, tmp_path):
    lines = build("--kind", "summary", "--from", "2024", "--to", "2025", "--out", str(tmp_path))

    assert [path.rsplit(".", 1)[1] for path, _s, _h in lines] == ["pdf", "docx", "xlsx"]
    assert all((tmp_path / path.rsplit("/", 1)[1]).is_file() for path, _s, _h in lines)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--campaign", "2031"], "No campaign of 2031"),
        ([], "--campaign YEAR is required"),
        (["--kind", "summary", "--from", "2024"], "--from YEAR and --to YEAR"),
        (["--kind", "summary", "--from", "2010", "--to", "2012"], "2010"),
    ],
)
def test_command_refuses_bad_arguments(report_world, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        build(*args, "--out", str(tmp_path))

    assert list(tmp_path.iterdir()) == []
