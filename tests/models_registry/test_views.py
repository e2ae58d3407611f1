"""models_registry/views.py through the Django test client.

A permission matrix (role × page), bad input through the forms, and query counts that must
not grow with the data. Users sign in with ``client.force_login`` (django-axes needs a
request for ``client.login``).
"""

import io

import pytest
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages import get_messages
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from danvan.activity import activity_for
from models_registry import services
from models_registry.enums import AttachmentPurpose, ModelKind, ModelStatus
from models_registry.models import Attachment, Campaign, DvkModel, ResultReport
from tests.factories import CampaignFactory, DvkModelFactory, FieldFactory, UnitFactory, UserFactory
from tests.factories.registry import days, dvk_model_in_status, exe_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db

LOGIN = "login"  # expected answer: a redirect to the login page
ROLES = ("officer_a", "officer_b", "secretariat", "leader", "committee", "outsider", "anonymous")


def url(name: str, *args) -> str:
    return reverse(f"models_registry:{name}", args=args)


def login_redirect(path: str) -> str:
    return redirect_to_login(path, resolve_url(settings.LOGIN_URL)).url


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def draft_of(world, **kwargs) -> DvkModel:
    return DvkModelFactory(
        campaign=world.campaign, unit=world.commune_a, created_by=world.officer_a, **kwargs
    )


def submitted_of(world) -> DvkModel:
    return dvk_model_in_status(
        ModelStatus.SUBMITTED,
        campaign=world.campaign,
        unit=world.commune_a,
        created_by=world.officer_a,
    )


def attachment_of(world) -> Attachment:
    return services.attachment_add(
        dvk_model=draft_of(world),
        uploaded_file=upload("Biên bản.pdf", pdf_bytes()),
        by=world.officer_a,
        purpose=AttachmentPurpose.REGISTRATION,
    )


def form_data(field, **overrides) -> dict:
    """A complete registration form as the browser posts it."""
    data = {
        "kind": ModelKind.COLLECTIVE_MODEL,
        "field": field.pk,
        "name": "Dân vận khéo làm đường giao thông nông thôn",
        "situation": "Đường thôn xuống cấp.",
        "goals": "Bê tông hoá 2 km.",
        "content": "Vận động hiến đất, góp công.",
        "area": "Thôn 1, thôn 2.",
        "forces": "Mặt trận chủ trì.",
        "resources": "Nhân dân đóng góp.",
        "timeline": "Tháng 3 đến tháng 9.",
        "outputs": "2 km đường.",
        "sustainability": "Tổ tự quản.",
        "person_name": "",
        "person_position": "",
        "person_birth_year": "",
        "lead_name": "Trần Thị Bình",
        "lead_phone": "0912345678",
        "lead_email": "binh@example.vn",
        "planned_start": days(0).isoformat(),
        "planned_end": days(180).isoformat(),
        "replicates": "",
    }
    data.update({k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in overrides.items()})
    return data


# --- Permission matrix --------------------------------------------------------------------
# Each page: how to reach it (method, url, data) given the world, building what it needs.


def _page(method, name, make=None, data=None, query=""):
    def build(world):
        obj = make(world) if make else None
        args = (obj.pk,) if obj is not None else ()
        if name in ("campaign_detail", "campaign_update", "coverage"):
            args = (world.campaign.pk,)
        body = data() if callable(data) else data or {}
        return method, url(name, *args) + query, body, obj

    return build


def accepted_of(world, campaign=None) -> DvkModel:
    return dvk_model_in_status(
        ModelStatus.ACCEPTED,
        campaign=campaign or world.campaign,
        unit=world.commune_a,
        created_by=world.officer_a,
        reviewer=world.secretariat,
    )


def _evidence():
    return {"file": upload("a.pdf", pdf_bytes()), "purpose": AttachmentPurpose.REGISTRATION}


