"""The embedded SQLite default survives two writers at once (issue 7).

Two reviewers submitting different sheets at the same moment got a 500 "database is
locked": each request's transaction first reads, then writes, and SQLite cannot turn a
read into a write while another connection writes. With the settings in
``danvan/settings/base.py`` (``transaction_mode`` IMMEDIATE, a busy ``timeout``, WAL) the
second writer waits for the first. Real threads, a real file (an in-memory database has one
connection): thread A holds a write transaction open until thread B has begun its own,
then commits; B must succeed, and finish after A committed.
"""

import copy
import threading
import time

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
        reason="SQLite configuration (the tests run on PostgreSQL here)",
    ),
]

ALIAS = "sqlite_concurrency"
HOLD = 0.3  # seconds A keeps its transaction open after B has started


@pytest.fixture
def file_database(tmp_path, django_db_blocker):
    """An alias on a file database with the project's SQLite settings; yields its settings
    (the control case replaces OPTIONS). The test database is not used: no django_db mark,
    whose test case would refuse connections from other threads."""
    with django_db_blocker.unblock():
        yield from _file_database(tmp_path)


def _file_database(tmp_path):
    db = copy.deepcopy(settings.DATABASES["default"])
    db["NAME"] = str(tmp_path / "concurrency.sqlite3")
    db["TEST"] = {"NAME": db["NAME"]}
    configured = connections.configure_settings(
        {"default": settings.DATABASES["default"], ALIAS: db}
    )
    connections.settings[ALIAS] = configured[ALIAS]
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("CREATE TABLE sheet (id INTEGER PRIMARY KEY, who TEXT)")
    connections[ALIAS].close()
    yield connections.settings[ALIAS]
    connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


def _count_then_insert(who: str) -> int:
    """What a service does: read (select_for_update is a no-op on SQLite), then write."""
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM sheet")
        seen = cursor.fetchone()[0]
        cursor.execute("INSERT INTO sheet (who) VALUES (%s)", [who])
    return seen


def _race() -> dict:
    """A writes and holds; B starts while A holds; A commits; B finishes."""
    a_wrote, b_started = threading.Event(), threading.Event()
    out: dict = {"errors": []}

    def thread_a():
        try:
            with transaction.atomic(using=ALIAS):
                out["a_seen"] = _count_then_insert("A")
                a_wrote.set()
                assert b_started.wait(5), "B never started"
                time.sleep(HOLD)  # B is now waiting at BEGIN (or holds a stale read)
            out["a_committed"] = time.monotonic()
        except Exception as error:  # noqa: BLE001 -- reported by the test below
            out["errors"].append(("A", error))
            a_wrote.set()
        finally:
            connections[ALIAS].close()

    def thread_b():
        try:
            assert a_wrote.wait(5), "A never wrote"
            out["b_started"] = time.monotonic()
            b_started.set()
            with transaction.atomic(using=ALIAS):
                out["b_seen"] = _count_then_insert("B")
            out["b_committed"] = time.monotonic()
        except Exception as error:  # noqa: BLE001 -- reported by the test below
            out["errors"].append(("B", error))
            b_started.set()
        finally:
            connections[ALIAS].close()

    threads = [threading.Thread(target=thread_a), threading.Thread(target=thread_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return out


def test_sqlite_settings_make_writers_wait(file_database):
    assert file_database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert file_database["OPTIONS"]["timeout"] >= 5

    out = _race()

    assert out["errors"] == []
    # B began while A held its transaction, finished only after A committed, and saw A's row.
    assert out["b_started"] < out["a_committed"] < out["b_committed"]
    assert out["b_committed"] - out["b_started"] >= HOLD * 0.9
    assert (out["a_seen"], out["b_seen"]) == (0, 1)
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT who FROM sheet ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == ["A", "B"]


def test_sqlite_wal_journal_is_on(file_database):
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_sqlite_deferred_transactions_fail_without_the_settings(file_database):
    """The control: Django's default (DEFERRED) gives the "database is locked" of the issue,
    so the test above fails without the settings."""
    file_database["OPTIONS"] = {
        k: v for k, v in file_database["OPTIONS"].items() if k != "transaction_mode"
    }

    out = _race()

    assert [(who, type(error)) for who, error in out["errors"]] == [("B", OperationalError)]
    assert "locked" in str(out["errors"][0][1])
