"""What the bench scripts' end-to-end tests share: the tiny ``seed_scale`` data committed
and the environment a script needs to serve a copy of the test database."""

import os
import sqlite3
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.db import connection

from danvan.models import User

ROOT = Path(__file__).resolve().parents[2]


def database_url(tmp_path: Path) -> str:
    """A URL of the test database the server can open: SQLite's in-memory test database
    copied to a file, or the PostgreSQL test database itself (its rows are committed)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        copy = tmp_path / "bench.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(copy) as target:
            connection.connection.backup(target)
        return f"sqlite:///{copy}"
    user = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{user}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


@pytest.fixture
def tiny_scale_env(tmp_path) -> dict:
    """``seed_scale --size tiny`` (needs ``django_db(transaction=True)``: the server reads
    committed rows), then the environment of a bench script run on it."""
    call_command("seed_scale", size="tiny", verbosity=0)
    # The server runs production's password hashers (the tests' MD5 is not among them).
    hasher = PBKDF2PasswordHasher()
    User.objects.filter(username__startswith="scale.").update(
        password=hasher.encode("Scale@2026", hasher.salt(), iterations=1000)
    )
    env = os.environ | {
        "DATABASE_URL": database_url(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env
