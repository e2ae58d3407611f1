"""The figures of the December report and of the five-year summary (the façade).

Load once, then compute: ``load_year(campaign)`` reads a campaign's rows in a constant
number of queries (``loading``); the ``figures`` functions are pure arithmetic over them;
``load_summary`` and the ``summary`` functions do the same for a range of years.
"""

from .figures import (
    AwardLine,
    Coverage,
    FieldLine,
    Line,
    annex_rows,
    awards_by_type_and_issuer,
    awards_total,
    change,
    coverage,
    evaluated_count,
    exemplary_models,
    recognised_count,
    registrations_by_field,
    registrations_by_group,
    registrations_by_kind,
    registrations_by_level,
    registrations_by_origin,
    registrations_total,
    results_by_tier,
)
from .loading import REGISTERED_STATUSES, ModelRow, ResultInfo, YearData, load_year
from .summary import (
    Localities,
    Overview,
    SummaryData,
    YearLine,
    fields_per_year,
    load_summary,
    overview,
    per_locality,
    per_year,
)
from .units import UnitTree, load_tree

__all__ = [
    "REGISTERED_STATUSES",
    "AwardLine",
    "Coverage",
    "FieldLine",
    "Line",
    "Localities",
    "ModelRow",
    "Overview",
    "ResultInfo",
    "SummaryData",
    "UnitTree",
    "YearData",
    "YearLine",
    "annex_rows",
    "awards_by_type_and_issuer",
    "awards_total",
    "change",
    "coverage",
    "evaluated_count",
    "exemplary_models",
    "fields_per_year",
    "load_summary",
    "load_tree",
    "load_year",
    "overview",
    "per_locality",
    "per_year",
    "recognised_count",
    "registrations_by_field",
    "registrations_by_group",
    "registrations_by_kind",
    "registrations_by_level",
    "registrations_by_origin",
    "registrations_total",
    "results_by_tier",
]