PAGES = {
    "my_models": _page("get", "my_models"),
    "model_create": _page("get", "model_create"),
    "carry_over": _page("get", "carry_over"),
    "replication_search": _page("get", "replication_search", query="?q=duong"),
    "model_detail_draft": _page("get", "model_detail", draft_of),
    "model_update_draft": _page("get", "model_update", draft_of),
    "model_submit_draft": _page("post", "model_submit", draft_of),
    "attachment_upload_draft": _page("post", "attachment_upload", draft_of, _evidence),
    "attachment_download_draft": _page("get", "attachment_download", attachment_of),
    "attachment_delete_draft": _page("post", "attachment_delete", attachment_of),
    "model_detail_submitted": _page("get", "model_detail", submitted_of),
    "model_update_submitted": _page("get", "model_update", submitted_of),
    "model_withdraw_submitted": _page("post", "model_withdraw", submitted_of),
    "model_accept_submitted": _page("post", "model_accept", submitted_of),
    "model_return_form_submitted": _page("get", "model_return", submitted_of),
    "model_return_submitted": _page(
        "post", "model_return", submitted_of, {"reason": "Thiếu số liệu."}
    ),
    "result_report_accepted": _page("get", "result_report", accepted_of),
    "intake": _page("get", "intake"),
    "coverage": _page("get", "coverage"),
    "coverage_xlsx": _page("get", "coverage", query="?format=xlsx"),
    "campaign_list": _page("get", "campaign_list"),
    "campaign_create": _page("get", "campaign_create"),
    "campaign_detail": _page("get", "campaign_detail"),
    "campaign_update": _page("get", "campaign_update"),
}

# fmt: off
# officer_a: officer of the model's unit; officer_b: of a sibling commune; outsider: officer
# of a commune in another province (no campaign reaches it).
#                                officer_a officer_b secretariat leader committee outsider anon
EXPECTED = {
    "my_models":                   (200, 200, 404, 404, 404, 200, LOGIN),
    "model_create":                (200, 200, 404, 404, 404, 302, LOGIN),
    "carry_over":                  (200, 200, 404, 404, 404, 302, LOGIN),
    "replication_search":          (200, 200, 404, 404, 404, 200, LOGIN),
    "model_detail_draft":          (200, 404, 404, 404, 404, 404, LOGIN),
    "model_update_draft":          (200, 404, 404, 404, 404, 404, LOGIN),
    "model_submit_draft":          (302, 404, 404, 404, 404, 404, LOGIN),
    "attachment_upload_draft":     (302, 404, 404, 404, 404, 404, LOGIN),
    "attachment_download_draft":   (200, 404, 404, 404, 404, 404, LOGIN),
    "attachment_delete_draft":     (302, 404, 404, 404, 404, 404, LOGIN),
    "model_detail_submitted":      (200, 404, 200, 200, 404, 404, LOGIN),
    "model_update_submitted":      (302, 404, 404, 404, 404, 404, LOGIN),
    "model_withdraw_submitted":    (302, 404, 404, 404, 404, 404, LOGIN),
    "model_accept_submitted":      (404, 404, 302, 404, 404, 404, LOGIN),
    "model_return_form_submitted": (404, 404, 200, 404, 404, 404, LOGIN),
    "model_return_submitted":      (404, 404, 302, 404, 404, 404, LOGIN),
    "result_report_accepted":      (200, 404, 404, 404, 404, 404, LOGIN),
    "intake":                      (404, 404, 200, 200, 404, 404, LOGIN),
    "coverage":                    (404, 404, 200, 200, 404, 404, LOGIN),
    "coverage_xlsx":               (404, 404, 200, 200, 404, 404, LOGIN),
    "campaign_list":               (404, 404, 200, 200, 404, 404, LOGIN),
    "campaign_create":             (404, 404, 200, 404, 404, 404, LOGIN),
    "campaign_detail":             (200, 200, 200, 200, 200, 404, LOGIN),
    "campaign_update":             (404, 404, 200, 404, 404, 404, LOGIN),
}
# fmt: on

# What a request changed: a model's status and number of files, or whether a file still
# exists. Only these combinations change anything; every other one leaves it as it was.
CHANGES = {
    ("model_submit_draft", "officer_a"): (ModelStatus.SUBMITTED, 0),
    ("attachment_upload_draft", "officer_a"): (ModelStatus.DRAFT, 1),
    ("attachment_delete_draft", "officer_a"): False,
    ("model_withdraw_submitted", "officer_a"): (ModelStatus.DRAFT, 0),
    ("model_accept_submitted", "secretariat"): (ModelStatus.ACCEPTED, 0),
    ("model_return_submitted", "secretariat"): (ModelStatus.RETURNED, 0),
}


def _state(obj):
    if isinstance(obj, DvkModel):
        obj.refresh_from_db()
        return obj.status, obj.attachments.count()
    if isinstance(obj, Attachment):
        return Attachment.objects.filter(pk=obj.pk).exists()
    return None


