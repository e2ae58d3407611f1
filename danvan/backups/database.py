"""The database part of a backup: a dump with the row counts of the same snapshot, and its
restore (pg_dump/pg_restore on PostgreSQL, the online backup API on SQLite)."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections
from django.utils.translation import gettext as _

from .common import BackupError


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _("%(tool)s was not found: install PostgreSQL's client programs (postgresql-client).")
            % {"tool": name}
        )
    return path


def vendor(using: str) -> str:
    return connections[using].vendor


def _pg_env(using: str) -> dict[str, str]:
    """libpq's environment for the alias: the password never appears on a command line."""
    db = connections[using].settings_dict
    options = db.get("OPTIONS") or {}
    env = dict(os.environ)
    for variable, value in (
        ("PGHOST", db.get("HOST")),
        ("PGPORT", db.get("PORT")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGDATABASE", db.get("NAME")),
        ("PGSSLMODE", options.get("sslmode")),
    ):
        if value:
            env[variable] = str(value)
    return env


def _run(command: list[str], *, env: dict[str, str]) -> None:
    # A fixed argument list, no shell; the password travels in the environment (nosec).
    result = subprocess.run(  # nosec B603
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s")
            % {"tool": Path(command[0]).name, "error": result.stderr.strip()[-2000:]}
        )


def _count_rows(cursor, tables, quote) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        # Table names come from the database's own catalogue and are quoted.
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # nosec B608
        counts[table] = cursor.fetchone()[0]
    return counts


def _dump_postgresql(using: str, target: Path) -> dict[str, int]:
    """pg_dump -Fc in the snapshot the returned row counts were taken in."""
    pg_dump = _tool("pg_dump")
    connection = connections[using]
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = connection.introspection.table_names(cursor)
            counts = _count_rows(cursor, tables, connection.ops.quote_name)
            _run(
                [pg_dump, "-Fc", "--no-owner", f"--snapshot={snapshot}", "-f", str(target)],
                env=_pg_env(using),
            )
        raw.rollback()
    finally:
        raw.close()
    return counts


def _dump_sqlite(using: str, target: Path) -> dict[str, int]:
    """The online backup API into a file; the rows are counted in that copy."""
    connection = connections[using]
    if connection.in_atomic_block:
        # The copy would wait forever for the transaction this connection holds open.
        raise BackupError(_("A backup cannot run inside a database transaction."))
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        tables = connection.introspection.table_names(cursor)
        return _count_rows(cursor, tables, connection.ops.quote_name)
    finally:
        copy.close()


def database_tables(using: str = "default") -> list[str]:
    return connections[using].introspection.table_names()


def database_row_counts(using: str = "default") -> dict[str, int]:
    connection = connections[using]
    with connection.cursor() as cursor:
        return _count_rows(cursor, database_tables(using), connection.ops.quote_name)


def _restore_postgresql(using: str, dump: Path) -> None:
    pg_restore = _tool("pg_restore")
    connections[using].close()
    env = _pg_env(using)
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            "--single-transaction",
            "-d",
            env.get("PGDATABASE", ""),
            str(dump),
        ],
        env=env,
    )


def _restore_sqlite(using: str, dump: Path) -> None:
    connection = connections[using]
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def dump(using: str, target: Path) -> dict[str, int]:
    """The database into ``target``; the rows of every table in the same snapshot."""
    if vendor(using) == "postgresql":
        return _dump_postgresql(using, target)
    return _dump_sqlite(using, target)


def restore(using: str, source: Path) -> None:
    """A dump into the (empty) database."""
    if vendor(using) == "postgresql":
        _restore_postgresql(using, source)
    else:
        _restore_sqlite(using, source)
