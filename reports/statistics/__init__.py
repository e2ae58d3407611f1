"""The figures of the December report and of the five-year summary (the façade).

Load once, then compute: ``load_year(campaign)`` reads a campaign's rows in a constant
number of queries (``loading``); the ``figures`` functions are pure arithmetic over them;
``load_summary`` and the ``summary`` functions do the same for a range of years.
``load_year_grouped`` loads grouped counts instead of one row per model (the leaders'
dashboard), through the same figure functions.
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
from .grouped import (
    GroupedYear,
    chosen_results,
    load_year_grouped,
    load_years_grouped,
    registered_models,
)
from .loading import (
    REGISTERED_STATUSES,
    AwardRow,
    ModelRow,
    ResultInfo,
    YearData,
    load_fields,
    load_tiers,
    load_year,
)
from .sorting import sort_key as vietnamese_sort_key
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
from .units import UnitTree, load_tree, narrowed

__all__ = [
    "REGISTERED_STATUSES",
    "AwardLine",
    "AwardRow",
    "Coverage",
    "FieldLine",
    "GroupedYear",
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
    "chosen_results",
    "coverage",
    "evaluated_count",
    "exemplary_models",
    "fields_per_year",
    "load_fields",
    "load_summary",
    "load_tiers",
    "load_tree",
    "load_year",
    "load_year_grouped",
    "load_years_grouped",
    "narrowed",
    "overview",
    "per_locality",
    "per_year",
    "recognised_count",
    "registered_models",
    "registrations_by_field",
    "registrations_by_group",
    "registrations_by_kind",
    "registrations_by_level",
    "registrations_by_origin",
    "registrations_total",
    "results_by_tier",
    "vietnamese_sort_key",
]
