"""The secretariat's intake tools: previous / next between registrations (with the list's
filters), the XLSX export of the filtered list, accepting or returning several at once,
and the changes since the previous submission on the model's page."""

import io
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages import get_messages
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from danvan import notifications
from danvan.models import ActivityLog, Notification
from models_registry import services
from models_registry.enums import ModelStatus
from models_registry.intake import word_diff
from models_registry.models import DvkModel
from models_registry.services import RegistrationError
from tests.factories import CampaignFactory, FieldFactory, UnitFactory
from tests.factories.registry import days, dvk_model_in_status

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"models_registry:{name}", args=args)


def login_redirect(path: str) -> str:
    return redirect_to_login(path, resolve_url(settings.LOGIN_URL)).url


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def submitted(world, unit=None, **kwargs) -> DvkModel:
    return dvk_model_in_status(
        ModelStatus.SUBMITTED,
        campaign=kwargs.pop("campaign", world.campaign),
        unit=unit or world.commune_a,
        reviewer=world.secretariat,
        **kwargs,
    )


def actions(dvk_model: DvkModel, verb: str) -> int:
    return ActivityLog.objects.filter(
        object_id=dvk_model.pk, action=f"models_registry.dvkmodel.{verb}"
    ).count()


def status_of(dvk_model: DvkModel) -> str:
    return DvkModel.objects.get(pk=dvk_model.pk).status


# --- Previous / next ------------------------------------------------------------------------


@pytest.fixture
def listed(world):
    """Three submissions of commune A (oldest first) and a newer one of commune B: the list
    shows B, A3, A2, A1; filtered on commune A's name, A3, A2, A1."""
    a1, a2, a3 = (submitted(world, name=f"Xã A số {n}") for n in (1, 2, 3))
    b = submitted(world, unit=world.commune_b, name="Xã B")
    return a1, a2, a3, b


def page_of(client, dvk_model, list_query: str):
    return client.get(url("model_detail", dvk_model.pk) + "?" + urlencode({"from": list_query}))


def test_previous_next_follow_the_filtered_list(client, world, listed):
    a1, a2, a3, _b = listed
    client.force_login(world.secretariat)
    query = urlencode({"unit": "Xã Cẩm Xuyên"})

    nav = page_of(client, a2, query).context["intake_nav"]

    suffix = "?" + urlencode({"from": query})
    assert (nav["position"], nav["total"], nav["previous_url"], nav["next_url"]) == (
        2,
        3,
        url("model_detail", a3.pk) + suffix,
        url("model_detail", a1.pk) + suffix,
    )
    assert nav["list_url"] == url("intake") + "?" + query


def test_previous_next_absent_at_the_ends(client, world, listed):
    a1, _a2, a3, _b = listed
    client.force_login(world.secretariat)
    query = urlencode({"unit": "Xã Cẩm Xuyên"})

    first = page_of(client, a3, query)
    last = page_of(client, a1, query)

    assert (first.context["intake_nav"]["position"], first.context["intake_nav"]["previous"]) == (
        1,
        None,
    )
    assert 'rel="prev"' not in first.content.decode()
    assert 'rel="next"' in first.content.decode()
    assert (last.context["intake_nav"]["position"], last.context["intake_nav"]["next"]) == (3, None)
    assert 'rel="next"' not in last.content.decode()
    assert "3/3" in last.content.decode()


def test_previous_next_without_filters_cover_the_whole_list(client, world, listed):
    _a1, _a2, a3, b = listed
    client.force_login(world.secretariat)

    nav = page_of(client, a3, "").context["intake_nav"]

    assert (nav["position"], nav["total"], nav["previous"]) == (2, 4, b.pk)


def test_no_navigation_outside_the_filtered_list_or_without_the_list(client, world, listed):
    _a1, a2, _a3, b = listed
    client.force_login(world.secretariat)

    filtered_out = page_of(client, b, urlencode({"unit": "Xã Cẩm Xuyên"}))
    direct = client.get(url("model_detail", a2.pk))

    assert "intake_nav" not in filtered_out.context
    assert "intake_nav" not in direct.context
    assert "intake-pager" not in direct.content.decode()


