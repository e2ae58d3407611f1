"""Uploads for real connections: limits stated and checked, several files at once, the JSON
answer uploads.js reads, thumbnails and the in-page preview (views/attachments.py)."""

import json

import pytest
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages import get_messages
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from models_registry import files as evidence_files
from models_registry import services
from models_registry.enums import AttachmentPurpose, ModelStatus
from models_registry.files import check_uploaded_file, upload_limits
from models_registry.models import Attachment, DvkModel
from tests.factories import DvkModelFactory
from tests.factories.registry import (
    docx_bytes,
    dvk_model_in_status,
    exe_bytes,
    jpg_bytes,
    pdf_bytes,
    png_bytes,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def url(name: str, *args) -> str:
    return reverse(f"models_registry:{name}", args=args)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def draft_of(world) -> DvkModel:
    return DvkModelFactory(
        campaign=world.campaign, unit=world.commune_a, created_by=world.officer_a
    )


def submitted_of(world) -> DvkModel:
    return dvk_model_in_status(
        ModelStatus.SUBMITTED,
        campaign=world.campaign,
        unit=world.commune_a,
        created_by=world.officer_a,
    )


def add(world, dvk_model, name, content) -> Attachment:
    return services.attachment_add(
        dvk_model=dvk_model,
        uploaded_file=upload(name, content),
        by=world.officer_a,
        purpose=AttachmentPurpose.REGISTRATION,
    )


def evidence(*files, **extra) -> dict:
    return {"file": list(files), "purpose": AttachmentPurpose.REGISTRATION, **extra}


# ---- The limits: one source, stated beside the box ----


def test_upload_limits_follow_settings_and_allowed_types(settings):
    settings.FILE_UPLOAD_MAX_MB = 7

    limits = upload_limits()

    assert (limits.max_mb, limits.max_bytes) == (7, 7 * 1024 * 1024)
    assert limits.accept == ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"
    assert limits.accept.split(",") == list(evidence_files.ALLOWED_TYPES)
    assert limits.kinds == f"PDF, {gettext('JPG/PNG photo')}, Word, Excel"


def test_check_uploaded_file_over_limit_still_refused_by_server(settings):
    settings.FILE_UPLOAD_MAX_MB = 1

    with pytest.raises(Exception) as refused:
        check_uploaded_file(upload("big.pdf", pdf_bytes() + b"0" * 1024 * 1024))

    assert refused.value.messages == [
        gettext("The file is larger than %(limit)s MB.") % {"limit": 1}
    ]


def test_upload_box_states_limit_and_types_from_settings(client, world, settings):
    settings.FILE_UPLOAD_MAX_MB = 7
    dvk_model = draft_of(world)
    client.force_login(world.officer_a)

    html = client.get(url("model_detail", dvk_model.pk)).content.decode()

    limits = upload_limits()
    stated = gettext(
        "At most %(limit)s MB per file; %(kinds)s. You can choose several files at once."
    ) % {"limit": 7, "kinds": limits.kinds}
    assert stated in html
    assert f'data-max-bytes="{7 * 1024 * 1024}"' in html
    assert 'multiple accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx"' in html
    assert gettext("Drop zone for evidence files") in html
    assert "js/uploads.js" in html


# ---- Refusals at the field (plain form, no JavaScript) ----


def test_upload_oversized_file_refused_at_field_nothing_saved_description_kept(
    client, world, settings
):
    settings.FILE_UPLOAD_MAX_MB = 1
    dvk_model = draft_of(world)
    client.force_login(world.officer_a)

    response = client.post(
        url("attachment_upload", dvk_model.pk),
        evidence(
            upload("Ảnh lớn.pdf", pdf_bytes() + b"0" * 1024 * 1024), description="Biên bản họp"
        ),
    )

    reason = gettext("The file is larger than %(limit)s MB.") % {"limit": 1}
    assert response.status_code == 200
    assert response.context["attachment_form"].errors == {"file": [reason]}
    assert reason in response.content.decode()
    assert 'value="Biên bản họp"' in response.content.decode()
    assert Attachment.objects.count() == 0


def test_upload_disallowed_type_refused_at_field_nothing_saved(client, world):
    dvk_model = draft_of(world)
    client.force_login(world.officer_a)

    response = client.post(
        url("attachment_upload", dvk_model.pk), evidence(upload("setup.exe", exe_bytes()))
    )

    reason = gettext("Only PDF, DOCX, XLSX, JPG and PNG files are accepted.")
    assert response.context["attachment_form"].errors == {"file": [reason]}
    assert 'class="form-control is-invalid"' in response.content.decode()
    assert Attachment.objects.count() == 0


# ---- Several files in one ordinary POST ----


def test_upload_several_files_saves_each(client, world):
    dvk_model = draft_of(world)
    client.force_login(world.officer_a)

    response = client.post(
        url("attachment_upload", dvk_model.pk),
        evidence(
            upload("Biên bản.pdf", pdf_bytes()),
            upload("Ảnh.png", png_bytes()),
            upload("Số liệu.xlsx", xlsx_bytes()),
        ),
    )

    assert response.status_code == 302
    assert sorted(dvk_model.attachments.values_list("original_name", "content_type")) == [
        ("Biên bản.pdf", "application/pdf"),
        ("Số liệu.xlsx", evidence_files.ALLOWED_TYPES[".xlsx"]),
        ("Ảnh.png", "image/png"),
    ]
    assert messages_of(response) == [
        ngettext("%(count)s file has been added.", "%(count)s files have been added.", 3)
        % {"count": 3}
    ]


def test_upload_several_files_one_refused_others_saved_error_names_file(client, world):
    """Each file on its own: the refused one changes nothing, the others are kept, and its
    error at the file box names it."""
    dvk_model = draft_of(world)
    client.force_login(world.officer_a)

    response = client.post(
        url("attachment_upload", dvk_model.pk),
        evidence(
            upload("Biên bản.pdf", pdf_bytes()),
            upload("virus.pdf", exe_bytes()),
            upload("Ảnh.jpg", jpg_bytes()),
        ),
    )

    content_error = gettext("The content of this file is not a real %(type)s file.") % {
        "type": "PDF"
    }
    assert response.status_code == 200
    assert response.context["attachment_form"].errors == {
        "file": [gettext("“%(name)s”: %(reason)s") % {"name": "virus.pdf", "reason": content_error}]
    }
    assert sorted(dvk_model.attachments.values_list("original_name", flat=True)) == [
        "Biên bản.pdf",
        "Ảnh.jpg",
    ]
    assert messages_of(response) == [
        ngettext("%(count)s file has been added.", "%(count)s files have been added.", 2)
        % {"count": 2}
    ]


def test_upload_several_files_not_photo_public_refused_on_public_field(client, world):
    dvk_model = draft_of(world)
    client.force_login(world.officer_a)

    response = client.post(
        url("attachment_upload", dvk_model.pk),
        evidence(upload("Ảnh.png", png_bytes()), upload("Biên bản.pdf", pdf_bytes()), public="on"),
    )

    reason = gettext("Only a photo (JPG or PNG) can be shown in the library.")
    assert response.context["attachment_form"].errors == {
        "public": [gettext("“%(name)s”: %(reason)s") % {"name": "Biên bản.pdf", "reason": reason}]
    }
    assert list(dvk_model.attachments.values_list("original_name", "public")) == [("Ảnh.png", True)]


def test_upload_no_file_required_at_field(client, world):
    dvk_model = draft_of(world)
    client.force_login(world.officer_a)

    response = client.post(url("attachment_upload", dvk_model.pk), evidence())

    assert list(response.context["attachment_form"].errors) == ["file"]
    assert Attachment.objects.count() == 0


def test_upload_several_files_result_evidence_back_to_report(client, world):
    dvk_model = dvk_model_in_status(
        ModelStatus.ACCEPTED,
        campaign=world.campaign,
        unit=world.commune_a,
        created_by=world.officer_a,
    )
    client.force_login(world.officer_a)

    response = client.post(
        url("attachment_upload", dvk_model.pk),
        {
            "file": [upload("a.pdf", pdf_bytes()), upload("b.png", png_bytes())],
            "purpose": AttachmentPurpose.RESULT,
        },
    )

    assert response.url == url("result_report", dvk_model.pk)
    assert set(dvk_model.attachments.values_list("purpose", flat=True)) == {
        AttachmentPurpose.RESULT
    }
    assert dvk_model.attachments.count() == 2


# ---- The JSON answer uploads.js reads (one file a request) ----


def test_upload_json_added_returns_refreshed_list(client, world):
    dvk_model = draft_of(world)
    add(world, dvk_model, "Cũ.pdf", pdf_bytes())
    client.force_login(world.officer_a)

    response = client.post(
        url("attachment_upload", dvk_model.pk), evidence(upload("Ảnh.png", png_bytes())), **JSON
    )

    answer = response.json()
    assert (response.status_code, answer["ok"], answer["added"], answer["errors"]) == (
        200,
        True,
        ["Ảnh.png"],
        [],
    )
    assert "data-attachment-list" in answer["list"]
    assert "Cũ.pdf" in answer["list"] and "Ảnh.png" in answer["list"]
    assert 'data-confirm="' in answer["list"]  # the officer may still remove them
    assert messages_of(response) == []  # no message waiting for the next page


def test_upload_json_refused_returns_errors_nothing_saved(client, world, settings):
    settings.FILE_UPLOAD_MAX_MB = 1
    dvk_model = draft_of(world)
    client.force_login(world.officer_a)

    response = client.post(
        url("attachment_upload", dvk_model.pk),
        evidence(upload("big.pdf", pdf_bytes() + b"0" * 1024 * 1024)),
        **JSON,
    )

    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "added": [],
        "errors": [gettext("The file is larger than %(limit)s MB.") % {"limit": 1}],
    }
    assert Attachment.objects.count() == 0