def _matrix():
    for page_name, codes in EXPECTED.items():
        for role, expected in zip(ROLES, codes, strict=True):
            yield pytest.param(page_name, role, expected, id=f"{page_name}-{role}")


@pytest.mark.parametrize(("page_name", "role", "expected"), list(_matrix()))
def test_permission_matrix_role_page_answers_expected_code(
    client, world, page_name, role, expected
):
    method, path, data, obj = PAGES[page_name](world)
    before = _state(obj)
    if role != "anonymous":
        client.force_login(getattr(world, role))

    response = getattr(client, method)(path, data)

    if expected == LOGIN:
        assert (response.status_code, response.url) == (302, login_redirect(path))
    else:
        assert response.status_code == expected
    assert _state(obj) == CHANGES.get((page_name, role), before)


def test_model_detail_superuser_sees_draft(client, world):
    client.force_login(world.admin)

    response = client.get(url("model_detail", draft_of(world).pk))

    assert response.status_code == 200


def test_model_detail_unknown_pk_answers_404(client, world):
    client.force_login(world.officer_a)

    response = client.get(url("model_detail", 999_999))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("page_name", "expected"),
    [("home", 200), ("my_models", 404), ("model_create", 404), ("carry_over", 404)],
)
def test_superuser_without_unit_registration_pages_answer_404_home_renders(
    client, world, page_name, expected
):
    """An administrator without a unit passes every permission but has nothing to register
    for; these pages once crashed on ``registration_deadline(unit=None)``."""
    client.force_login(world.admin)

    response = client.get(reverse("home") if page_name == "home" else url(page_name))

    assert response.status_code == expected


