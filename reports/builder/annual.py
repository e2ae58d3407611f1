"""The annual report (báo cáo kết quả phong trào năm N): see the package docstring."""

from __future__ import annotations

import datetime

from danvan.dates import today
from models_registry.models import Campaign

from .. import selectors, statistics
from ..data import ReportDocument, Section, Table
from ..enums import ReportKind
from ..models import ReportNarrative
from ..statistics import YearData
from ..wording import KINDS
from .common import ANNEX_COLUMNS, DVK, closing_sections, issuer_snapshot, narrative_blocks
from .tables import bar_chart, change_words, count_table, paragraphs
from .tables import number as num

# Beyond this many, the units without a registration are counted per group (the table)
# rather than named one by one in the body.
LIST_UNITS_UP_TO = 40

# --- The annual report ---------------------------------------------------------------------


def _registration(data: YearData, previous: YearData | None) -> Section:
    year = data.campaign.year
    total = statistics.registrations_total(data)
    origins = {line.key: line.value for line in statistics.registrations_by_origin(data)}
    prev_total = statistics.registrations_total(previous) if previous else None
    change = change_words(total, prev_total, year - 1)
    cover = statistics.coverage(data)
    texts = [
        f"Năm {year}, có {num(total)} mô hình, điển hình {DVK} được đăng ký"
        + (f" ({change})" if change else "")
        + f"; trong đó {num(origins['new'])} mô hình, điển hình mới, "
        f"{num(origins['maintained'])} duy trì từ các năm trước và "
        f"{num(origins['replicated'])} nhân rộng từ mô hình của đơn vị khác.",
        f"Có {num(cover.with_plan)}/{num(cover.expected)} đơn vị ban hành kế hoạch "
        f"triển khai phong trào; {num(cover.registered)}/{num(cover.expected)} đơn vị "
        f"đăng ký mô hình, điển hình; {num(cover.not_registered)} đơn vị chưa đăng ký.",
    ]
    years = (year - 1, year) if previous else None

    def compare(statistic):
        return statistic(previous) if previous else None

    by_field = statistics.registrations_by_field(data)
    field_table = _field_table(by_field)
    blocks = [
        *paragraphs(texts),
        _coverage_table(cover),
        count_table(
            "Số mô hình, điển hình đăng ký theo khối đơn vị",
            "Khối đơn vị",
            statistics.registrations_by_group(data),
            previous=compare(statistics.registrations_by_group),
            years=years,
            key="by_unit_group",
        ),
        field_table,
        bar_chart(
            "Mô hình, điển hình đăng ký theo lĩnh vực và loại",
            [f.label for f in by_field],
            [(label, [f.by_kind[i] for f in by_field]) for i, (_k, label) in enumerate(KINDS)],
            key="by_field_chart",
        ),
        count_table(
            "Số mô hình, điển hình đăng ký theo loại",
            "Loại",
            statistics.registrations_by_kind(data),
            previous=compare(statistics.registrations_by_kind),
            years=years,
            key="by_kind",
        ),
        count_table(
            "Số mô hình, điển hình đăng ký theo cấp",
            "Cấp",
            statistics.registrations_by_level(data),
            previous=compare(statistics.registrations_by_level),
            years=years,
            key="by_level",
            drop_empty=True,
        ),
        count_table(
            "Mô hình, điển hình mới, duy trì và nhân rộng",
            "Nội dung",
            statistics.registrations_by_origin(data),
            key="by_origin",
            share=True,
        ),
    ]
    if 0 < len(cover.without) <= LIST_UNITS_UP_TO:
        blocks += paragraphs(
            [f"Các đơn vị chưa đăng ký mô hình, điển hình: {', '.join(cover.without)}."]
        )
    return Section("2. Kết quả đăng ký, xây dựng mô hình, điển hình", tuple(blocks))


def _coverage_table(cover):
    rows = tuple(
        (i, label, expected, plan, registered, expected - registered)
        for i, (label, expected, plan, registered) in enumerate(cover.by_group, start=1)
    )
    return Table(
        "Tình hình triển khai phong trào của các đơn vị",
        ("STT", "Khối đơn vị", "Số đơn vị", "Đã ban hành kế hoạch", "Đã đăng ký", "Chưa đăng ký"),
        rows,
        ("", "Tổng cộng", cover.expected, cover.with_plan, cover.registered, cover.not_registered),
        key="coverage",
    )