def test_no_navigation_for_the_unit_officer(client, world, listed):
    client.force_login(world.officer_a)

    response = page_of(client, listed[1], "")

    assert response.status_code == 200
    assert "intake_nav" not in response.context


def test_intake_rows_link_with_the_list_filters(client, world, listed):
    client.force_login(world.secretariat)

    response = client.get(url("intake") + "?unit=C%E1%BA%A9m&page=1")

    # "from" holds the list's query string, itself encoded.
    link = url("model_detail", listed[0].pk) + "?" + urlencode({"from": "unit=C%E1%BA%A9m"})
    assert f'href="{link}"' in response.content.decode()


def test_navigation_query_count_independent_of_the_list(client, world, listed):
    client.force_login(world.secretariat)
    path = url("model_detail", listed[1].pk) + "?from="
    client.get(path)
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    for n in range(10):
        submitted(world, name=f"Thêm {n}")

    with CaptureQueriesContext(connection) as many:
        response = client.get(path)

    assert response.context["intake_nav"]["total"] == 14
    assert len(many.captured_queries) == len(few.captured_queries)


# --- Export ---------------------------------------------------------------------------------


def export(client, query=""):
    response = client.get(url("intake_export") + query)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


def table(sheet) -> list[list]:
    rows = list(sheet.iter_rows(values_only=True))
    return rows[3:]  # two title rows, then the header


def test_export_has_only_the_filtered_rows(client, world, listed):
    client.force_login(world.secretariat)

    sheet = export(client, "?" + urlencode({"unit": "Xã Cẩm Xuyên", "page": 2}))

    assert [row[2] for row in table(sheet)] == ["Xã A số 3", "Xã A số 2", "Xã A số 1"]
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == "A3:M6"


def test_export_columns(client, world):
    dvk_model = dvk_model_in_status(
        ModelStatus.RETURNED,
        campaign=world.campaign,
        unit=world.commune_a,
        reviewer=world.secretariat,
        lead_name="Trần Thị Bình",
        lead_phone="0912345678",
    )
    services.dvk_model_submit(dvk_model=dvk_model, by=world.officer_a)
    client.force_login(world.secretariat)

    (row,) = table(export(client))

    assert row[0] == 1
    assert (row[1], row[3]) == ("Xã Cẩm Xuyên", world.campaign.year)
    assert row[8:13] == (
        1,
        dvk_model.resubmit_deadline.strftime("%d/%m/%Y"),
        "Trần Thị Bình",
        "0912345678",
        0,
    )


def test_export_keeps_a_formula_as_text(client, world):
    submitted(
        world,
        name='=HYPERLINK("http://x")',
        lead_name="@SUM(A1)",
        field=FieldFactory(name="-Giảm nghèo"),
    )
    client.force_login(world.secretariat)

    sheet = export(client)

    name, field, lead = sheet["C4"], sheet["F4"], sheet["K4"]
    assert (name.data_type, name.value) == ("s", '\'=HYPERLINK("http://x")')
    assert (field.value, lead.value) == ("'-Giảm nghèo", "'@SUM(A1)")


def test_export_query_count_independent_of_rows(client, world):
    submitted(world)
    client.force_login(world.secretariat)
    path = url("intake_export") + "?status=submitted"
    client.get(path)
    with CaptureQueriesContext(connection) as one:
        client.get(path)
    for n in range(2):
        returned = dvk_model_in_status(
            ModelStatus.RETURNED,
            campaign=world.campaign,
            unit=UnitFactory(parent=world.province),
            reviewer=world.secretariat,
            name=f"Trả {n}",
        )
        services.dvk_model_submit(dvk_model=returned, by=returned.created_by)

    with CaptureQueriesContext(connection) as three:
        response = client.get(path)

    assert len(table(load_workbook(io.BytesIO(response.content)).worksheets[0])) == 3
    assert len(three.captured_queries) == len(one.captured_queries)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("secretariat", 200), ("leader", 200), ("officer_a", 404), ("committee", 404)],
)
def test_export_permissions(client, world, role, expected):
    client.force_login(getattr(world, role))

    assert client.get(url("intake_export")).status_code == expected