def test_coverage_xlsx_lists_units_without_models(client, world):
    DvkModelFactory(campaign=world.campaign, unit=world.commune_b)  # a draft does not count
    client.force_login(world.secretariat)

    response = client.get(url("coverage", world.campaign.pk), {"format": "xlsx", "kind": "commune"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="chua-dang-ky-{world.campaign.year}.xlsx"'
    )
    assert sorted(row[1] for row in rows) == ["Xã Cẩm Xuyên", "Xã Thạch Hà"]


def test_attachment_download_sends_original_name_and_content(client, world):
    attachment = attachment_of(world)
    client.force_login(world.officer_a)

    response = client.get(url("attachment_download", attachment.pk))

    assert b"".join(response.streaming_content) == pdf_bytes()
    assert (response["Content-Type"], response["X-Content-Type-Options"]) == (
        "application/pdf",
        "nosniff",
    )
    assert "attachment" in response["Content-Disposition"]


# --- Creating and editing -----------------------------------------------------------------


@pytest.fixture
def field():
    return FieldFactory(name="Xây dựng nông thôn mới")


def test_model_create_valid_post_creates_draft_of_officer_unit(client, world, field):
    client.force_login(world.officer_a)

    response = client.post(url("model_create"), form_data(field))

    dvk_model = DvkModel.objects.get()
    assert (response.status_code, response.url) == (302, url("model_detail", dvk_model.pk))
    assert (dvk_model.unit, dvk_model.created_by, dvk_model.status, dvk_model.field) == (
        world.commune_a,
        world.officer_a,
        ModelStatus.DRAFT,
        field,
    )


def test_model_create_end_before_start_error_at_planned_end_input_kept(client, world, field):
    client.force_login(world.officer_a)
    data = form_data(field, planned_start=days(10), planned_end=days(5))

    response = client.post(url("model_create"), data)

    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors["planned_end"] == [gettext("The end date cannot be before the start date.")]
    assert (form["name"].value(), form["goals"].value(), form["planned_start"].value()) == (
        data["name"],
        data["goals"],
        data["planned_start"],
    )
    assert data["name"] in response.content.decode()
    assert DvkModel.objects.count() == 0


def test_model_create_birth_year_in_future_error(client, world, field):
    client.force_login(world.officer_a)
    data = form_data(
        field,
        kind=ModelKind.INDIVIDUAL_EXEMPLAR,
        person_name="Nguyễn Văn An",
        person_position="Trưởng thôn",
        person_birth_year=str(days(0).year + 1),
    )

    response = client.post(url("model_create"), data)

    assert response.context["form"].errors == {
        "person_birth_year": [gettext("The year of birth cannot be in the future.")]
    }
    assert DvkModel.objects.count() == 0


def test_model_create_text_over_max_length_errors(client, world, field):
    client.force_login(world.officer_a)
    data = form_data(field, name="x" * 301, situation="y" * 10_001, lead_phone="0" * 31)

    response = client.post(url("model_create"), data)

    assert sorted(response.context["form"].errors) == ["lead_phone", "name", "situation"]
    assert DvkModel.objects.count() == 0


def test_model_create_after_deadline_error(client, world, field):
    Campaign.objects.filter(pk=world.campaign.pk).update(registration_closes=days(-1))
    client.force_login(world.officer_a)

    response = client.post(url("model_create"), form_data(field))

    assert response.context["form"].non_field_errors() == [
        gettext("Registration closed on %(date)s.") % {"date": days(-1).strftime("%d/%m/%Y")}
    ]
    assert DvkModel.objects.count() == 0


def test_model_update_valid_post_saves_and_records_history_user(client, world, field):
    dvk_model = draft_of(world)
    client.force_login(world.officer_a)

    response = client.post(
        url("model_update", dvk_model.pk), form_data(field, name="Tên mới", version=1)
    )

    dvk_model.refresh_from_db()
    assert (response.status_code, dvk_model.name, dvk_model.version) == (302, "Tên mới", 2)
    assert dvk_model.history.latest().history_user == world.officer_a


def test_model_update_stale_version_shows_message_and_saves_nothing(client, world, field):
    dvk_model = draft_of(world, name="Tên gốc")
    services.dvk_model_update(
        dvk_model=DvkModel.objects.get(pk=dvk_model.pk),
        by=world.officer_a,
        data={"goals": "Tab kia đã lưu"},
        version=1,
    )
    client.force_login(world.officer_a)

    response = client.post(
        url("model_update", dvk_model.pk), form_data(field, name="Tab này", version=1)
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        str(
            services.StaleEditError(
                gettext(
                    "Someone else saved this record after you opened it. Your changes were not "
                    "saved: reload the page to see the latest version, then make your changes again."
                )
            )
        )
    ]
    assert DvkModel.objects.values_list("name", "goals", "version").get() == (
        "Tên gốc",
        "Tab kia đã lưu",
        2,
    )


def test_model_update_and_submit_after_deadline_error_and_nothing_saved(client, world, field):
    dvk_model = draft_of(world, name="Tên gốc")
    Campaign.objects.filter(pk=world.campaign.pk).update(registration_closes=days(-1))
    client.force_login(world.officer_a)

    response = client.post(
        url("model_update", dvk_model.pk),
        {**form_data(field, name="Sửa", version=1), "submit": "1"},
    )

    assert response.context["form"].non_field_errors() == [
        gettext("Registration closed on %(date)s.") % {"date": days(-1).strftime("%d/%m/%Y")}
    ]
    assert DvkModel.objects.values_list("name", "status", "version").get() == (
        "Tên gốc",
        ModelStatus.DRAFT,
        1,
    )


def test_model_update_and_submit_incomplete_errors_at_missing_fields(client, world, field):
    dvk_model = draft_of(world)
    client.force_login(world.officer_a)

    response = client.post(
        url("model_update", dvk_model.pk),
        {**form_data(field, goals="", outputs="", version=1), "submit": "1"},
    )

    assert sorted(response.context["form"].errors) == ["goals", "outputs"]
    assert DvkModel.objects.values_list("goals", "status").get() == (
        DvkModelFactory.goals,
        ModelStatus.DRAFT,
    )


# --- Transitions --------------------------------------------------------------------------


def test_model_submit_after_deadline_error_message(client, world):
    dvk_model = draft_of(world)
    Campaign.objects.filter(pk=world.campaign.pk).update(registration_closes=days(-1))
    client.force_login(world.officer_a)

    response = client.post(url("model_submit", dvk_model.pk))

    assert (response.status_code, response.url) == (302, url("model_detail", dvk_model.pk))
    assert messages_of(response) == [
        gettext("Registration closed on %(date)s.") % {"date": days(-1).strftime("%d/%m/%Y")}
    ]
    assert DvkModel.objects.get().status == ModelStatus.DRAFT


def test_model_submit_incomplete_messages_missing_and_redirects_to_form(client, world):
    dvk_model = draft_of(world, situation="", lead_name="")
    client.force_login(world.officer_a)

    response = client.post(url("model_submit", dvk_model.pk))

    assert (response.status_code, response.url) == (302, url("model_update", dvk_model.pk))
    assert messages_of(response) == [gettext("This item is required before submitting.")] * 2
    assert DvkModel.objects.get().status == ModelStatus.DRAFT


def test_model_submit_double_post_records_one_status_change(client, world):
    dvk_model = draft_of(world)
    client.force_login(world.officer_a)

    first = client.post(url("model_submit", dvk_model.pk))
    second = client.post(url("model_submit", dvk_model.pk))

    assert (first.status_code, second.status_code) == (302, 302)
    assert [row.action for row in activity_for(dvk_model)].count(
        "models_registry.dvkmodel.submit"
    ) == 1


def test_model_return_without_reason_form_error(client, world):
    dvk_model = submitted_of(world)
    client.force_login(world.secretariat)

    response = client.post(url("model_return", dvk_model.pk), {"reason": ""})

    assert list(response.context["form"].errors) == ["reason"]
    assert DvkModel.objects.get().status == ModelStatus.SUBMITTED


def test_model_return_resubmit_by_in_past_form_error(client, world):
    dvk_model = submitted_of(world)
    client.force_login(world.secretariat)

    response = client.post(
        url("model_return", dvk_model.pk), {"reason": "Thiếu.", "resubmit_by": days(-1).isoformat()}
    )

    assert list(response.context["form"].errors) == ["resubmit_by"]
    assert DvkModel.objects.get().status == ModelStatus.SUBMITTED


# --- Evidence -----------------------------------------------------------------------------


def test_attachment_upload_renamed_executable_error_and_no_row(client, world):
    dvk_model = draft_of(world)
    client.force_login(world.officer_a)

    response = client.post(
        url("attachment_upload", dvk_model.pk),
        {"file": upload("evidence.pdf", exe_bytes()), "purpose": AttachmentPurpose.REGISTRATION},
    )

    reason = gettext("The content of this file is not a real %(type)s file.") % {"type": "PDF"}
    assert response.status_code == 200
    assert response.context["attachment_form"].errors == {"file": [reason]}
    assert Attachment.objects.count() == 0


def test_attachment_upload_pdf_stored(client, world):
    dvk_model = draft_of(world)
    client.force_login(world.officer_a)

    response = client.post(
        url("attachment_upload", dvk_model.pk),
        {
            "file": upload("Biên bản.pdf", pdf_bytes()),
            "purpose": AttachmentPurpose.REGISTRATION,
            "description": "Biên bản họp dân",
        },
    )

    assert messages_of(response) == [gettext("The file has been added.")]
    assert Attachment.objects.values_list("original_name", "description", "uploaded_by").get() == (
        "Biên bản.pdf",
        "Biên bản họp dân",
        world.officer_a.pk,
    )


def test_attachment_upload_other_unit_answers_404(client, world):
    dvk_model = draft_of(world)
    client.force_login(world.officer_b)

    response = client.post(
        url("attachment_upload", dvk_model.pk),
        {"file": upload("a.pdf", pdf_bytes()), "purpose": AttachmentPurpose.REGISTRATION},
    )

    assert response.status_code == 404
    assert Attachment.objects.count() == 0


# --- Result report ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("figures", "errors"),
    [
        ({"people_reached": "nhiều", "households": "abc"}, ["households", "people_reached"]),
        ({"people_reached": "-5", "money_mobilised": "-1"}, ["money_mobilised", "people_reached"]),
    ],
)
def test_result_report_bad_figures_form_errors(client, world, figures, errors):
    dvk_model = dvk_model_in_status(
        ModelStatus.ACCEPTED,
        campaign=world.campaign,
        unit=world.commune_a,
        created_by=world.officer_a,
    )
    client.force_login(world.officer_a)
    data = {"results": "Đạt.", "self_assessment": "Tốt.", "workdays": "10", **figures}

    response = client.post(url("result_report", dvk_model.pk), {**data, "submit": "1"})

    assert sorted(response.context["form"].errors) == errors
    assert ResultReport.objects.count() == 0