def test_upload_json_model_not_editable_403_nothing_saved(client, world):
    dvk_model = submitted_of(world)
    client.force_login(world.officer_a)

    response = client.post(
        url("attachment_upload", dvk_model.pk), evidence(upload("a.pdf", pdf_bytes())), **JSON
    )

    assert (response.status_code, response.json()["ok"]) == (403, False)
    assert Attachment.objects.count() == 0


def test_upload_json_other_unit_404(client, world):
    dvk_model = draft_of(world)
    client.force_login(world.officer_b)

    response = client.post(
        url("attachment_upload", dvk_model.pk), evidence(upload("a.pdf", pdf_bytes())), **JSON
    )

    assert response.status_code == 404
    assert Attachment.objects.count() == 0


# ---- Preview: inline, same readers as the download ----


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Biên bản.pdf", pdf_bytes(), "application/pdf"),
        ("Ảnh.png", png_bytes(), "image/png"),
        ("Ảnh.jpg", jpg_bytes(), "image/jpeg"),
    ],
)
def test_attachment_preview_inline_for_pdf_and_photo(client, world, name, content, content_type):
    attachment = add(world, draft_of(world), name, content)
    client.force_login(world.officer_a)

    response = client.get(url("attachment_preview", attachment.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(response.streaming_content) == content


def test_attachment_download_still_attachment(client, world):
    attachment = add(world, draft_of(world), "Biên bản.pdf", pdf_bytes())
    client.force_login(world.officer_a)

    response = client.get(url("attachment_download", attachment.pk))

    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("name", "content"), [("Kế hoạch.docx", docx_bytes()), ("Số liệu.xlsx", xlsx_bytes())]
)
def test_attachment_preview_office_file_404(client, world, name, content):
    attachment = add(world, draft_of(world), name, content)
    client.force_login(world.officer_a)

    response = client.get(url("attachment_preview", attachment.pk))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "status", "expected"),
    [
        ("officer_a", ModelStatus.DRAFT, 200),
        ("officer_b", ModelStatus.DRAFT, 404),
        ("officer_b", ModelStatus.SUBMITTED, 404),
        ("outsider", ModelStatus.SUBMITTED, 404),
        ("secretariat", ModelStatus.DRAFT, 404),
        ("secretariat", ModelStatus.SUBMITTED, 200),
        ("leader", ModelStatus.SUBMITTED, 200),
    ],
)
def test_attachment_preview_scope_same_as_download(client, world, role, status, expected):
    dvk_model = draft_of(world)
    attachment = add(world, dvk_model, "Biên bản.pdf", pdf_bytes())
    if status == ModelStatus.SUBMITTED:
        services.dvk_model_submit(dvk_model=dvk_model, by=world.officer_a)
    client.force_login(getattr(world, role))

    preview = client.get(url("attachment_preview", attachment.pk))
    download = client.get(url("attachment_download", attachment.pk))

    assert (preview.status_code, download.status_code) == (expected, expected)


