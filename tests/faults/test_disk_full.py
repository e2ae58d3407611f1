"""Fault: the disk is full while a file is written.

Simulated by making the storage's write fail with ``OSError(ENOSPC)``: for an uploaded
evidence file, ``FileSystemStorage._save`` is replaced by one that writes half of the file
under its final name and then fails (as the kernel does when the disk fills up half-way)
or fails before writing anything; for a generated file (the report's PDF, DOCX and XLSX,
made in process here), writing the temporary ``.part`` file writes half and then fails.

Shown: the uploader reads a Vietnamese message next to the file box, the description they
typed is kept, and nothing is saved — no ``Attachment`` row, no activity row, no file left
in MEDIA_ROOT; the report run ends failed with a readable message and no file, partial or
whole.
"""

import errno
import os
import pathlib

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from danvan.enums import Role
from danvan.generation import DISK_FULL as GENERATED_DISK_FULL
from danvan.models import ActivityLog, GeneratedFile, GeneratedFileStatus
from models_registry.models import Attachment
from models_registry.services.attachments import DISK_FULL, WRITE_FAILED
from reports import runs
from reports.enums import ReportKind
from reports.models import ReportStatus
from tests.factories import DvkModelFactory, UserFactory
from tests.factories.registry import pdf_bytes
from tests.reports.test_services import two_profiles

pytestmark = pytest.mark.django_db

DESCRIPTION = "Biên bản họp dân về hiến đất làm đường"


def enospc(path="") -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


def files_under(root) -> list[pathlib.Path]:
    root = pathlib.Path(root)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def full_disk(monkeypatch):
    """The storage's write fails with ENOSPC after writing half the file (``half=True``)
    or before writing anything."""
    state = {"half": True}

    def save(self, name, content):
        path = pathlib.Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        if state["half"]:
            data = content.read()
            path.write_bytes(data[: len(data) // 2])
        raise enospc(path)

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    return state


@pytest.fixture
def officer_model(client):
    officer = UserFactory(roles=[Role.UNIT_OFFICER])
    dvk_model = DvkModelFactory(unit=officer.unit, created_by=officer)
    client.force_login(officer)
    return dvk_model


def upload(client, dvk_model):
    return client.post(
        reverse("models_registry:attachment_upload", args=[dvk_model.pk]),
        {
            "file": SimpleUploadedFile("bien-ban.pdf", pdf_bytes(), "application/pdf"),
            "description": DESCRIPTION,
            "purpose": "registration",
        },
    )


@pytest.mark.parametrize("half", [True, False], ids=["half-written", "nothing-written"])
def test_upload_on_a_full_disk_says_so_at_the_field_and_saves_nothing(
    client, settings, officer_model, full_disk, half
):
    full_disk["half"] = half
    activity_before = ActivityLog.objects.count()

    with translation.override("vi"):
        response = upload(client, officer_model)
        expected = str(DISK_FULL)

    assert response.status_code == 200
    form = response.context["attachment_form"]
    assert form.errors["file"] == [expected]
    assert form["description"].value() == DESCRIPTION
    assert escape(expected) in response.content.decode()
    assert Attachment.objects.count() == 0
    assert ActivityLog.objects.count() == activity_before
    assert files_under(settings.MEDIA_ROOT) == []


def test_upload_with_another_write_error_says_so_and_saves_nothing(
    client, settings, officer_model, monkeypatch
):
    def save(self, name, content):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(FileSystemStorage, "_save", save)

    response = upload(client, officer_model)

    assert response.context["attachment_form"].errors["file"] == [str(WRITE_FAILED)]
    assert (Attachment.objects.count(), files_under(settings.MEDIA_ROOT)) == (0, [])


def test_upload_json_on_a_full_disk_answers_the_message(client, officer_model, full_disk):
    response = client.post(
        reverse("models_registry:attachment_upload", args=[officer_model.pk]),
        {
            "file": SimpleUploadedFile("bien-ban.pdf", pdf_bytes(), "application/pdf"),
            "purpose": "registration",
        },
        headers={"accept": "application/json"},
    )

    assert (response.status_code, response.json()["errors"]) == (400, [str(DISK_FULL)])
    assert Attachment.objects.count() == 0


def test_report_files_on_a_full_disk_fail_with_a_readable_message(
    world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    two_profiles(world)
    real_write_bytes = pathlib.Path.write_bytes

    def write_bytes(self, data):
        if not self.name.endswith(".part"):
            return real_write_bytes(self, data)
        real_write_bytes(self, data[: len(data) // 2])
        raise enospc(self)

    monkeypatch.setattr(pathlib.Path, "write_bytes", write_bytes)

    with django_capture_on_commit_callbacks(execute=True):
        report = runs.report_request(
            kind=ReportKind.ANNUAL, campaign=world.campaign, by=world.secretariat
        )

    report.refresh_from_db()
    jobs = list(GeneratedFile.objects.filter(pk__in=[j.pk for j in report.files()]))
    assert report.status == ReportStatus.FAILED
    assert [(j.status, j.error, j.file.name) for j in jobs] == [
        (GeneratedFileStatus.FAILED, str(GENERATED_DISK_FULL), "")
    ] * 3
    assert files_under(settings.MEDIA_ROOT) == []
