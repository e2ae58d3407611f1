"""The library's pages read one year at a time.

The library is sorted by year (newest first), then by the shown result's exemplary flag
and score, then by name: the last three come from the chosen result, a subquery per
model, so sorting the whole library to cut one page of 25 computed them for every model
of every year (a province's five years: ~11,000 models). The models are counted per
year instead (one grouped query, which is the paginator's count too), and a page reads
only the year or years it falls in, with the offset counted from the first of them: the
same rows in the same order, the sort done over one year's models.
"""

from __future__ import annotations

from django.db.models import Count, QuerySet


class LibraryByYear:
    """``queryset`` (a ``library_list``, filtered) as the ``Paginator`` reads it:
    ``count()`` and slices. The per-year counts are read once, at the first ``count()``
    or slice (one query)."""

    def __init__(self, queryset: QuerySet):
        self.queryset = queryset
        self._years: list[tuple[int, int]] | None = None

    @property
    def ordered(self) -> bool:
        return True  # the queryset's order, year first

    def years(self) -> list[tuple[int, int]]:
        """(year, models) of the filtered library, newest year first."""
        if self._years is None:
            rows = (
                self.queryset.order_by()
                .values_list("campaign__year")
                .annotate(n=Count("pk"))
                .values_list("campaign__year", "n")
            )
            self._years = sorted(rows, reverse=True)
        return self._years

    def count(self) -> int:
        return sum(n for _year, n in self.years())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        chosen, skipped = [], None
        position = 0
        for year, n in self.years():
            if position + n > start and (stop is None or position < stop):
                chosen.append(year)
                if skipped is None:
                    skipped = position
            position += n
        if not chosen:
            return []
        offset = start - skipped
        rows = self.queryset.filter(campaign__year__in=chosen)
        end = None if stop is None else offset + (stop - start)
        return list(rows[offset:end])