def test_attachment_preview_anonymous_redirected_to_login(client, world):
    attachment = add(world, draft_of(world), "Biên bản.pdf", pdf_bytes())
    path = url("attachment_preview", attachment.pk)

    response = client.get(path)

    assert (response.status_code, response.url) == (
        302,
        redirect_to_login(path, resolve_url(settings.LOGIN_URL)).url,
    )


def test_attachment_preview_post_not_allowed(client, world):
    attachment = add(world, draft_of(world), "Biên bản.pdf", pdf_bytes())
    client.force_login(world.officer_a)

    assert client.post(url("attachment_preview", attachment.pk)).status_code == 405


def test_attachment_preview_unknown_pk_404(client, world):
    client.force_login(world.officer_a)

    assert client.get(url("attachment_preview", 999_999)).status_code == 404


# ---- The list: thumbnails for photos only, "View" for PDF and photos ----


def test_attachment_list_thumbnail_for_photos_view_for_pdf_download_for_office(client, world):
    dvk_model = draft_of(world)
    png = add(world, dvk_model, "Ảnh hiện trường.png", png_bytes())
    pdf = add(world, dvk_model, "Biên bản.pdf", pdf_bytes())
    docx = add(world, dvk_model, "Kế hoạch.docx", docx_bytes())
    client.force_login(world.officer_a)

    html = client.get(url("model_detail", dvk_model.pk)).content.decode()

    preview = url("attachment_preview", png.pk)
    assert (
        f'<img src="{preview}" width="64" height="64" loading="lazy" alt="Ảnh hiện trường.png">'
        in html
    )
    assert html.count("<img ") == 1
    assert (
        f'href="{url("attachment_preview", pdf.pk)}" target="_blank" rel="noopener" data-preview="pdf"'
        in html
    )
    assert f'href="{preview}" target="_blank" rel="noopener" data-preview="image"' in html
    assert url("attachment_preview", docx.pk) not in html
    assert html.count(f'href="{docx.get_absolute_url()}" download') == 2  # the name and "Download"