def test_export_anonymous_goes_to_login(client, world):
    response = client.get(url("intake_export"))

    assert response.url == login_redirect(url("intake_export"))


# --- Several at once ------------------------------------------------------------------------


@pytest.fixture
def notify_officer(world, monkeypatch):
    """Only one notification kind listens: an accepted or returned registration tells the
    unit's officer A (the real kinds belong to the notifications' own tests)."""
    kind = notifications.NotificationKind(
        code="test.intake",
        label="test",
        actions=("models_registry.dvkmodel.accept", "models_registry.dvkmodel.return"),
        recipients=lambda log: [world.officer_a],
        message=lambda log, user: notifications.Message(title=log.action),
    )
    monkeypatch.setattr(notifications, "_kinds", {kind.code: kind})


def test_bulk_accept_each_through_the_single_service(client, world, listed, notify_officer):
    a1, a2, _a3, b = listed
    client.force_login(world.secretariat)

    response = client.post(
        url("intake_accept_many"), {"ids": [a1.pk, b.pk], "from": "status=submitted"}
    )

    assert response.url == url("intake") + "?status=submitted"
    assert [status_of(m) for m in (a1, a2, b)] == [
        ModelStatus.ACCEPTED,
        ModelStatus.SUBMITTED,
        ModelStatus.ACCEPTED,
    ]
    assert (actions(a1, "accept"), actions(b, "accept"), actions(a2, "accept")) == (1, 1, 0)
    assert sorted(
        Notification.objects.filter(kind="test.intake").values_list(
            "activity__object_id", flat=True
        )
    ) == sorted([a1.pk, b.pk])
    assert any("2" in m for m in messages_of(response))


def test_bulk_accept_reports_a_model_already_accepted(client, world, listed, notify_officer):
    a1, a2, _a3, _b = listed
    services.dvk_model_accept(dvk_model=a1, by=world.secretariat)
    client.force_login(world.secretariat)

    response = client.post(url("intake_accept_many"), {"ids": [a1.pk, a2.pk]})

    assert (status_of(a2), actions(a1, "accept"), actions(a2, "accept")) == (
        ModelStatus.ACCEPTED,
        1,
        1,
    )
    assert Notification.objects.filter(kind="test.intake", activity__object_id=a1.pk).count() == 1
    assert any(a1.name in m for m in messages_of(response))


def test_bulk_accept_leaves_out_of_scope_ids(client, world, listed):
    other = CampaignFactory(organiser=world.other_province)
    outside = submitted(world, unit=world.commune_c, campaign=other)
    client.force_login(world.secretariat)

    response = client.post(url("intake_accept_many"), {"ids": [outside.pk, listed[0].pk, "x"]})

    assert (status_of(outside), status_of(listed[0])) == (
        ModelStatus.SUBMITTED,
        ModelStatus.ACCEPTED,
    )
    assert actions(outside, "accept") == 0
    assert any("1" in m and outside.name not in m for m in messages_of(response))


def test_bulk_accept_without_a_tick_says_so(client, world, listed):
    client.force_login(world.secretariat)

    response = client.post(url("intake_accept_many"), {"from": "q=x"})

    assert response.url == url("intake") + "?q=x"
    assert len(messages_of(response)) == 1
    assert DvkModel.objects.filter(status=ModelStatus.ACCEPTED).count() == 0


@pytest.mark.parametrize("name", ["intake_accept_many", "intake_return_many"])
@pytest.mark.parametrize(("role", "expected"), [("leader", 404), ("officer_a", 404)])
def test_bulk_actions_refused_to_readers(client, world, listed, name, role, expected):
    client.force_login(getattr(world, role))

    response = client.post(url(name), {"ids": [listed[0].pk], "reason": "x", "confirm": "1"})

    assert response.status_code == expected
    assert status_of(listed[0]) == ModelStatus.SUBMITTED