def test_result_report_submit_valid_post_locks_report(client, world):
    dvk_model = accepted_of(world)
    client.force_login(world.officer_a)
    data = {"results": "Đạt 2,3 km.", "self_assessment": "Tốt.", "people_reached": "1200"}

    response = client.post(url("result_report", dvk_model.pk), {**data, "submit": "1"})

    assert (response.status_code, response.url) == (302, url("model_detail", dvk_model.pk))
    assert ResultReport.objects.values_list("status", "people_reached", "submitted_by").get() == (
        "submitted",
        1200,
        world.officer_a.pk,
    )


def test_result_report_incomplete_draft_post_saved(client, world):
    dvk_model = accepted_of(world)
    client.force_login(world.officer_a)

    response = client.post(url("result_report", dvk_model.pk), {"people_reached": "40"})

    assert (response.status_code, response.url) == (302, url("result_report", dvk_model.pk))
    assert ResultReport.objects.values_list("status", "people_reached", "results").get() == (
        "draft",
        40,
        "",
    )


def test_result_report_page_of_draft_model_redirects_with_message(client, world):
    dvk_model = draft_of(world)
    client.force_login(world.officer_a)

    response = client.get(url("result_report", dvk_model.pk))

    assert (response.status_code, response.url) == (302, url("model_detail", dvk_model.pk))
    assert messages_of(response) == [
        gettext("A result report can be filed only for an accepted model.")
    ]


