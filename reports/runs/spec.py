"""The inputs of a report run (``ReportSpec``) and the one code path from inputs to files:
``report_render`` (one format, what each job of a run does) and ``report_files`` (all
three from one document, what ``manage.py build_report`` does). Same functions, same
bytes."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

from danvan.dates import today
from danvan.models import Unit
from models_registry.models import Campaign

from .. import selectors
from ..builder import annual_report, summary_report
from ..data import ReportDocument
from ..enums import ReportKind
from ..models import NARRATIVE_FIELDS, REPORT_FORMATS, Report, ReportNarrative
from ..renderers import render_docx, render_pdf, render_xlsx
from ..services import ReportsError

RENDERERS: dict[str, Callable[[ReportDocument], tuple[str, str, bytes]]] = {
    "pdf": render_pdf,
    "docx": render_docx,
    "xlsx": render_xlsx,
}
FORMAT_LABELS = {"pdf": "PDF", "docx": "DOCX", "xlsx": "XLSX"}
Progress = Callable[[int, int], None]


# --- Inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportSpec:
    """Every input of a report: what the run stores and what the renderers are fed.
    ``narrative`` is the secretariat's text when the run was requested ({field: text})."""

    kind: str
    organiser_id: int
    campaign_id: int
    report_date: datetime.date
    from_year: int | None = None
    to_year: int | None = None
    number: str = ""
    day_given: bool = False
    narrative: dict = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the inputs (the narrative's texts, not its version number)."""
        data = asdict(self)
        data["report_date"] = self.report_date.isoformat()
        data["narrative"] = {name: self.narrative.get(name, "") for name in NARRATIVE_FIELDS}
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    @classmethod
    def of(cls, report: Report) -> ReportSpec:
        return cls(
            kind=report.kind,
            organiser_id=report.organiser_id,
            campaign_id=report.campaign_id,
            report_date=report.report_date,
            from_year=report.from_year,
            to_year=report.to_year,
            number=report.number,
            day_given=report.day_given,
            narrative=dict(report.narrative),
        )

    def title(self) -> str:
        if self.kind == ReportKind.SUMMARY:
            return _("Summary report %(from)s–%(to)s") % {
                "from": self.from_year,
                "to": self.to_year,
            }
        year = Campaign.objects.values_list("year", flat=True).get(pk=self.campaign_id)
        return _("Annual report %(year)s") % {"year": year}


def report_spec(
    *,
    kind: str,
    campaign: Campaign | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
    date: datetime.date | None = None,
    number: str = "",
    day_given: bool = False,
) -> ReportSpec:
    """The inputs of a report, with the defaults resolved now (so that a rerun gives the
    same bytes): the date defaults to the campaign's report date, else today; the
    narrative is the saved one as it stands. For the summary, ``campaign`` may be omitted:
    the phase's last campaign of the province is used. Raises ``ReportsError``."""
    number = (number or "").strip()
    if len(number) > Report._meta.get_field("number").max_length:
        raise ReportsError(_("The number is too long."), field="number")
    if kind == ReportKind.ANNUAL:
        if campaign is None:
            raise ReportsError(_("Choose a campaign."), field="campaign")
        from_year = to_year = None
    elif kind == ReportKind.SUMMARY:
        if from_year is None or to_year is None or from_year > to_year:
            raise ReportsError(_("Give a first year no later than the last year."), field="to_year")
        campaign = campaign or _last_campaign(from_year, to_year)
        if campaign is None or not from_year <= campaign.year <= to_year:
            raise ReportsError(
                _("There is no campaign from %(from)s to %(to)s.")
                % {"from": from_year, "to": to_year},
                field="from_year",
            )
    else:
        raise ReportsError(_("Unknown report."), field="kind")
    saved = selectors.narrative_of(campaign=campaign, kind=kind)
    return ReportSpec(
        kind=kind,
        organiser_id=campaign.organiser_id,
        campaign_id=campaign.pk,
        report_date=date or campaign.report_date or today(),
        from_year=from_year,
        to_year=to_year,
        number=number,
        day_given=bool(day_given),
        narrative=_snapshot(saved),
    )


def _last_campaign(from_year: int, to_year: int) -> Campaign | None:
    from danvan.enums import UnitKind

    return (
        Campaign.objects.filter(
            year__gte=from_year, year__lte=to_year, organiser__kind=UnitKind.PROVINCE
        )
        .order_by("-year", "pk")
        .first()
    )


def _snapshot(narrative: ReportNarrative | None) -> dict:
    if narrative is None:
        return {}
    return {
        **{name: getattr(narrative, name) for name in NARRATIVE_FIELDS},
        "version": narrative.version,
    }


# --- The one code path from inputs to files -----------------------------------------------


def report_document(spec: ReportSpec) -> ReportDocument:
    """The report built from ``spec`` (the figures from the data as it stands, the
    narrative from the snapshot). Raises ``ReportsError`` (e.g. no issuer profile)."""
    options = {"date": spec.report_date, "number": spec.number, "day_given": spec.day_given}
    if spec.kind == ReportKind.SUMMARY:
        organiser = Unit.objects.get(pk=spec.organiser_id)
        build, args = summary_report, (spec.from_year, spec.to_year)
        options["organiser"] = organiser
    else:
        build, args = (
            annual_report,
            (Campaign.objects.select_related("organiser").get(pk=spec.campaign_id),),
        )
    # The snapshot, not the narrative saved since the request (same inputs, same bytes).
    options["narrative"] = ReportNarrative(
        campaign_id=spec.campaign_id,
        kind=spec.kind,
        **{name: spec.narrative.get(name, "") for name in NARRATIVE_FIELDS},
    )
    return build(*args, **options)


def report_render(
    spec: ReportSpec, fmt: str, progress: Progress | None = None
) -> tuple[str, str, bytes]:
    """One format of the report: ``(filename, content_type, bytes)``. What each job of a
    run does (``reports.jobs``)."""
    progress = progress or (lambda done, total: None)
    progress(0, 3)
    document = report_document(spec)
    progress(1, 3)
    result = RENDERERS[fmt](document)
    progress(2, 3)
    return result


def report_files(spec: ReportSpec) -> list[tuple[str, str, bytes]]:
    """The three files from one document, in ``REPORT_FORMATS`` order (the command line):
    the same functions as ``report_render``, hence the same bytes."""
    document = report_document(spec)
    return [RENDERERS[fmt](document) for fmt in REPORT_FORMATS]
