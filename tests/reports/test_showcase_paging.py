"""The library read one year at a time (``reports.showcase.LibraryByYear``): every page,
including one that straddles two years, holds the rows the whole sorted list holds there."""

import pytest
from django.core.paginator import Paginator
from django.urls import reverse

from reports import showcase
from tests.reports.conftest import campaign_for, finalised_round, registered
from tests.reports.test_showcase_support import build_library

pytestmark = pytest.mark.django_db


@pytest.fixture
def lib(db):
    library = build_library()
    earlier = campaign_for(library.province, library.campaign.year - 1)
    results = []
    for n in range(5):
        dvk_model = registered(
            earlier, library.commune_a, f"Mô hình cũ {n}", by=library.secretariat
        )
        results.append((dvk_model, str(70 + n), "Khá", True, n == 2))
    finalised_round(earlier, library.province, results, by=library.secretariat)
    return library


def test_every_slice_is_the_sorted_lists_slice(lib):
    rows = showcase.library_list(queryset=showcase.library_models(user=lib.officer_a))
    everything = list(rows)
    by_year = showcase.LibraryByYear(rows)

    assert by_year.count() == len(everything) == 7
    assert [year for year, _n in by_year.years()] == [lib.campaign.year, lib.campaign.year - 1]
    for start, stop in [(0, 2), (1, 3), (2, 5), (4, 7), (6, 9), (7, 10), (0, 7)]:
        assert by_year[start:stop] == everything[start:stop], (start, stop)


def test_pages_of_three_straddle_the_years_in_order(lib):
    rows = showcase.library_list(queryset=showcase.library_models(user=lib.officer_a))
    paginator = Paginator(showcase.LibraryByYear(rows), 3)

    pages = [list(paginator.page(n).object_list) for n in paginator.page_range]

    assert [m.name for page in pages for m in page] == [m.name for m in rows]
    assert [len(page) for page in pages] == [3, 3, 1]


def test_library_page_counts_the_years_once_and_lists_the_page(client, lib):
    client.force_login(lib.officer_a)

    response = client.get(reverse("showcase:library"), {"page": 2})

    page = response.context["page_obj"]
    assert page.paginator.count == 7
    assert page.number == 1  # 25 a page: page 2 does not exist, the last one is shown
    assert len(page.object_list) == 7
