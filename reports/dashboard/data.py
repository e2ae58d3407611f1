"""The leaders' dashboard as plain data (the contract between ``selectors`` and the
pages, the one-page PDF and the tests).

Every figure is a count computed by the database (grouped queries), through the same
figure functions as the December report (``reports.statistics``), so that the dashboard
of a campaign without filters shows exactly the report's numbers. Each countable figure
carries the link to the list behind it (``url``; "" when no page lists it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar


def percent(part: int, whole: int) -> int:
    """``part`` in whole per cent of ``whole`` (0 when ``whole`` is 0)."""
    return round(100 * part / whole) if whole else 0


@dataclass(frozen=True)
class Filters:
    """What the user chose (validated by ``reports.forms.DashboardFilterForm``).

    ``campaign``: the year shown (a ``models_registry.Campaign`` reaching the user);
    ``locality``: a unit inside the user's scope to narrow to (None: the whole scope);
    ``field``: a top-level ``Field`` (None: every field).
    """

    campaign: object
    locality: object | None = None
    field: object | None = None

    def query(self) -> dict[str, str]:
        """The filters as the dashboard's GET parameters (to keep them in links)."""
        params = {"year": str(self.campaign.pk)}
        if self.locality is not None:
            params["locality"] = str(self.locality.pk)
        if self.field is not None:
            params["field"] = str(self.field.pk)
        return params


@dataclass(frozen=True)
class Loaded:
    """What the filter form read to validate the filters and the dashboard needs as
    well, so that it is read once: the scope's unit tree, the top-level fields (pk, name)
    and the campaign compared against (None: none; ``UNKNOWN``: the form could not tell)."""

    UNKNOWN: ClassVar[object] = object()

    tree: object | None
    fields: list[tuple[int, str]]
    previous: object | None


@dataclass(frozen=True)
class Bar:
    """One countable figure: a bar of a chart and a row of its table."""

    key: str
    label: str
    value: int
    url: str = ""
    previous: int | None = None  # the same figure last year, where the panel compares
    out_of: int | None = None  # the whole the value is part of (coverage: expected units)


@dataclass(frozen=True)
class FieldBar:
    """Models of one top-level field, split by kind (in ``reports.wording.KINDS`` order)."""

    key: str
    label: str
    by_kind: tuple[int, ...]
    url: str = ""

    @property
    def total(self) -> int:
        return sum(self.by_kind)


@dataclass(frozen=True)
class LocalityCell:
    """One locality (a unit directly below the scope's root) of the locality grid."""

    unit_id: int
    name: str
    expected: int  # units of the registering kinds in it, existing during the campaign
    registered: int  # of those, units with at least one registered model
    models: int  # registered models of its subtree
    exemplary: int  # "tiêu biểu" models of its subtree
    url: str = ""  # the dashboard narrowed to it

    @property
    def coverage(self) -> int:
        """Registered units in per cent of expected units (0 when none expected)."""
        return percent(self.registered, self.expected)


@dataclass(frozen=True)
class Progress:
    """Evaluation of the campaign's models in scope."""

    rounds: int
    rounds_finalised: int
    sheets: int  # active assignments' sheets
    sheets_submitted: int
    url: str = ""


@dataclass(frozen=True)
class Exemplary:
    pk: int
    name: str
    unit_name: str
    tier: str
    url: str = ""


@dataclass(frozen=True)
class AwardBar:
    type_name: str
    issuer: str
    collectives: int
    individuals: int
    url: str = ""

    @property
    def total(self) -> int:
        return self.collectives + self.individuals


@dataclass
class Dashboard:
    filters: Filters
    scope_name: str  # the unit whose subtree is shown ("Tỉnh Hà Tĩnh", "Xã Cẩm Xuyên")
    previous_year: int | None  # the campaign compared against (None: no earlier campaign)
    registrations: Bar  # this year's registered models (previous = last year's)
    expected_units: int
    registered_units: int
    units_without: tuple[str, ...]  # names, Vietnamese order
    by_group: list[Bar] = field(default_factory=list)  # coverage by unit kind group
    by_kind: list[Bar] = field(default_factory=list)
    by_origin: list[Bar] = field(default_factory=list)
    by_field: list[FieldBar] = field(default_factory=list)
    localities: list[LocalityCell] = field(default_factory=list)
    progress: Progress | None = None
    tiers: list[Bar] = field(default_factory=list)
    recognised: int = 0
    exemplary: list[Exemplary] = field(default_factory=list)
    awards: list[AwardBar] = field(default_factory=list)
    coverage_url: str = ""

    @property
    def coverage(self) -> int:
        """Registered units in per cent of the units expected to register."""
        return percent(self.registered_units, self.expected_units)

    recognised_url: str = ""  # the showcase library with the same filters
    exemplary_url: str = ""  # the same, exemplary ("tiêu biểu") models only
