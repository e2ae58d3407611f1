"""A form that never loses work: autosave of the registration and the result report,
deleting a draft, the phone number, the "required before submitting" marks and the unit
officer's home on a phone (models_registry/views/drafts.py, services/drafts.py)."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from danvan.activity import activity_for
from danvan.errors import StaleEditError
from models_registry import services
from models_registry.enums import AttachmentPurpose, ModelStatus, ReportStatus
from models_registry.models import Attachment, DvkModel, ResultReport
from models_registry.validators import normalise_phone
from tests.factories import DvkModelFactory, FieldFactory
from tests.factories.registry import dvk_model_in_status, pdf_bytes, upload

from .test_views import form_data, login_redirect, messages_of

pytestmark = pytest.mark.django_db

NEW = reverse("models_registry:model_autosave_new")


def url(name, *args):
    return reverse(f"models_registry:{name}", args=args)


def draft_of(world, **kwargs) -> DvkModel:
    return DvkModelFactory(
        campaign=world.campaign, unit=world.commune_a, created_by=world.officer_a, **kwargs
    )


def in_status(world, status) -> DvkModel:
    return dvk_model_in_status(
        status, campaign=world.campaign, unit=world.commune_a, created_by=world.officer_a
    )


def edit_data(dvk_model, **overrides) -> dict:
    return form_data(dvk_model.field, **{"version": dvk_model.version, **overrides})


# --- Autosave of the registration ----------------------------------------------------------


def test_autosave_new_registration_creates_one_draft_then_updates_it(client, world):
    client.force_login(world.officer_a)
    field = FieldFactory()

    first = client.post(NEW, form_data(field, name="Bản nháp đầu"))

    dvk_model = DvkModel.objects.get()
    created = json.loads(first["HX-Trigger"])["autosave:created"]
    assert (first.status_code, dvk_model.status, dvk_model.name) == (
        200,
        ModelStatus.DRAFT,
        "Bản nháp đầu",
    )
    assert created == {
        "action": url("model_update", dvk_model.pk),
        "autosave_url": url("model_autosave", dvk_model.pk),
    }
    assert f'name="version" value="{dvk_model.version}"' in first.content.decode()

    second = client.post(
        created["autosave_url"], form_data(field, name="Bản nháp sửa", version=dvk_model.version)
    )

    dvk_model.refresh_from_db()
    assert (second.status_code, DvkModel.objects.count(), dvk_model.name) == (
        200,
        1,
        "Bản nháp sửa",
    )
    assert "HX-Trigger" not in second
    assert f'name="version" value="{dvk_model.version}"' in second.content.decode()


def test_autosave_returns_the_local_time_of_the_save(client, world):
    client.force_login(world.officer_a)
    dvk_model = draft_of(world)

    response = client.post(url("model_autosave", dvk_model.pk), edit_data(dvk_model))

    dvk_model.refresh_from_db()
    saved_at = timezone.localtime(dvk_model.updated_at).strftime("%H:%M")
    assert gettext("Saved at %(time)s") % {"time": saved_at} in response.content.decode()
    assert 'data-autosave-state="saved"' in response.content.decode()


def test_autosave_with_a_stale_version_is_refused_with_a_message(client, world):
    client.force_login(world.officer_a)
    dvk_model = draft_of(world, goals="Mục tiêu cũ")
    old_version = dvk_model.version
    client.post(url("model_autosave", dvk_model.pk), edit_data(dvk_model, goals="Tab một"))

    response = client.post(
        url("model_autosave", dvk_model.pk),
        edit_data(dvk_model, goals="Tab hai", version=old_version),
    )

    dvk_model.refresh_from_db()
    assert response.status_code == 422
    assert str(StaleEditError()) in response.content.decode()
    assert 'data-autosave-state="error"' in response.content.decode()
    assert dvk_model.goals == "Tab một"


def test_autosave_field_error_is_shown_and_nothing_is_saved(client, world):
    client.force_login(world.officer_a)
    dvk_model = draft_of(world, goals="Mục tiêu cũ")

    response = client.post(
        url("model_autosave", dvk_model.pk),
        edit_data(dvk_model, goals="Mục tiêu mới", lead_phone="12345"),
    )

    dvk_model.refresh_from_db()
    body = response.content.decode()
    assert response.status_code == 422
    assert 'href="#id_lead_phone"' in body
    assert dvk_model.goals == "Mục tiêu cũ"


def test_autosave_never_submits(client, world):
    client.force_login(world.officer_a)
    dvk_model = draft_of(world)

    client.post(url("model_autosave", dvk_model.pk), {**edit_data(dvk_model), "submit": "1"})

    dvk_model.refresh_from_db()
    assert dvk_model.status == ModelStatus.DRAFT
    assert not [row for row in activity_for(dvk_model) if row.action.endswith(".submit")]


def test_autosave_of_a_returned_model_keeps_it_returned(client, world):
    client.force_login(world.officer_a)
    dvk_model = in_status(world, ModelStatus.RETURNED)

    response = client.post(
        url("model_autosave", dvk_model.pk), edit_data(dvk_model, goals="Đã bổ sung chỉ tiêu")
    )

    dvk_model.refresh_from_db()
    assert (response.status_code, dvk_model.status, dvk_model.goals) == (
        200,
        ModelStatus.RETURNED,
        "Đã bổ sung chỉ tiêu",
    )


def test_autosave_of_a_submitted_model_is_refused(client, world):
    client.force_login(world.officer_a)
    dvk_model = in_status(world, ModelStatus.SUBMITTED)

    response = client.post(url("model_autosave", dvk_model.pk), edit_data(dvk_model, goals="x"))

    dvk_model.refresh_from_db()
    assert response.status_code == 422
    assert gettext("This model can no longer be edited.") in response.content.decode()
    assert dvk_model.goals != "x"


def test_autosaves_of_one_session_log_one_edit(client, world):
    client.force_login(world.officer_a)
    dvk_model = draft_of(world)
    services.dvk_model_update(
        dvk_model=dvk_model, by=world.officer_a, data={"goals": "a"}, version=dvk_model.version
    )
    for text in ("b", "c", "d"):
        dvk_model.refresh_from_db()
        client.post(url("model_autosave", dvk_model.pk), edit_data(dvk_model, goals=text))

    actions = [row.action for row in activity_for(dvk_model)]
    assert actions.count("models_registry.dvkmodel.update") == 1
    assert dvk_model.history.count() >= 4  # every save is in the edit history


@pytest.mark.parametrize("role", ["officer_b", "outsider", "secretariat", "leader"])
def test_autosave_of_another_units_model_answers_404(client, world, role):
    client.force_login(getattr(world, role))
    dvk_model = draft_of(world, goals="Của xã A")

    response = client.post(url("model_autosave", dvk_model.pk), edit_data(dvk_model, goals="x"))

    dvk_model.refresh_from_db()
    assert (response.status_code, dvk_model.goals) == (404, "Của xã A")


@pytest.mark.parametrize("role", ["secretariat", "leader", "committee"])
def test_autosave_new_for_a_user_who_does_not_register_answers_404(client, world, role):
    client.force_login(getattr(world, role))

    response = client.post(NEW, form_data(FieldFactory()))

    assert (response.status_code, DvkModel.objects.count()) == (404, 0)


@pytest.mark.parametrize("name", ["model_autosave", "model_delete", "result_report_autosave"])
def test_new_urls_need_login_and_post(client, world, name):
    dvk_model = draft_of(world)
    path = url(name, dvk_model.pk)

    anonymous = client.post(path)
    client.force_login(world.officer_a)
    get = client.get(path)

    assert (anonymous.status_code, anonymous.url) == (302, login_redirect(path))
    assert get.status_code == 405


def test_autosave_new_needs_login(client, world):
    response = client.post(NEW, {})

    assert (response.status_code, response.url) == (302, login_redirect(NEW))


# --- Autosave of the result report ----------------------------------------------------------


def report_data(**overrides) -> dict:
    data = {
        "results": "Đã làm 2 km đường.",
        "people_reached": "",
        "households": "",
        "money_mobilised": "",
        "workdays": "",
        "land_cleared_m2": "",
        "participants": "",
        "self_assessment": "",
        "version": "",
    }
    data.update(overrides)
    return data


def test_result_report_autosave_creates_then_updates_a_draft_report(client, world):
    client.force_login(world.officer_a)
    dvk_model = in_status(world, ModelStatus.ACCEPTED)
    path = url("result_report_autosave", dvk_model.pk)

    first = client.post(path, report_data())
    report = ResultReport.objects.get(dvk_model=dvk_model)
    second = client.post(path, report_data(results="Đã làm 3 km.", version=report.version))

    report.refresh_from_db()
    assert (first.status_code, second.status_code) == (200, 200)
    assert (ResultReport.objects.count(), report.status, report.results) == (
        1,
        ReportStatus.DRAFT,
        "Đã làm 3 km.",
    )
    assert f'name="version" value="{report.version}"' in second.content.decode()


def test_result_report_autosave_stale_version_refused(client, world):
    client.force_login(world.officer_a)
    dvk_model = in_status(world, ModelStatus.ACCEPTED)
    path = url("result_report_autosave", dvk_model.pk)
    client.post(path, report_data())

    response = client.post(path, report_data(results="Tab cũ", version="0"))

    assert response.status_code == 422
    assert str(StaleEditError()) in response.content.decode()
    assert ResultReport.objects.get().results == "Đã làm 2 km đường."


def test_result_report_autosave_never_submits(client, world):
    client.force_login(world.officer_a)
    dvk_model = in_status(world, ModelStatus.ACCEPTED)

    client.post(
        url("result_report_autosave", dvk_model.pk),
        {**report_data(self_assessment="Tốt"), "submit": "1"},
    )

    assert ResultReport.objects.get().status == ReportStatus.DRAFT


@pytest.mark.parametrize("role", ["officer_b", "outsider"])
def test_result_report_autosave_of_another_unit_answers_404(client, world, role):
    client.force_login(getattr(world, role))
    dvk_model = in_status(world, ModelStatus.ACCEPTED)

    response = client.post(url("result_report_autosave", dvk_model.pk), report_data())

    assert (response.status_code, ResultReport.objects.count()) == (404, 0)


def test_result_report_autosave_of_a_draft_model_is_refused(client, world):
    client.force_login(world.officer_a)
    dvk_model = draft_of(world)

    response = client.post(url("result_report_autosave", dvk_model.pk), report_data())

    assert (response.status_code, ResultReport.objects.count()) == (422, 0)


# --- Deleting a draft -----------------------------------------------------------------------


def test_delete_draft_removes_it_its_files_and_logs_it(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.officer_a)
    dvk_model = draft_of(world, name="Nháp bỏ đi")
    attachment = services.attachment_add(
        dvk_model=dvk_model,
        uploaded_file=upload("Biên bản.pdf", pdf_bytes()),
        by=world.officer_a,
        purpose=AttachmentPurpose.REGISTRATION,
    )
    stored = attachment.file.name
    pk = dvk_model.pk

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("model_delete", pk))

    assert response.status_code == 302
    assert response.url == url("my_models")
    assert not DvkModel.objects.filter(pk=pk).exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not default_storage.exists(stored)
    row = activity_for(dvk_model).get(action="models_registry.dvkmodel.delete")
    assert (row.actor, row.data["name"], row.unit) == (
        world.officer_a,
        "Nháp bỏ đi",
        world.commune_a,
    )
    assert messages_of(response) == [
        gettext("The draft “%(name)s” has been deleted.") % {"name": "Nháp bỏ đi"}
    ]


@pytest.mark.parametrize(
    "status", [ModelStatus.SUBMITTED, ModelStatus.RETURNED, ModelStatus.ACCEPTED]
)
def test_delete_of_a_model_no_longer_draft_is_refused(client, world, status):
    client.force_login(world.officer_a)
    dvk_model = in_status(world, status)

    response = client.post(url("model_delete", dvk_model.pk))

    assert (response.status_code, response.url) == (302, dvk_model.get_absolute_url())
    assert DvkModel.objects.filter(pk=dvk_model.pk).exists()
    assert messages_of(response) == [
        gettext(
            "Only a draft can be deleted: this model has been submitted to the "
            "secretariat and stays in the record."
        )
    ]


@pytest.mark.parametrize("role", ["officer_b", "outsider", "secretariat", "leader", "committee"])
def test_delete_of_another_units_draft_answers_404(client, world, role):
    client.force_login(getattr(world, role))
    dvk_model = draft_of(world)

    response = client.post(url("model_delete", dvk_model.pk))

    assert response.status_code == 404
    assert DvkModel.objects.filter(pk=dvk_model.pk).exists()


def test_delete_of_a_submitted_model_by_the_secretariat_answers_404(client, world):
    client.force_login(world.secretariat)
    dvk_model = in_status(world, ModelStatus.SUBMITTED)

    response = client.post(url("model_delete", dvk_model.pk))

    assert response.status_code == 404


def test_delete_button_asks_for_confirmation_on_the_draft_pages(client, world):
    client.force_login(world.officer_a)
    dvk_model = draft_of(world)
    action = f'action="{url("model_delete", dvk_model.pk)}"'

    for page in (url("model_detail", dvk_model.pk), url("model_update", dvk_model.pk)):
        body = client.get(page).content.decode()
        assert action in body
        assert 'data-confirm="' in body.split(gettext("Delete draft"))[0].rsplit("<button", 1)[1]


def test_delete_button_absent_once_submitted(client, world):
    client.force_login(world.officer_a)
    dvk_model = in_status(world, ModelStatus.RETURNED)

    body = client.get(url("model_update", dvk_model.pk)).content.decode()

    assert url("model_delete", dvk_model.pk) not in body


def test_delete_service_refuses_a_submitted_model(world):
    dvk_model = in_status(world, ModelStatus.SUBMITTED)

    with pytest.raises(services.RegistrationError):
        services.dvk_model_delete(dvk_model=dvk_model, by=world.officer_a)

    assert DvkModel.objects.filter(pk=dvk_model.pk).exists()


# --- The phone number -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("091.234.5678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0388 123 456", "0388123456"),
        ("0239 3855 555", "02393855555"),
        ("(0239) 385 5555", "02393855555"),
        ("+84 239 385 5555", "02393855555"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalise_phone_accepts_vietnamese_numbers(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "12345",
        "0112345678",  # no such mobile prefix
        "091234567",  # 9 digits
        "09123456789",  # 11 digits for a mobile
        "0239385555",  # 10 digits for a landline
        "023938555551",
        "0912abc678",
        "０９１２３４５６７８",  # full-width digits
        "+1 912 345 678",
    ],
)
def test_normalise_phone_refuses_other_text(typed):
    with pytest.raises(ValidationError) as error:
        normalise_phone(typed)

    assert list(error.value.message_dict) == ["lead_phone"]


def test_phone_is_stored_normalised_through_the_form(client, world):
    client.force_login(world.officer_a)
    dvk_model = draft_of(world)

    client.post(
        url("model_update", dvk_model.pk), edit_data(dvk_model, lead_phone="+84 912.345.678")
    )

    dvk_model.refresh_from_db()
    assert dvk_model.lead_phone == "0912345678"


def test_bad_phone_message_at_the_field_other_input_kept(client, world):
    client.force_login(world.officer_a)
    dvk_model = draft_of(world, goals="Cũ")

    response = client.post(
        url("model_update", dvk_model.pk), edit_data(dvk_model, goals="Mới", lead_phone="0123")
    )

    dvk_model.refresh_from_db()
    form = response.context["form"]
    assert response.status_code == 200
    assert list(form.errors) == ["lead_phone"]
    assert "0912 345 678" in form.errors["lead_phone"][0]
    assert form["goals"].value() == "Mới"
    assert dvk_model.goals == "Cũ"


def test_service_refuses_a_bad_phone_from_any_route(world):
    with pytest.raises(services.RegistrationError) as error:
        services.dvk_model_create(
            campaign=world.campaign,
            unit=world.commune_a,
            by=world.officer_a,
            data={"name": "Mô hình", "lead_phone": "abc"},
        )

    assert list(error.value.field_errors()) == ["lead_phone"]


# --- Required before submitting -------------------------------------------------------------


@pytest.mark.parametrize("page", ["create", "update"])
def test_registration_form_marks_what_submission_requires(client, world, page):
    client.force_login(world.officer_a)
    path = url("model_create") if page == "create" else url("model_update", draft_of(world).pk)

    response = client.get(path)

    body = response.content.decode()
    assert 'id="required-note"' in body
    for name in ("field", "lead_name", "lead_phone", "planned_start", "planned_end", "situation"):
        assert f'id="div_id_{name}" class="mb-3 required-on-submit"' in body, name
        assert "required-note" in str(response.context["form"][name])
    assert 'id="div_id_lead_email" class="mb-3"' in body  # optional
    assert 'id="div_id_name" class="mb-3"' in body  # required by the form itself: crispy's mark


def test_situation_keeps_its_help_text_in_aria_describedby(client, world):
    client.force_login(world.officer_a)

    form = client.get(url("model_create")).context["form"]

    assert 'aria-describedby="id_situation_helptext required-note"' in str(form["situation"])


def test_draft_can_still_be_saved_without_the_submission_fields(client, world):
    client.force_login(world.officer_a)

    response = client.post(url("model_create"), {"kind": "collective_model", "name": "Chỉ có tên"})

    assert response.status_code == 302
    assert DvkModel.objects.get().name == "Chỉ có tên"


def test_result_report_form_marks_what_submission_requires(client, world):
    client.force_login(world.officer_a)
    dvk_model = in_status(world, ModelStatus.ACCEPTED)

    body = client.get(url("result_report", dvk_model.pk)).content.decode()

    assert 'id="div_id_results" class="mb-3 required-on-submit"' in body
    assert 'id="div_id_self_assessment" class="mb-3 required-on-submit"' in body
    assert url("result_report_autosave", dvk_model.pk) in body


def test_forms_carry_the_autosave_wiring(client, world):
    client.force_login(world.officer_a)
    dvk_model = draft_of(world)

    new = client.get(url("model_create")).content.decode()
    edit = client.get(url("model_update", dvk_model.pk)).content.decode()

    assert f'hx-post="{NEW}"' in new
    assert f'hx-post="{url("model_autosave", dvk_model.pk)}"' in edit
    # Issue 16: the status line is plain text; what changed (a refusal, a failure) is said
    # once through the page's live region (static/js/errors.js), never every "Saving…".
    assert '<span class="autosave-status" id="autosave-status"></span>' in edit
    assert '<div id="live-region" class="visually-hidden" aria-live="polite"' in edit
    assert "js/autosave.js" in edit


# --- Phone layout ---------------------------------------------------------------------------


def test_home_puts_the_officers_main_action_first(client, world):
    client.force_login(world.officer_a)

    body = client.get(reverse("home")).content.decode()

    # On a phone (one column) the officer's panel comes before the others…
    assert 'class="card order-first order-md-0" aria-labelledby="home-models-title"' in body
    # … and its main action is the first thing in it, before the counts and the list.
    officer_panel = body.index('aria-labelledby="home-models-title"')
    register = body.index(url("model_create"))
    assert officer_panel < register < body.index(gettext("Models by status"))
    assert "btn btn-primary w-100 mb-3 d-md-none" in body[officer_panel : register + 200]


def test_model_page_links_to_the_evidence_box_above_the_items(client, world):
    client.force_login(world.officer_a)
    dvk_model = draft_of(world)

    body = client.get(url("model_detail", dvk_model.pk)).content.decode()

    assert body.index('href="#evidence"') < body.index('id="items-title"')


def test_edit_form_links_to_the_evidence_box_at_the_top(client, world):
    client.force_login(world.officer_a)
    dvk_model = draft_of(world)

    body = client.get(url("model_update", dvk_model.pk)).content.decode()

    assert body.index(f"{dvk_model.get_absolute_url()}#evidence") < body.index('id="item-name"')


def test_autosave_keeps_a_new_draft_with_only_a_name(client, world):
    client.force_login(world.officer_a)

    response = client.post(NEW, {"kind": "collective_model", "name": "Mới gõ"})

    assert response.status_code == 200
    assert DvkModel.objects.get().name == "Mới gõ"


def test_autosave_new_after_the_deadline_is_refused(client, world):
    client.force_login(world.officer_a)
    world.campaign.registration_closes = timezone.localdate() - datetime.timedelta(days=1)
    world.campaign.save()

    response = client.post(NEW, {"kind": "collective_model", "name": "Muộn"})

    assert response.status_code == 422
    assert DvkModel.objects.count() == 0