# --- Carry-over ---------------------------------------------------------------------------


@pytest.fixture
def last_year(world):
    # Open today as well: the source model reaches "accepted" through the services.
    return CampaignFactory(organiser=world.province, year=world.campaign.year - 1)


def test_carry_over_page_lists_candidates(client, world, last_year):
    source = accepted_of(world, last_year)
    client.force_login(world.officer_a)

    response = client.get(url("carry_over"))

    assert [m.pk for m in response.context["page_obj"]] == [source.pk]


def test_carry_over_post_creates_linked_draft_and_opens_form(client, world, last_year):
    source = accepted_of(world, last_year)
    client.force_login(world.officer_a)

    response = client.post(url("carry_over"), {"source": source.pk})

    carried = DvkModel.objects.get(predecessor=source)
    assert (response.status_code, response.url) == (302, url("model_update", carried.pk))
    assert (carried.campaign, carried.status) == (world.campaign, ModelStatus.DRAFT)


CARRY_OVER_REFUSED = "This model cannot be carried over: choose one of the models listed below."


def test_carry_over_post_source_of_other_unit_refused_as_unknown(client, world, last_year):
    source = accepted_of(world, last_year)
    client.force_login(world.officer_b)

    response = client.post(url("carry_over"), {"source": source.pk})

    assert response.context["form"].errors == {"source": [gettext(CARRY_OVER_REFUSED)]}
    assert DvkModel.objects.filter(predecessor=source).count() == 0


@pytest.mark.parametrize("value", ["abc", "²", "١٢"])
def test_carry_over_post_non_numeric_source_field_error(client, world, value):
    """Issue 8 item 14: "²" passed isdigit() and int() raised (a 500)."""
    client.force_login(world.officer_a)

    response = client.post(url("carry_over"), {"source": value})

    assert response.status_code == 200
    assert response.context["form"].errors == {"source": [gettext(CARRY_OVER_REFUSED)]}
    assert not DvkModel.objects.exists()


# --- Campaigns ----------------------------------------------------------------------------


def campaign_form_data(world, **overrides) -> dict:
    data = {
        "year": str(world.campaign.year + 1),
        "title": "Dân vận khéo năm sau",
        "organiser": world.province.pk,
        "registration_opens": days(1).isoformat(),
        "registration_closes": days(60).isoformat(),
        "result_report_due": days(200).isoformat(),
        "scoring_opens": days(201).isoformat(),
        "scoring_closes": days(220).isoformat(),
        "honouring_date": "",
        "report_date": "",
    }
    data.update(overrides)
    return data


def test_campaign_create_valid_post_by_secretariat_creates(client, world):
    client.force_login(world.secretariat)

    response = client.post(url("campaign_create"), campaign_form_data(world))

    created = Campaign.objects.get(year=world.campaign.year + 1)
    assert (response.status_code, response.url) == (302, url("campaign_detail", created.pk))
    assert created.organiser == world.province


def test_campaign_create_closing_before_opening_form_error(client, world):
    client.force_login(world.secretariat)

    response = client.post(
        url("campaign_create"), campaign_form_data(world, registration_closes=days(0).isoformat())
    )

    assert list(response.context["form"].errors) == ["registration_closes"]
    assert Campaign.objects.count() == 1