def test_attachment_list_no_thumbnail_for_photo_over_cap(client, world, monkeypatch):
    monkeypatch.setattr("models_registry.templatetags.registry_uploads.THUMBNAIL_MAX_BYTES", 10)
    dvk_model = draft_of(world)
    png = add(world, dvk_model, "Ảnh lớn.png", png_bytes())
    client.force_login(world.officer_a)

    html = client.get(url("model_detail", dvk_model.pk)).content.decode()

    assert "<img " not in html
    assert (
        f'href="{url("attachment_preview", png.pk)}" target="_blank" rel="noopener" data-preview="image"'
        in html
    )


def test_secretariat_sees_preview_of_submitted_model_files(client, world):
    dvk_model = draft_of(world)
    png = add(world, dvk_model, "Ảnh.png", png_bytes())
    services.dvk_model_submit(dvk_model=dvk_model, by=world.officer_a)
    client.force_login(world.secretariat)

    html = client.get(url("model_detail", dvk_model.pk)).content.decode()

    assert f'<img src="{url("attachment_preview", png.pk)}"' in html
    assert "data-preview-template" in html
    assert "data-upload" not in html  # the secretariat reads, it does not upload


def _queries(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_model_detail_query_count_same_with_1_and_5_files(client, world, django_assert_num_queries):
    dvk_model = draft_of(world)
    add(world, dvk_model, "0.png", png_bytes())
    client.force_login(world.officer_a)
    path = url("model_detail", dvk_model.pk)
    expected = _queries(client, path)
    for n in range(1, 5):
        content = pdf_bytes() + bytes([n]) if n % 2 else png_bytes() + bytes([n])
        add(world, dvk_model, f"{n}.{'pdf' if n % 2 else 'png'}", content)

    with django_assert_num_queries(expected):
        client.get(path)


def test_upload_json_query_count_same_with_1_and_5_files(client, world):
    dvk_model = draft_of(world)
    client.force_login(world.officer_a)
    path = url("attachment_upload", dvk_model.pk)

    def post(n):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                path, evidence(upload(f"{n}.pdf", pdf_bytes() + bytes([n]))), **JSON
            )
        assert json.loads(response.content)["ok"] is True
        return len(captured)

    first = post(1)
    for n in range(2, 5):
        add(world, dvk_model, f"x{n}.png", png_bytes() + bytes([n]))

    assert post(5) == first