@pytest.mark.parametrize("name", ["intake_accept_many", "intake_return_many"])
def test_bulk_actions_anonymous_and_get(client, world, name):
    assert client.post(url(name)).url == login_redirect(url(name))
    client.force_login(world.secretariat)
    assert client.get(url(name)).status_code == 405


def test_bulk_return_asks_for_one_reason(client, world, listed):
    a1, a2, _a3, _b = listed
    services.dvk_model_accept(dvk_model=a2, by=world.secretariat)
    client.force_login(world.secretariat)

    response = client.post(url("intake_return_many"), {"ids": [a1.pk, a2.pk], "from": "q=A"})

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["selection"] == [a1]
    assert response.context["not_waiting"] == [a2]
    assert f'name="ids" value="{a1.pk}"' in html
    assert 'name="from" value="q=A"' in html
    assert status_of(a1) == ModelStatus.SUBMITTED


def test_bulk_return_without_reason_error_at_the_field(client, world, listed):
    a1, a2, _a3, _b = listed
    client.force_login(world.secretariat)
    day = days(10).isoformat()

    response = client.post(
        url("intake_return_many"),
        {"ids": [a1.pk, a2.pk], "confirm": "1", "reason": "  ", "resubmit_by": day},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["reason"]
    assert response.context["selection"] == [a2, a1]
    assert f'name="ids" value="{a1.pk}"' in html and f'name="ids" value="{a2.pk}"' in html
    assert f'value="{day}"' in html
    assert [status_of(a1), status_of(a2)] == [ModelStatus.SUBMITTED] * 2


def test_bulk_return_past_day_error_at_the_field_reason_kept(client, world, listed):
    a1 = listed[0]
    client.force_login(world.secretariat)

    response = client.post(
        url("intake_return_many"),
        {
            "ids": [a1.pk],
            "confirm": "1",
            "reason": "Bổ sung số liệu",
            "resubmit_by": days(-1).isoformat(),
        },
    )

    assert list(response.context["form"].errors) == ["resubmit_by"]
    assert "Bổ sung số liệu" in response.content.decode()
    assert status_of(a1) == ModelStatus.SUBMITTED


def test_bulk_return_returns_each_with_the_reason(client, world, listed, notify_officer):
    a1, a2, _a3, _b = listed
    client.force_login(world.secretariat)

    response = client.post(
        url("intake_return_many"),
        {
            "ids": [a1.pk, a2.pk],
            "confirm": "1",
            "reason": "Thiếu minh chứng",
            "resubmit_by": days(5).isoformat(),
            "from": "status=submitted",
        },
    )

    assert response.url == url("intake") + "?status=submitted"
    returned = DvkModel.objects.filter(pk__in=[a1.pk, a2.pk])
    assert {(m.status, m.return_reason, m.resubmit_deadline) for m in returned} == {
        (ModelStatus.RETURNED, "Thiếu minh chứng", days(5))
    }
    assert (actions(a1, "return"), actions(a2, "return")) == (1, 1)
    assert Notification.objects.filter(kind="test.intake").count() == 2


def test_bulk_return_service_refuses_an_empty_reason_before_any_model(world, listed):
    with pytest.raises(RegistrationError) as refused:
        services.dvk_models_return_many(dvk_models=listed[:2], by=world.secretariat, reason=" ")

    assert list(refused.value.field_errors()) == ["reason"]
    assert [status_of(m) for m in listed[:2]] == [ModelStatus.SUBMITTED] * 2


def test_bulk_service_reports_a_model_changed_meanwhile(world, listed):
    a1, a2, _a3, _b = listed
    stale = DvkModel.objects.get(pk=a1.pk)
    services.dvk_model_return(dvk_model=a1, by=world.secretariat, reason="Sửa")

    outcome = services.dvk_models_accept_many(dvk_models=[stale, a2], by=world.secretariat)

    assert [m.pk for m in outcome.done] == [a2.pk]
    assert [(m.pk, m.status) for m, _reason in outcome.refused] == [(a1.pk, ModelStatus.RETURNED)]
    assert actions(a1, "accept") == 0


def test_intake_list_ticks_only_submitted_rows(client, world, listed):
    a1, a2, _a3, _b = listed
    services.dvk_model_accept(dvk_model=a1, by=world.secretariat)
    client.force_login(world.secretariat)

    html = client.get(url("intake")).content.decode()

    assert f'name="ids" value="{a2.pk}"' in html
    assert f'name="ids" value="{a1.pk}"' not in html
    assert url("intake_export") in html


def test_intake_list_has_no_ticks_for_leaders(client, world, listed):
    client.force_login(world.leader)

    html = client.get(url("intake")).content.decode()

    assert 'name="ids"' not in html
    assert url("intake_accept_many") not in html


# --- Changes since the previous submission ----------------------------------------------------


def test_word_diff_marks_removed_and_added_words():
    old, new = word_diff("Bê tông hoá 2 km đường thôn", "Bê tông hoá 3 km đường liên thôn")

    assert [p for p in old if p["op"] != "equal"] == [{"op": "delete", "text": "2"}]
    assert [p for p in new if p["op"] != "equal"] == [
        {"op": "insert", "text": "3"},
        {"op": "insert", "text": "liên "},
    ]
    assert "".join(p["text"] for p in new) == "Bê tông hoá 3 km đường liên thôn"


def test_word_diff_elides_a_long_unchanged_stretch():
    words = " ".join(f"từ{n}" for n in range(100))

    _old, new = word_diff(words + " cũ", words + " mới")

    assert new[0]["op"] == "skip"
    assert new[-1] == {"op": "insert", "text": "mới"}


@pytest.fixture
def resubmitted(world):
    dvk_model = dvk_model_in_status(
        ModelStatus.RETURNED,
        campaign=world.campaign,
        unit=world.commune_a,
        reviewer=world.secretariat,
        goals="Bê tông hoá 2 km đường thôn.",
    )
    data = {
        "goals": "Bê tông hoá 3 km đường liên thôn <script>alert(1)</script>.",
        "lead_email": "",
    }
    return services.dvk_model_save(
        dvk_model=dvk_model, by=world.officer_a, data=data, version=dvk_model.version, submit=True
    )


def test_changes_show_old_and_new_words_of_changed_items_only(client, world, resubmitted):
    client.force_login(world.secretariat)

    response = client.get(url("model_detail", resubmitted.pk))

    changes = response.context["submission_changes"]
    assert [(c["name"], c["old"]) for c in changes] == [
        ("goals", "Bê tông hoá 2 km đường thôn."),
        ("lead_email", "binh@example.vn"),
    ]
    html = response.content.decode()
    assert '<del><span class="visually-hidden">' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_changes_after_acceptance_and_for_the_unit(client, world, resubmitted):
    services.dvk_model_accept(dvk_model=resubmitted, by=world.secretariat)
    client.force_login(world.officer_a)

    response = client.get(url("model_detail", resubmitted.pk))

    assert [c["name"] for c in response.context["submission_changes"]] == ["goals", "lead_email"]


def test_no_changes_section_on_a_first_submission(client, world, listed):
    client.force_login(world.secretariat)

    response = client.get(url("model_detail", listed[0].pk))

    assert response.context["submission_changes"] is None
    assert "submission-diff" not in response.content.decode()


def test_changes_hidden_from_a_reader_outside_the_scope(client, world, resubmitted):
    world.campaign.share_accepted_models = True
    world.campaign.save()
    services.dvk_model_accept(dvk_model=resubmitted, by=world.secretariat)
    client.force_login(world.officer_b)

    response = client.get(url("model_detail", resubmitted.pk))

    assert response.status_code == 200
    assert "submission_changes" not in response.context
