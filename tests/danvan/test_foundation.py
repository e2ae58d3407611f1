"""The shared foundation: the refusal adapter, safe spreadsheet cells, dates, file responses."""

import datetime
import io

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from danvan.dates import days_left, format_date
from danvan.errors import DomainError, StaleEditError
from danvan.web import file_response, refusals
from danvan.xlsx import new_workbook, safe_cell, safe_row, workbook_bytes


class _Form(forms.Form):
    name = forms.CharField()
    year = forms.IntegerField()


def _bound_form():
    form = _Form({"name": "Mô hình", "year": "2026"})
    assert form.is_valid()
    return form


def test_refusals_puts_a_field_error_next_to_its_field():
    form = _bound_form()

    with refusals(form) as outcome:
        raise DomainError("Năm không hợp lệ.", field="year")

    assert (outcome.ok, form.errors["year"], form.data["name"]) == (
        False,
        ["Năm không hợp lệ."],
        "Mô hình",
    )


def test_refusals_puts_an_unknown_field_on_the_whole_form():
    form = _bound_form()

    with refusals(form):
        raise DomainError("Không thể lưu.", field="missing")

    assert form.non_field_errors() == ["Không thể lưu."]


def test_refusals_spreads_several_field_errors():
    form = _bound_form()

    with refusals(form):
        raise DomainError(errors={"name": ["Thiếu tên."], None: ["Chưa đủ."]})

    assert (form.errors["name"], form.non_field_errors()) == (["Thiếu tên."], ["Chưa đủ."])


def test_refusals_takes_a_model_validation_error_by_field():
    form = _bound_form()

    with refusals(form):
        raise ValidationError({"year": ["Sai năm."], "__all__": ["Sai."]})

    assert (form.errors["year"], form.non_field_errors()) == (["Sai năm."], ["Sai."])


def test_refusals_with_a_request_adds_a_page_message():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)

    with refusals(request) as outcome:
        raise StaleEditError()

    assert (outcome.ok, len(list(get_messages(request)))) == (False, 1)


def test_refusals_lets_a_bug_through():
    with pytest.raises(KeyError), refusals(_bound_form()):
        raise KeyError("bug")


def test_refusals_ok_when_nothing_is_raised():
    with refusals(_bound_form()) as outcome:
        pass

    assert outcome.ok is True


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Xã Cẩm Xuyên", "Xã Cẩm Xuyên"),
        (12, 12),
        (None, None),
    ],
)
def test_safe_cell_neutralises_formula_triggers(value, expected):
    assert safe_cell(value) == expected


def test_safe_row_writes_text_never_a_formula():
    book = new_workbook()
    sheet = book.create_sheet("x")
    sheet.append(safe_row(sheet, ["=1+1", "Tên", 3]))

    cells = next(load_workbook(io.BytesIO(workbook_bytes(book)))["x"].iter_rows())

    assert [(c.value, c.data_type) for c in cells] == [("'=1+1", "s"), ("Tên", "s"), (3, "n")]


def test_format_date_uses_the_vietnamese_short_format():
    assert format_date(datetime.date(2026, 12, 5)) == "05/12/2026"


def test_days_left_counts_whole_days():
    today = datetime.date(2026, 11, 30)

    assert [
        days_left(today, today_=today),
        days_left(datetime.date(2026, 12, 2), today_=today),
    ] == [
        0,
        2,
    ]


def test_file_response_keeps_a_vietnamese_file_name():
    response = file_response("Báo cáo 2026.pdf", "application/pdf", b"%PDF")

    assert response["Content-Disposition"] == (
        "attachment; filename=\"Bao cao 2026.pdf\"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o%202026.pdf"
    )


