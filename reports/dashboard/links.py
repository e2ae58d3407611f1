"""The lists behind the dashboard's figures: each countable figure links to the page
that lists what it counts, with the dashboard's filters."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from .data import Filters


def url_for(name: str, query: dict | None = None, *, args=()) -> str:
    """``name`` reversed with ``query`` (empty values left out)."""
    url = reverse(name, args=args)
    query = {key: value for key, value in (query or {}).items() if value not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


_SENTINEL = 987654321


def url_maker(name: str):
    """A function pk → ``name``'s URL for that pk, reversing once (a list of hundreds of
    links would otherwise reverse hundreds of times)."""
    pattern = reverse(name, args=[_SENTINEL])
    return lambda pk: pattern.replace(str(_SENTINEL), str(pk))


@dataclass
class Links:
    """The lists behind the figures, with the dashboard's filters."""

    filters: Filters
    base: dict = field(init=False)

    def __post_init__(self):
        filters = self.filters
        self.base = {
            "year": filters.campaign.year,
            "locality": filters.locality.pk if filters.locality is not None else None,
            "field": filters.field.pk if filters.field is not None else None,
        }

    def intake(self, **params) -> str:
        return url_for("models_registry:intake", self.base | params)

    def library(self, **params) -> str:
        return url_for("showcase:library", self.base | params)

    def coverage(self) -> str:
        return url_for("models_registry:coverage", args=[self.filters.campaign.pk])

    def dashboard(self, locality: int) -> str:
        query = self.filters.query() | {"locality": locality}
        return url_for("reports:dashboard", query)

    def register(self, **params) -> str:
        return url_for("awards:register", {"field": self.base["field"], **params})
