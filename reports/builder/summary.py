"""The five-year summary (báo cáo tổng kết giai đoạn): the annual outline with a column per
year and the change against the year before; localities with dissolved or merged units
rolled up into their successors."""

from __future__ import annotations

import datetime

from danvan.dates import today
from danvan.enums import UnitKind
from danvan.models import Unit
from models_registry.models import Campaign

from .. import selectors, statistics
from ..data import AnnexRow, ReportDocument, Section, Table
from ..enums import ReportKind
from ..models import ReportNarrative
from ..statistics.sorting import sort_key as vietnamese_sort_key
from ..wording import KIND_LABELS, LEVEL_LABELS, NO_FIELD, ORIGIN_LABELS, ROLLUP_NOTE
from .common import ANNEX_COLUMNS, DVK, closing_sections, issuer_snapshot, narrative_blocks
from .tables import bar_chart, paragraphs, year_table
from .tables import number as num


def _organiser(from_year: int, to_year: int) -> Unit | None:
    """The province whose campaigns the range covers (else any organiser of the range)."""
    campaigns = Campaign.objects.filter(year__gte=from_year, year__lte=to_year).select_related(
        "organiser"
    )
    found = sorted(campaigns, key=lambda c: (c.organiser.kind != UnitKind.PROVINCE, -c.year, c.pk))
    return found[0].organiser if found else None


def _overview_table(rows) -> Table:
    return Table(
        "Tổng hợp kết quả phong trào qua các năm",
        (
            "Năm",
            "Số đăng ký",
            "Tăng (+), giảm (−) so với năm trước",
            "Mới",
            "Duy trì",
            "Nhân rộng",
            "Đã xét chọn",
            "Được công nhận",
            "Tiêu biểu",
            "Lượt khen thưởng",
        ),
        tuple(
            (
                str(r.year),
                r.registered,
                r.change,
                r.new,
                r.maintained,
                r.replicated,
                r.evaluated,
                r.recognised,
                r.exemplary,
                r.awards,
            )
            for r in rows
        ),
        (
            "Tổng cộng",
            sum(r.registered for r in rows),
            None,
            sum(r.new for r in rows),
            sum(r.maintained for r in rows),
            sum(r.replicated for r in rows),
            sum(r.evaluated for r in rows),
            sum(r.recognised for r in rows),
            sum(r.exemplary for r in rows),
            sum(r.awards for r in rows),
        ),
        key="overview",
    )


def _results(summary: statistics.SummaryData, from_year: int, to_year: int, narrative):
    years = summary.year_numbers
    rows = statistics.overview(summary)
    total = sum(r.registered for r in rows)
    first, last = (rows[0], rows[-1]) if rows else (None, None)
    text = f"Giai đoạn {from_year} – {to_year}, có {num(total)} lượt mô hình, điển hình {DVK} được đăng ký"
    if first and last and first is not last:
        text += (
            f"; năm {last.year} có {num(last.registered)} mô hình, điển hình "
            f"({'tăng' if last.registered >= first.registered else 'giảm'} "
            f"{num(abs(last.registered - first.registered))} so với năm {first.year})"
        )
    text += (
        f"; {num(sum(r.recognised for r in rows))} lượt được công nhận, "
        f"{num(sum(r.exemplary for r in rows))} lượt tiêu biểu; "
        f"{num(sum(r.awards for r in rows))} lượt khen thưởng, biểu dương."
    )
    by_field = statistics.fields_per_year(summary)
    kinds = statistics.per_year(summary, statistics.registrations_by_kind)
    localities = statistics.per_locality(summary)
    note = ""
    if localities.rolled_up:
        when = ", ".join(str(y) for y in localities.years)
        note = ROLLUP_NOTE.format(
            count=len(localities.rolled_up), years=f"năm {when}" if when else "các năm trước"
        )

    def table(title, header, statistic, key, **kwargs):
        return year_table(
            title, header, statistics.per_year(summary, statistic), years, key=key, **kwargs
        )

    registration = Section(
        "2. Kết quả đăng ký, xây dựng mô hình, điển hình",
        (
            *paragraphs([text]),
            _overview_table(rows),
            table("Số mô hình, điển hình đăng ký theo khối đơn vị", "Khối đơn vị",
                  statistics.registrations_by_group, "by_unit_group"),
            year_table("Số mô hình, điển hình đăng ký theo lĩnh vực", "Lĩnh vực", by_field,
                       years, key="by_field"),
            bar_chart(
                "Số mô hình, điển hình đăng ký theo năm",
                [str(y) for y in years],
                [(line.label, line.values) for line in kinds],
                key="by_year_chart",
            ),
            year_table("Số mô hình, điển hình đăng ký theo loại", "Loại", kinds, years,
                       key="by_kind"),
            table("Số mô hình, điển hình đăng ký theo cấp", "Cấp",
                  statistics.registrations_by_level, "by_level", drop_empty=True),
            table("Mô hình, điển hình mới, duy trì và nhân rộng", "Nội dung",
                  statistics.registrations_by_origin, "by_origin"),
            year_table("Số mô hình, điển hình đăng ký theo đơn vị, địa phương", "Đơn vị",
                       localities.lines, years, key="by_locality", note=note),
        ),
    )  # fmt: skip
    evaluation = Section(
        "3. Kết quả xét chọn, công nhận mô hình, điển hình",
        (
            table(
                "Kết quả xét chọn theo xếp loại", "Xếp loại", statistics.results_by_tier, "by_tier"
            ),
        ),
    )
    awards = Section(
        "4. Công tác khen thưởng, biểu dương",
        (
            table(
                "Số lượt khen thưởng, biểu dương theo hình thức",
                "Hình thức khen thưởng",
                lambda year: [
                    statistics.Line(a.type_name, a.type_name, a.total)
                    for a in statistics.awards_by_type_and_issuer(year)
                ],
                "awards",
            ),
        ),
    )
    closing, after = closing_sections(
        narrative, 5, f"II. PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN {to_year + 1} – {to_year + 5}"
    )
    leadership = Section(
        "1. Công tác lãnh đạo, chỉ đạo, tuyên truyền", narrative_blocks(narrative, "leadership")
    )
    results = Section(
        "I. KẾT QUẢ THỰC HIỆN", subsections=(leadership, registration, evaluation, awards, *closing)
    )
    return (results, *after)


