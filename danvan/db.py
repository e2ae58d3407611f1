"""Vietnamese alphabetical order in SQL, the same on PostgreSQL and SQLite.

One collation name, ``vi_icu``, on both databases: on PostgreSQL an ICU collation
(``vi-x-icu``) that migration ``danvan/0006_vietnamese_collation`` creates; on SQLite a
Python comparison registered on every new connection (``register_sqlite_collation``, wired
in ``DanvanConfig.ready``) that follows ``danvan.utils.vietnamese_sort_key``. Every list,
select and export that orders by a name goes through ``vi_order`` — never code-point order
("Phường Hoành Sơn" before "Phường Hà Huy Tập").
"""

from functools import lru_cache

from django.db.models import F
from django.db.models.functions import Collate

from .utils import vietnamese_sort_key

VI_COLLATION = "vi_icu"


def vi_order(field: str, descending: bool = False):
    """An ``order_by`` term that sorts ``field`` (a text column, ``"unit__name"`` too) in
    Vietnamese dictionary order: ``qs.order_by("position", vi_order("name"))``."""
    expression = Collate(F(field), VI_COLLATION)
    return expression.desc() if descending else expression.asc()


@lru_cache(maxsize=65536)
def _key(text: str) -> tuple:
    return vietnamese_sort_key(text)


def vietnamese_compare(left: str, right: str) -> int:
    """SQLite's collation callback: -1, 0 or 1 as ``vietnamese_sort_key`` orders them."""
    a, b = _key(left), _key(right)
    return (a > b) - (a < b)


def register_sqlite_collation(sender, connection, **kwargs):
    """``connection_created`` receiver: teaches each new SQLite connection ``vi_icu``."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(VI_COLLATION, vietnamese_compare)