@pytest.mark.django_db
def test_activity_rows_show_status_change_and_labelled_data_not_ids():
    from danvan.activity import activity_for, activity_rows, log_action
    from models_registry.enums import ModelStatus
    from tests.factories.registry import dvk_model_in_status

    dvk_model = dvk_model_in_status(ModelStatus.SUBMITTED)
    log_action(
        dvk_model,
        "models_registry.dvkmodel.accept",
        actor=None,
        data={"from": "submitted", "to": "accepted", "until": "2026-12-10", "report": 7},
    )

    row = activity_rows(activity_for(dvk_model).filter(action__endswith=".accept"))[0]

    assert row["data"] == [
        (
            str(_("Status")),
            f"{ModelStatus.SUBMITTED.label} → {ModelStatus.ACCEPTED.label}",
        ),
        (str(_("Until")), "10/12/2026"),
    ]


def test_vietnamese_sort_key_orders_as_the_dictionary_does():
    from danvan.utils import vietnamese_sort_key

    names = [
        "Phường Hoành Sơn",
        "Xã Đức Thọ",
        "Phường Hà Huy Tập",
        "Xã Dương Thủy",
        "Ủy ban",
        "Uông Bí",
        "xã an lạc",
        "Xã Ân Phú",
        "Xã Ăn Khê",
        "Hồng Lĩnh",
        "Hưng Nguyên",
        "Hòa Bình",
    ]

    assert sorted(names, key=vietnamese_sort_key) == [
        "Hòa Bình",
        "Hồng Lĩnh",
        "Hưng Nguyên",
        "Phường Hà Huy Tập",
        "Phường Hoành Sơn",
        "Uông Bí",
        "Ủy ban",
        "xã an lạc",
        "Xã Ăn Khê",
        "Xã Ân Phú",
        "Xã Dương Thủy",
        "Xã Đức Thọ",
    ]


def test_vietnamese_sort_key_tones_break_ties_only():
    from danvan.utils import vietnamese_sort_key

    words = ["mả", "ma", "mạ", "mà", "má", "mã"]

    assert sorted(words, key=vietnamese_sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_detail_sections_come_in_order_and_a_none_context_hides_one(monkeypatch):
    from danvan import extensions

    monkeypatch.setattr(extensions, "_sections", {})
    extensions.register_detail_section(
        "page", extensions.DetailSection("b.html", lambda request, obj: {"n": obj}, order=20)
    )
    extensions.register_detail_section(
        "page", extensions.DetailSection("a.html", lambda request, obj: {"n": obj}, order=10)
    )
    extensions.register_detail_section(
        "page", extensions.DetailSection("hidden.html", lambda request, obj: None, order=5)
    )
    sections = extensions.detail_sections_for("page", None, 7)
    assert sections == [{"template": "a.html", "n": 7}, {"template": "b.html", "n": 7}]
    assert extensions.detail_sections_for("other", None, 7) == []


def test_menu_bar_gathers_a_group_and_shows_a_lone_member_as_itself(monkeypatch):
    from danvan import extensions

    monkeypatch.setattr(extensions, "_menu_groups", {})
    extensions.register_menu_group(extensions.MenuGroup("setup", "Thiết lập", 800))
    items = [
        {"name": "home", "label": "Trang chủ", "url": "/", "group": "", "order": 0},
        {"name": "fields", "label": "Lĩnh vực", "url": "/f/", "group": "setup", "order": 35},
        {"name": "rubrics", "label": "Bộ tiêu chí", "url": "/r/", "group": "setup", "order": 50},
        {"name": "awards", "label": "Khen thưởng", "url": "/k/", "group": "", "order": 50},
    ]
    bar = extensions.menu_bar(items, active="rubrics")
    assert [entry.get("name", entry.get("label")) for entry in bar] == [
        "home",
        "awards",
        "Thiết lập",
    ]
    assert bar[2]["active"] and [c["name"] for c in bar[2]["children"]] == ["fields", "rubrics"]
    lone = extensions.menu_bar(items[:2])
    assert [entry["name"] for entry in lone] == ["home", "fields"]
    assert "children" not in lone[1]  # the bar shows it as a plain link
