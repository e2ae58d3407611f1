"""The leaders' dashboard (``/bao-cao/tong-quan/``) and its one-page PDF summary.

Secretariat, leaders and administrators (``reports.view_dashboard``); anybody else 404.
The figures are those of ``reports.dashboard.selectors.dashboard_for`` over the user's
subtree, narrowed by the filters of ``reports.forms.DashboardFilterForm`` (year, locality,
field) read from the query string. An invalid filter shows its message at the field and no
figures (never a 500). The page draws its charts with Chart.js from the JSON built here
(``chart_specs``) and prints every figure in a table beside its chart as well; the PDF is
printed synchronously (one page) by ``dashboard_pdf.render_dashboard_pdf``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from danvan.dates import today
from danvan.web import file_response, require
from models_registry.enums import ModelKind

from ..dashboard.data import Bar, Dashboard, LocalityCell, percent
from ..dashboard.selectors import dashboard_for
from ..forms import DashboardFilterForm
from ..renderers import render_dashboard_pdf
from ..wording import KINDS

# Coverage bands of the locality grid (lowest per cent of each band), lowest first.
BANDS = (0, 20, 40, 60, 80)


def _filtered(request):
    """The filter form read from the query string and the dashboard it selects (None
    when a filter is invalid: the form carries the message)."""
    user = request.user
    require(user, "reports.view_dashboard")
    form = DashboardFilterForm(request.GET, user=user)
    filters = form.filters()
    board = dashboard_for(user, filters, form.loaded(filters)) if filters is not None else None
    return form, board


@require_GET
def dashboard(request):
    form, board = _filtered(request)
    context = {"form": form, "board": board}
    if board is not None:
        context.update(dashboard_context(board))
    return render(request, "reports/dashboard/dashboard.html", context)


@require_GET
def dashboard_pdf(request):
    """The one-page summary of the dashboard with the same filters, as a download."""
    _form, board = _filtered(request)
    if board is None:
        messages.error(request, _("Check the filters of the overview."))
        url = reverse("reports:dashboard")
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    with translation.override("vi"):  # the document's wording is Vietnamese
        labels = filter_labels(board)
    return file_response(*render_dashboard_pdf(board, printed=today(), filters=labels))


# Long lists are cut on the page (each links to its full list): at province scale there are
# hundreds of exemplary models and of units that registered nothing.
EXEMPLARY_SHOWN = 20
UNITS_WITHOUT_SHOWN = 100


def dashboard_context(board: Dashboard) -> dict:
    """What the page shows beside ``board``: the filters as a query string, the key
    figures worked out, the charts' data, the locality grid's bands."""
    query = QueryDict(mutable=True)
    query.update(board.filters.query())
    registrations = board.registrations
    previous = registrations.previous
    return {
        "query": query.urlencode(),
        "filter_labels": filter_labels(board),
        "difference": None if previous is None else registrations.value - previous,
        "coverage": board.coverage,
        "charts": chart_specs(board),
        "localities": [
            {"cell": cell, "band": band_of(cell.coverage), **locality_figures(cell)}
            for cell in board.localities
        ],
        "bands": band_legend(),
        "kind_labels": kind_labels(),
        "exemplary_shown": board.exemplary[:EXEMPLARY_SHOWN],
        "exemplary_more": max(0, len(board.exemplary) - EXEMPLARY_SHOWN),
        "units_without_shown": board.units_without[:UNITS_WITHOUT_SHOWN],
        "units_without_more": max(0, len(board.units_without) - UNITS_WITHOUT_SHOWN),
        "progress_percent": (
            percent(board.progress.sheets_submitted, board.progress.sheets) if board.progress else 0
        ),
    }


def filter_labels(board: Dashboard) -> list[tuple[str, str]]:
    """The filters in words: (label, value) pairs for the page's and the PDF's header."""
    filters = board.filters
    return [
        (_("Year"), str(filters.campaign.year)),
        (_("Locality"), filters.locality.name if filters.locality else _("All")),
        (_("Field"), filters.field.name if filters.field else _("All")),
    ]


def locality_figures(cell: LocalityCell) -> dict[str, str]:
    """A locality tile's figures in words, worded as the template's ``blocktranslate``
    would word them (the same messages and number formats): built here because a
    province has a hundred tiles and three ``blocktranslate`` each were a third of the
    page's rendering time."""
    return {
        "units_text": _("%(registered)s/%(expected)s units")
        % {"registered": intcomma(cell.registered), "expected": intcomma(cell.expected)},
        "models_text": ngettext("%(n)s model", "%(n)s models", cell.models)
        % {"n": localize(cell.models)},
        "exemplary_text": ngettext("%(n)s exemplary", "%(n)s exemplary", cell.exemplary)
        % {"n": localize(cell.exemplary)},
    }


