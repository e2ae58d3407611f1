"""Full-page screenshots of the main pages at desktop and phone widths.

Usage (against a running server, e.g. ``manage.py runserver 127.0.0.1:8765``)::

    BASE_URL=http://127.0.0.1:8765 USERNAME=admin PASSWORD=... \
        .venv/bin/python bench/screenshots.py

Writes ``bench/out/<page>-<width>.png`` (bench/out is git-ignored) and prints, for each
page, the HTTP status and whether the page is wider than the window (horizontal overflow,
the usual defect at 360 px). Optional: ``UNIT_PATHS`` (comma-separated paths of extra unit
pages to capture), ``OUT_DIR``.
"""

import os
import sys
import uuid
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
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
WIDTHS = {1280: {"height": 900}, 360: {"height": 740, "is_mobile": True, "has_touch": True}}

LOGIN_PATH = "/dang-nhap/"
HOME_PATH = "/"
UNIT_TREE_PATH = "/don-vi/"  # redirects to the top of the user's scope
PASSWORD_CHANGE_PATH = "/mat-khau/"
# With DEBUG on, an unknown path shows Django's technical 404 page; the site's DEBUG-only
# /__404__/ and /__500__/ routes render the real error templates. With DEBUG off the
# former is a genuine 404 too.
MISSING_PATH = "/__404__/"
ERROR_PATH = "/__500__/"


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        sys.exit(f"error: set {name} (BASE_URL, USERNAME and PASSWORD are required)")
    return value


def _shoot(page: Page, out_dir: Path, name: str, width: int, status: int | None) -> None:
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    path = out_dir / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    flag = f"  OVERFLOW {overflow}px" if overflow > 0 else ""
    print(f"{path}  status={status}  url={page.url}{flag}")


def _log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + LOGIN_PATH)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form[action] button[type=submit]")
    if LOGIN_PATH in page.url:
        sys.exit(f"error: could not log in as {username!r} (still on {page.url})")


def main() -> None:
    base_url = _env("BASE_URL").rstrip("/")
    username = _env("USERNAME")
    password = _env("PASSWORD")
    out_dir = Path(os.environ.get("OUT_DIR", Path(__file__).resolve().parent / "out"))
    out_dir.mkdir(parents=True, exist_ok=True)
    extra_units = [p for p in os.environ.get("UNIT_PATHS", "").split(",") if p.strip()]

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for width, options in WIDTHS.items():
                height = options["height"]
                extra = {k: v for k, v in options.items() if k != "height"}
                context = browser.new_context(
                    viewport={"width": width, "height": height}, locale="vi-VN", **extra
                )
                page = context.new_page()

                response = page.goto(base_url + LOGIN_PATH)
                _shoot(page, out_dir, "login", width, response and response.status)

                # A failed login with a fresh unknown username each time, so that neither a
                # real account nor this one reaches django-axes' lockout.
                page.fill("input[name=username]", f"screenshot-{uuid.uuid4().hex[:12]}")
                page.fill("input[name=password]", "wrong-password")
                with page.expect_navigation() as nav:
                    page.click("form[action] button[type=submit]")
                _shoot(page, out_dir, "login-error", width, nav.value and nav.value.status)

                _log_in(page, base_url, username, password)
                response = page.goto(base_url + HOME_PATH)
                _shoot(page, out_dir, "home", width, response and response.status)

                if width < 992:  # the collapsed menu, opened
                    page.click(".navbar-toggler")
                    page.wait_for_selector("#site-nav.show")
                    page.click("#site-nav .dropdown-toggle")
                    page.wait_for_selector("#site-nav .dropdown-menu.show")
                    _shoot(page, out_dir, "home-menu", width, None)

                response = page.goto(base_url + UNIT_TREE_PATH)
                _shoot(page, out_dir, "unit", width, response and response.status)
                for index, path in enumerate(extra_units, start=1):
                    response = page.goto(base_url + path.strip())
                    _shoot(page, out_dir, f"unit-{index}", width, response and response.status)

                response = page.goto(base_url + MISSING_PATH)
                _shoot(page, out_dir, "404", width, response and response.status)

                response = page.goto(base_url + ERROR_PATH)
                _shoot(page, out_dir, "500", width, response and response.status)

                response = page.goto(base_url + PASSWORD_CHANGE_PATH)
                _shoot(page, out_dir, "password-change", width, response and response.status)

                context.close()
        finally:
            browser.close()


if __name__ == "__main__":
    main()