def test_campaign_update_valid_post_by_secretariat_saves(client, world):
    client.force_login(world.secretariat)
    data = campaign_form_data(
        world,
        year=str(world.campaign.year),
        title="Tên mới",
        registration_opens=days(-30).isoformat(),
        share_accepted_models="on",
    )

    response = client.post(url("campaign_update", world.campaign.pk), data)

    world.campaign.refresh_from_db()
    assert (response.status_code, world.campaign.title, world.campaign.share_accepted_models) == (
        302,
        "Tên mới",
        True,
    )


def test_campaign_extend_post_by_secretariat_grants_extension(client, world):
    client.force_login(world.secretariat)

    response = client.post(
        url("campaign_extend", world.campaign.pk),
        {"unit": world.commune_a.pk, "registration_closes": days(45).isoformat(), "reason": "Bão"},
    )

    assert (response.status_code, response.url) == (302, url("campaign_detail", world.campaign.pk))
    assert services.registration_deadline(campaign=world.campaign, unit=world.front_a) == days(45)


def test_campaign_extend_post_by_leader_answers_404(client, world):
    client.force_login(world.leader)

    response = client.post(
        url("campaign_extend", world.campaign.pk),
        {"unit": world.commune_a.pk, "registration_closes": days(45).isoformat(), "reason": "Bão"},
    )

    assert response.status_code == 404
    assert services.registration_deadline(campaign=world.campaign, unit=world.commune_a) == days(30)


# --- Query counts -------------------------------------------------------------------------


def queries_for(client, path) -> int:
    client.get(path)  # warm the per-process caches (content types, templates)
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_my_models_query_count_independent_of_models(client, world, django_assert_num_queries):
    draft_of(world)
    client.force_login(world.officer_a)
    expected = queries_for(client, url("my_models"))
    for _n in range(49):
        draft_of(world, field=FieldFactory(parent=FieldFactory()))

    with django_assert_num_queries(expected):
        client.get(url("my_models"))


def test_intake_query_count_independent_of_models(client, world, django_assert_num_queries):
    submitted_of(world)
    client.force_login(world.secretariat)
    expected = queries_for(client, url("intake"))
    for _n in range(49):
        dvk_model_in_status(
            ModelStatus.SUBMITTED,
            campaign=world.campaign,
            unit=UnitFactory(parent=world.province),
            reviewer=world.secretariat,
        )

    with django_assert_num_queries(expected):
        client.get(url("intake"))


def test_coverage_query_count_independent_of_units(client, world, django_assert_num_queries):
    client.force_login(world.secretariat)
    path = url("coverage", world.campaign.pk)
    expected = queries_for(client, path)
    UnitFactory.create_batch(50, parent=world.province)

    with django_assert_num_queries(expected):
        client.get(path)


def test_coverage_xlsx_query_count_independent_of_units(client, world, django_assert_num_queries):
    client.force_login(world.secretariat)
    path = url("coverage", world.campaign.pk) + "?format=xlsx"
    expected = queries_for(client, path)
    UnitFactory.create_batch(50, parent=world.province)

    with django_assert_num_queries(expected):
        client.get(path)


def test_model_detail_query_count_independent_of_files_and_edits(
    client, world, django_assert_num_queries
):
    dvk_model = draft_of(world)
    services.attachment_add(
        dvk_model=dvk_model,
        uploaded_file=upload("a.pdf", pdf_bytes()),
        by=world.officer_a,
        purpose=AttachmentPurpose.REGISTRATION,
    )
    client.force_login(world.officer_a)
    path = url("model_detail", dvk_model.pk)
    expected = queries_for(client, path)
    for n in range(49):
        services.attachment_add(
            dvk_model=dvk_model,
            uploaded_file=upload(f"{n}.pdf", pdf_bytes() + bytes([n])),
            by=UserFactory(unit=world.commune_a),
            purpose=AttachmentPurpose.REGISTRATION,
        )
    for n in range(5):
        services.dvk_model_update(
            dvk_model=dvk_model, by=world.officer_a, data={"goals": f"Mục tiêu {n}"}, version=n + 1
        )

    with django_assert_num_queries(expected):
        client.get(path)


def test_campaign_detail_query_count_independent_of_extensions(
    client, world, django_assert_num_queries
):
    client.force_login(world.secretariat)
    path = url("campaign_detail", world.campaign.pk)
    expected = queries_for(client, path)
    for _n in range(10):
        services.campaign_extend_deadline(
            campaign=world.campaign,
            unit=UnitFactory(parent=world.province),
            until=days(40),
            reason="Bão lũ",
            by=world.secretariat,
        )
    CampaignFactory(organiser=world.other_province)

    with django_assert_num_queries(expected):
        client.get(path)