def band_of(coverage: int) -> int:
    """The index (0–4) of the coverage band ``coverage`` per cent falls in."""
    return max(index for index, low in enumerate(BANDS) if coverage >= low)


def band_legend() -> list[dict]:
    """The bands with their ranges in words ("0–19 %" … "80–100 %")."""
    highs = [low - 1 for low in BANDS[1:]] + [100]
    return [
        {"index": index, "range": f"{low}–{high} %"}
        for index, (low, high) in enumerate(zip(BANDS, highs, strict=True))
    ]


def kind_labels() -> list[str]:
    """The kinds' names in the order of ``FieldBar.by_kind`` (``reports.wording.KINDS``)."""
    return [str(ModelKind(kind).label) for kind, _label in KINDS]


# --- The charts' data (json_script, drawn by static/js/dashboard.js) ----------------------


def _summary(title: str, labels, values) -> str:
    """The chart's figures in words, for its ``aria-label``."""
    figures = "; ".join(f"{label}: {value}" for label, value in zip(labels, values, strict=True))
    return f"{title}. {figures}" if figures else title


def bar_spec(
    bars: list[Bar], title: str, series: str, *, horizontal=False, compare: str = ""
) -> dict:
    """A bar chart of ``bars``: this year's values (named ``series``); last year's beside
    them when ``compare`` names that year and the bars carry ``previous``."""
    labels = [bar.label for bar in bars]
    values = [bar.value for bar in bars]
    datasets = [{"label": series, "data": values, "tone": "primary"}]
    if compare and any(bar.previous is not None for bar in bars):
        datasets.append(
            {"label": compare, "data": [bar.previous or 0 for bar in bars], "tone": "accent"}
        )
    return {
        "type": "bar",
        "horizontal": horizontal,
        "stacked": False,
        "labels": labels,
        "datasets": datasets,
        "urls": [bar.url for bar in bars],
        "summary": _summary(title, labels, values),
    }


def coverage_spec(bars: list[Bar], title: str, year: int) -> dict:
    """Per group, the units registered in per cent of the units expected (``out_of``):
    horizontal bars on a 0–100 % scale, so that a group of three units and one of four
    hundred read alike; the counts are in the table beside it."""
    labels = [bar.label for bar in bars]
    shares = [percent(bar.value, bar.out_of or 0) for bar in bars]
    return {
        "type": "bar",
        "horizontal": True,
        "stacked": False,
        "percent": True,
        "labels": labels,
        "datasets": [{"label": str(year), "data": shares, "tone": "primary"}],
        "urls": [bar.url for bar in bars],
        "summary": _summary(
            title,
            labels,
            [f"{bar.value}/{bar.out_of or 0} ({s} %)" for bar, s in zip(bars, shares, strict=True)],
        ),
    }


def chart_specs(board: Dashboard) -> dict:
    """Every chart of the page by name: type, labels, datasets (label and values), the
    link of each bar and the summary read out by screen readers."""
    kinds = kind_labels()
    fields = board.by_field
    awards = board.awards
    award_labels = [f"{a.type_name} – {a.issuer}" for a in awards]
    year = board.filters.campaign.year
    last_year = str(board.previous_year) if board.previous_year else ""
    return {
        "by_group": coverage_spec(board.by_group, _("Units registered by group"), year),
        "by_field": {
            "type": "bar",
            "horizontal": True,
            "stacked": True,
            "labels": [f.label for f in fields],
            "datasets": [
                {
                    "label": kind,
                    "data": [f.by_kind[index] for f in fields],
                    "tone": f"series{index}",
                }
                for index, kind in enumerate(kinds)
            ],
            "urls": [f.url for f in fields],
            "summary": _summary(
                _("Models by field and kind"), [f.label for f in fields], [f.total for f in fields]
            ),
        },
        "by_kind": bar_spec(board.by_kind, _("Models by kind"), str(year), compare=last_year),
        "by_origin": bar_spec(board.by_origin, _("Models by origin"), str(year), compare=last_year),
        "tiers": bar_spec(board.tiers, _("Results by tier"), str(year)),
        "awards": {
            "type": "bar",
            "horizontal": True,
            "stacked": True,
            "labels": award_labels,
            "datasets": [
                {
                    "label": _("Collectives"),
                    "data": [a.collectives for a in awards],
                    "tone": "series0",
                },
                {
                    "label": _("Individuals"),
                    "data": [a.individuals for a in awards],
                    "tone": "series1",
                },
            ],
            "urls": [a.url for a in awards],
            "summary": _summary(
                _("Awards by type and issuer"), award_labels, [a.total for a in awards]
            ),
        },
    }
