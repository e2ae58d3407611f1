"""deploy/ is one description of the production stack: the settings, the env template, the
README's table, gunicorn's configuration, the systemd units, compose and nginx agree, and
the production settings pass `check --deploy` without a warning. (The stack itself is
started and smoke-tested by `make prod-check`, deploy/prod_check.py, in CI.)"""

import json
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
VENV_BIN = "/srv/danvan/app/.venv/bin/"


def settings_variables() -> set[str]:
    """Every environment variable danvan/settings/*.py reads through django-environ."""
    names = set()
    for path in (ROOT / "danvan" / "settings").glob("*.py"):
        names |= set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z_]+)\"", path.read_text()))
    return names


def unit(name: str) -> dict[str, list[str]]:
    """A systemd unit's ``Key=value`` lines (any section): key -> values in order."""
    lines = (UNITS / name).read_text().splitlines()
    values: dict[str, list[str]] = {}
    for line in lines:
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            values.setdefault(key, []).append(value)
    return values


def compose_commands() -> dict[str, str]:
    """service -> its command, joined, from deploy/compose.yaml (commands are JSON-style
    flow lists there; read without a YAML parser, which is not among the requirements)."""
    text = (DEPLOY / "compose.yaml").read_text().split("\nservices:\n", 1)[1]
    blocks = re.split(r"^  (\w[\w-]*):\n", text, flags=re.M)[1:]
    commands = {}
    for service, block in zip(blocks[::2], blocks[1::2], strict=True):
        found = re.search(r"^    command: (\[.*\])$", block, re.M)
        if found:
            commands[service] = " ".join(json.loads(found.group(1)))
    return commands


def test_env_template_lists_every_variable_the_settings_read():
    template = (DEPLOY / "danvan.env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z_]+)=", template, re.M))

    assert sorted(settings_variables() - listed - {"SQLITE_TIMEOUT", "DEBUG"}) == []


def test_readme_describes_every_variable_the_settings_read():
    readme = (ROOT / "README.md").read_text()
    described = set(re.findall(r"`([A-Z_]+)`", readme))

    assert sorted(settings_variables() - described) == []


def test_env_template_values_are_systemd_safe():
    lines = (DEPLOY / "danvan.env.example").read_text().splitlines()
    assignments = [line.lstrip("# ") for line in lines if re.match(r"^#? ?[A-Z_]+=", line)]

    # systemd's EnvironmentFile= has no trailing comments and no `export`.
    assert [a for a in assignments if " #" in a or a.startswith("export")] == []


@pytest.mark.parametrize(
    ("cpus", "cap", "expected"), [(2, "", 5), (4, "", 9), (4, "3", 3), (1, "8", 3)]
)
def test_gunicorn_workers_are_two_per_cpu_plus_one_capped(monkeypatch, cpus, cap, expected):
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(cpus)))
    monkeypatch.setenv("WEB_CONCURRENCY", cap)
    monkeypatch.delenv("RUNTIME_DIRECTORY", raising=False)

    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))

    assert [config["workers"], config["preload_app"], config["control_socket_disable"]] == [
        expected,
        True,
        True,
    ]


def test_compose_runs_the_commands_of_the_systemd_units():
    commands = compose_commands()
    units = {
        "web": "danvan-web.service",
        "worker": "danvan-worker.service",
        "beat": "danvan-beat.service",
    }

    for service, name in units.items():
        exec_start = unit(name)["ExecStart"][0].removeprefix(VENV_BIN)
        assert commands[service] == exec_start, service


def test_units_share_user_folder_and_environment():
    names = sorted(p.name for p in UNITS.glob("*.service"))
    seen = {
        (
            unit(n)["User"][0],
            unit(n)["WorkingDirectory"][0],
            unit(n)["EnvironmentFile"][0],
            unit(n)["Environment"][0],
        )
        for n in names
    }

    assert names == [
        "danvan-backup.service",
        "danvan-beat.service",
        "danvan-web.service",
        "danvan-worker.service",
    ]
    assert seen == {
        (
            "danvan",
            "/srv/danvan/app",
            "/srv/danvan/env",
            "DJANGO_SETTINGS_MODULE=danvan.settings.production",
        )
    }


def test_nginx_accepts_the_largest_upload_and_serves_no_media():
    site = (DEPLOY / "nginx" / "danvan.conf").read_text()
    body_mb = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))

    assert body_mb > settings.FILE_UPLOAD_MAX_MB
    assert "location /media/ {\n        return 404;" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site


def test_production_settings_pass_check_deploy_without_a_warning(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "danvan.settings.production",
        "SECRET_KEY": "a" * 10 + "-prod-check-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # tests/conftest.py's, for Playwright only

    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert (done.returncode, done.stderr[-2000:]) == (0, "")