def _field_table(by_field):
    rows = tuple(
        (i, line.label, *line.by_kind, line.total) for i, line in enumerate(by_field, start=1)
    )
    totals = tuple(sum(line.by_kind[k] for line in by_field) for k in range(len(KINDS)))
    return Table(
        "Số mô hình, điển hình đăng ký theo lĩnh vực",
        ("STT", "Lĩnh vực", *(label for _k, label in KINDS), "Tổng số"),
        rows,
        ("", "Tổng cộng", *totals, sum(totals)),
        key="by_field",
    )


def _evaluation(data: YearData) -> Section:
    total = statistics.registrations_total(data)
    evaluated = statistics.evaluated_count(data)
    recognised = statistics.recognised_count(data)
    exemplary = statistics.exemplary_models(data)
    text = (
        f"Ban Chỉ đạo đã xét chọn {num(evaluated)}/{num(total)} mô hình, điển hình; "
        f"công nhận {num(recognised)} mô hình, điển hình đạt yêu cầu, trong đó "
        f"{num(len(exemplary))} mô hình, điển hình tiêu biểu."
    )
    tiers = count_table(
        "Kết quả xét chọn theo xếp loại",
        "Xếp loại",
        statistics.results_by_tier(data),
        key="by_tier",
        share=True,
    )
    listed = Table(
        "Danh sách mô hình, điển hình tiêu biểu",
        ("STT", "Tên mô hình, điển hình", "Đơn vị", "Lĩnh vực", "Điểm"),
        tuple(
            (i, m.name, m.unit_name, m.field_name, m.result.score)
            for i, m in enumerate(exemplary, start=1)
        ),
        key="exemplary",
    )
    return Section(
        "3. Kết quả xét chọn, công nhận mô hình, điển hình", (*paragraphs([text]), tiers, listed)
    )


def _awards(data: YearData) -> Section:
    lines = statistics.awards_by_type_and_issuer(data)
    total = statistics.awards_total(data)
    text = (
        f"Các cấp đã khen thưởng, biểu dương {num(total)} lượt tập thể, cá nhân có thành "
        f"tích trong phong trào thi đua {DVK}."
    )
    table = Table(
        "Kết quả khen thưởng, biểu dương theo hình thức và cấp khen",
        ("STT", "Hình thức khen thưởng", "Cơ quan khen thưởng", "Tập thể", "Cá nhân", "Tổng số"),
        tuple(
            (i, a.type_name, a.issuer, a.collectives, a.individuals, a.total)
            for i, a in enumerate(lines, start=1)
        ),
        (
            "",
            "Tổng cộng",
            "",
            sum(a.collectives for a in lines),
            sum(a.individuals for a in lines),
            total,
        ),
        key="awards",
    )
    return Section("4. Công tác khen thưởng, biểu dương", (*paragraphs([text]), table))


def annual_report(
    campaign: Campaign,
    *,
    date: datetime.date | None = None,
    number: str = "",
    day_given: bool = False,
    narrative: ReportNarrative | None = None,
) -> ReportDocument:
    """The December report of ``campaign``, dated ``date`` (default: the campaign's report
    date, else today). ``narrative`` is the text to print (a run passes its snapshot, an
    unsaved ``ReportNarrative``); None prints the annual narrative saved for ``campaign``.
    Raises ``ReportsError`` when no issuer profile is valid that day."""
    date = date or campaign.report_date or today()
    issuer = issuer_snapshot(organiser=campaign.organiser, date=date)
    data = statistics.load_year(campaign)
    previous_campaign = selectors.previous_campaign(campaign)
    previous = (
        statistics.load_year(previous_campaign, tree=data.tree, full=False, fields=data.fields)
        if previous_campaign
        else None
    )
    if narrative is None:
        narrative = selectors.narrative_of(campaign=campaign, kind=ReportKind.ANNUAL)
    year = campaign.year
    closing, after = closing_sections(narrative, 5, f"II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {year + 1}")
    results = Section(
        "I. KẾT QUẢ THỰC HIỆN",
        subsections=(
            Section(
                "1. Công tác lãnh đạo, chỉ đạo, tuyên truyền",
                narrative_blocks(narrative, "leadership"),
            ),
            _registration(data, previous),
            _evaluation(data),
            _awards(data),
            *closing,
        ),
    )
    return ReportDocument(
        kind=ReportKind.ANNUAL,
        issuer=issuer,
        date=date,
        title="BÁO CÁO",
        summary_line=f"Kết quả phong trào thi đua {DVK} năm {year}",
        sections=(results, *after),
        number=number,
        day_given=day_given,
        annex_title=f"PHỤ LỤC: DANH SÁCH MÔ HÌNH, ĐIỂN HÌNH {DVK.upper()} NĂM {year}",
        annex_columns=ANNEX_COLUMNS,
        annex=tuple(statistics.annex_rows(data)),
    )
