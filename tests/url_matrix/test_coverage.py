"""Every named URL of the site (but the Django admin's, which has its own matrix) has a row
in one of the tables; a URL added later without one fails here, by its name."""

import pytest

from . import (
    test_awards,
    test_core,
    test_evaluation,
    test_models_registry,
    test_reports,
    test_showcase,
)
from .matrix import url_names

TABLES = [
    test_core.TABLE,
    test_models_registry.TABLE,
    test_evaluation.TABLE,
    test_awards.TABLE,
    test_reports.TABLE,
    test_showcase.TABLE,
]
ROWS = {name for table in TABLES for name in table}


@pytest.mark.parametrize("name", url_names())
def test_url_has_a_row_in_the_matrix(name):
    assert name in ROWS, f"{name} has no row in tests/url_matrix: add it to its app's table"


def test_every_row_names_a_url():
    assert sorted(ROWS - set(url_names())) == []


def test_no_url_has_two_rows():
    assert sum(len(table) for table in TABLES) == len(ROWS)