def test_field_pages_secretariat_creates_topic(client, world):
    from models_registry.models import Field

    economy = Field.objects.create(name="Kinh tế mới")
    client.force_login(world.secretariat)

    response = client.post(
        reverse("models_registry:field_create"),
        {"name": "Kinh tế số", "parent": economy.pk, "position": 1, "active": "on"},
    )

    assert response.status_code == 302
    assert Field.objects.filter(name="Kinh tế số", parent=economy).exists()
    assert client.get(reverse("models_registry:field_list")).status_code == 200


def test_field_pages_unit_officer_404(client, world):
    client.force_login(world.officer_a)

    assert client.get(reverse("models_registry:field_list")).status_code == 404
    assert client.get(reverse("models_registry:field_create")).status_code == 404


def test_result_report_campaign_indicator_saved_through_form(client, world):
    from models_registry.models import Indicator, IndicatorValue

    dvk_model = accepted_of(world)
    poverty = Indicator.objects.create(
        campaign=dvk_model.campaign, name="Hộ thoát nghèo", unit_label="hộ"
    )
    client.force_login(world.officer_a)
    page = client.get(url("result_report", dvk_model.pk))

    response = client.post(url("result_report", dvk_model.pk), {f"indicator_{poverty.pk}": "12"})

    assert "Hộ thoát nghèo (hộ)" in page.text
    assert response.status_code == 302
    assert IndicatorValue.objects.values_list("value", flat=True).get() == 12


def test_result_report_negative_indicator_form_error(client, world):
    from models_registry.models import Indicator, ResultReport

    dvk_model = accepted_of(world)
    poverty = Indicator.objects.create(campaign=dvk_model.campaign, name="Hộ thoát nghèo")
    client.force_login(world.officer_a)

    response = client.post(
        url("result_report", dvk_model.pk),
        {f"indicator_{poverty.pk}": "-3", "results": "Giữ lại"},
    )

    assert list(response.context["form"].errors) == [f"indicator_{poverty.pk}"]
    assert "Giữ lại" in response.text
    assert ResultReport.objects.count() == 0


def test_campaign_indicators_secretariat_adds_row(client, world):
    from models_registry.models import Indicator

    client.force_login(world.secretariat)
    path = reverse("models_registry:campaign_indicators", args=[world.campaign.pk])
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-name": "Số tin bài tuyên truyền",
        "form-0-unit_label": "tin bài",
        "form-0-position": "1",
    }

    response = client.post(path, data)

    assert response.status_code == 302
    assert list(Indicator.objects.values_list("name", "unit_label")) == [
        ("Số tin bài tuyên truyền", "tin bài")
    ]


def test_campaign_indicators_unit_officer_404(client, world):
    client.force_login(world.officer_a)

    response = client.get(reverse("models_registry:campaign_indicators", args=[world.campaign.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("kind", ["", "commune", "department"])
def test_coverage_total_from_the_summary_is_the_list_length(client, world, kind):
    from models_registry import selectors

    UnitFactory.create_batch(3, parent=world.province)
    UnitFactory(parent=world.province, kind="department")
    client.force_login(world.secretariat)

    response = client.get(url("coverage", world.campaign.pk), {"kind": kind} if kind else {})

    kinds = [kind] if kind else None
    listed = selectors.units_without_models(
        user=world.secretariat, campaign=world.campaign, kinds=kinds
    )
    assert response.context["page_obj"].paginator.count == len(list(listed))


def test_model_page_links_the_predecessor_only_for_readers(client, world):
    last_year = CampaignFactory(organiser=world.province, year=world.campaign.year - 1)
    earlier = DvkModelFactory(campaign=last_year, unit=world.commune_a, name="Năm trước")
    current = dvk_model_in_status(
        ModelStatus.SUBMITTED, campaign=world.campaign, unit=world.commune_a, predecessor=earlier
    )
    client.force_login(world.secretariat)

    html = client.get(url("model_detail", current.pk)).content.decode()

    # The earlier year is a draft: the secretariat sees its name, without a link.
    assert "Năm trước" in html
    assert reverse("models_registry:model_detail", args=[earlier.pk]) not in html