def _annex(summary: statistics.SummaryData) -> tuple[AnnexRow, ...]:
    """The exemplary models of the phase, by unit then name; the tier column says the
    year ("Xuất sắc (2023)")."""
    rows = []
    for year in summary.years:
        for m in statistics.exemplary_models(year):
            rows.append(
                AnnexRow(
                    unit=m.unit_name,
                    name=m.name,
                    field=m.field_name or NO_FIELD,
                    kind=KIND_LABELS.get(m.kind, m.kind),
                    level=LEVEL_LABELS[summary.tree.level(m.unit_id)],
                    origin=ORIGIN_LABELS[m.origin],
                    score=m.result.score,
                    tier=f"{m.result.tier or 'Tiêu biểu'} ({year.campaign.year})",
                    award="; ".join(m.awards),
                )
            )
    return tuple(
        sorted(
            rows, key=lambda r: (vietnamese_sort_key(r.unit), vietnamese_sort_key(r.name), r.tier)
        )
    )


def summary_report(
    from_year: int,
    to_year: int,
    *,
    organiser: Unit | None = None,
    date: datetime.date | None = None,
    number: str = "",
    day_given: bool = False,
    narrative: ReportNarrative | None = None,
) -> ReportDocument:
    """The summary of the phase ``from_year``–``to_year`` for ``organiser``'s campaigns
    (default: the province whose campaigns the range holds), dated ``date`` (default: the
    last campaign's report date, else today). ``narrative`` is the text to print (a run
    passes its snapshot, an unsaved ``ReportNarrative``); None prints the ``summary``
    narrative saved for the phase's last campaign. Raises ``ReportsError`` when no issuer profile is valid
    that day or the range holds no campaign."""
    from ..services import ReportsError

    organiser = organiser or _organiser(from_year, to_year)
    if organiser is None:
        raise ReportsError(f"Không có năm thi đua nào từ {from_year} đến {to_year}.")
    summary = statistics.load_summary(organiser=organiser, from_year=from_year, to_year=to_year)
    last = summary.years[-1].campaign if summary.years else None
    date = date or (last.report_date if last else None) or today()
    issuer = issuer_snapshot(organiser=organiser, date=date)
    if narrative is None and last is not None:
        narrative = selectors.narrative_of(campaign=last, kind=ReportKind.SUMMARY)
    return ReportDocument(
        kind=ReportKind.SUMMARY,
        issuer=issuer,
        date=date,
        title="BÁO CÁO",
        summary_line=f"Tổng kết phong trào thi đua {DVK} giai đoạn {from_year} – {to_year}",
        sections=_results(summary, from_year, to_year, narrative),
        number=number,
        day_given=day_given,
        annex_title=(
            f"PHỤ LỤC: DANH SÁCH MÔ HÌNH, ĐIỂN HÌNH {DVK.upper()} TIÊU BIỂU "
            f"GIAI ĐOẠN {from_year} – {to_year}"
        ),
        annex_columns=ANNEX_COLUMNS,
        annex=_annex(summary),
    )
