import os
from pathlib import Path

import pytest
from django.db import connections

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# every ORM call made from a test that drives the browser.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# Debian's package, not a `playwright install` download (see docs/ci.md).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
_CHROMIUM_MISSING = pytest.StashKey[str]()


def in_ci() -> bool:
    """True on the CI machine, where a missing service is a failure and not a skip."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def chromium_available() -> bool:
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Every test writes uploaded files to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium instead of a browser downloaded by `playwright install`."""
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def playwright(playwright):
    """pytest-playwright's Playwright, closing Django's connections before it stops.

    While Playwright's event loop is set in this thread, asgiref gives Django a second,
    context-variable connection store, so every test after the first browser test opens
    another connection. Left open, it stops pytest-django from dropping the PostgreSQL test
    database ("is being accessed by other users").
    """
    yield playwright
    connections.close_all()


def pytest_collection_modifyitems(config, items):
    """Browser tests need /usr/bin/chromium: skipped without it, except in CI where they fail."""
    for item in items:
        # Every Playwright page or context comes from the `browser` fixture: a test that needs
        # it is a browser test even without the marker (unless it parametrizes that name).
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "browser" in getattr(item, "fixturenames", ()) and "browser" not in params:
            item.add_marker(pytest.mark.browser)
    if chromium_available():
        return
    reason = f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
    for item in items:
        if item.get_closest_marker("browser") is None:
            continue
        if in_ci():
            item.stash[_CHROMIUM_MISSING] = reason
        else:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Runs before any fixture is set up, so the reason is not hidden behind a launch error.
    reason = item.stash.get(_CHROMIUM_MISSING, None)
    if reason is not None:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
