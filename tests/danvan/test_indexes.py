"""Indexes the pages' filters, sorts and searches need (issue 14; docs/performance.md,
"Indexes and query plans"): declared in the migrations' state, present in the database,
and on PostgreSQL the trigram indexes that serve the diacritic-free ``__contains``
searches on ``search_text``."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from danvan.models import Unit
from models_registry.models import DvkModel

pytestmark = pytest.mark.django_db

# (app, model, table, index name): B-tree indexes every database gets.
DECLARED = [
    ("evaluation", "assignment", "evaluation_assignment", "assignment_declared_conflict"),
]
# PostgreSQL only, created by the migrations with pg_trgm (no trigram index on SQLite).
TRIGRAM = [
    ("danvan_unit", "unit_search_trgm"),
    ("models_registry_dvkmodel", "dvk_model_search_trgm"),
]


def _index_names(table: str) -> dict:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


@pytest.mark.parametrize(("app", "model", "table", "name"), DECLARED)
def test_page_index_declared_in_migration_state(app, model, table, name):
    state = MigrationLoader(None, ignore_no_migrations=True).project_state()

    names = [index.name for index in state.models[app, model].options["indexes"]]

    assert name in names


@pytest.mark.parametrize(
    ("table", "name"),
    [(table, name) for _app, _model, table, name in DECLARED]
    # Created by SQL in the migration (NULLS FIRST cannot be declared for SQLite).
    + [("models_registry_dvkmodel", "dvk_model_intake_order")],
)
def test_page_index_exists_in_database(table, name):
    assert name in _index_names(table)


def test_declared_conflict_index_is_partial_on_the_round():
    state = MigrationLoader(None, ignore_no_migrations=True).project_state()
    indexes = state.models["evaluation", "assignment"].options["indexes"]

    index = next(i for i in indexes if i.name == "assignment_declared_conflict")

    assert (index.fields, str(index.condition)) == (
        ["round"],
        "(AND: ('conflict_status', 'declared'))",
    )


def test_unit_search_text_has_no_btree_index():
    # A B-tree cannot serve ``LIKE '%…%'``; the trigram index (PostgreSQL) replaces it.
    columns = [
        c["columns"]
        for name, c in _index_names("danvan_unit").items()
        if c["index"] and name != "unit_search_trgm"
    ]

    assert ["search_text"] not in columns


def _require_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("trigram (pg_trgm) indexes exist on PostgreSQL only")


@pytest.mark.parametrize(("table", "name"), TRIGRAM)
def test_trigram_index_exists_on_postgresql(table, name):
    _require_postgresql()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s",
            [table, name],
        )
        rows = cursor.fetchall()

    assert len(rows) == 1
    assert "gin_trgm_ops" in rows[0][0]


@pytest.mark.parametrize(
    ("queryset", "name"),
    [
        (
            lambda: DvkModel.objects.filter(search_text__contains="duong hoa"),
            "dvk_model_search_trgm",
        ),
        (lambda: Unit.objects.filter(search_text__contains="xa thach ha"), "unit_search_trgm"),
    ],
    ids=["dvk_model", "unit"],
)
def test_contains_search_can_use_trigram_index_on_postgresql(queryset, name):
    # The SQL Django writes for ``__contains`` ("search_text"::text LIKE '%…%') must match
    # the index. A test table is too small for the planner to prefer an index, so
    # sequential scans are priced out for this one query.
    _require_postgresql()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    try:
        plan = queryset().explain()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")

    assert name in plan
