"""Screenshots of the registration pages (fields, grouped field choices, deadlines).

Usage, against a running server on a database filled by ``seed_demo``::

    BASE_URL=http://127.0.0.1:8781 PASSWORD=DanVan@2026 .venv/bin/python bench/screenshots_ui2.py

Logs in as the demo secretariat (``thuongtruc``) and two unit officers (``xa.canloc``,
``xa.camxuyen``), and writes ``<OUT_DIR>/<page>-<width>.png`` (default bench/out/ui2, which
is git-ignored). For each page it prints the HTTP status, horizontal overflow (the usual
defect at 360 px) and any visible text that looks English (a missing translation).
Optional: ``CAMPAIGN_ID`` (default: the newest campaign in the campaign list), ``ONLY``
(``secretariat`` or ``officers``) and ``SUFFIX`` (added to the officers' file names, e.g.
``-3days`` after moving the deadline in the throwaway database).
"""

import os
import re
import sys
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

# Common English words that never appear in a Vietnamese page (a cheap missing-translation
# detector: it reports, the screenshots decide).
ENGLISH = re.compile(
    r"\b(the|and|of|to|for|with|your|this|field|fields|topic|topics|model|models|days?|left|"
    r"save|cancel|edit|add|manage|whole|active|inactive|submit|deadline|registration)\b",
    re.IGNORECASE,
)


def _env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if not value:
        sys.exit(f"error: set {name}")
    return value


def _english_lines(page: Page) -> list[str]:
    text = page.evaluate("() => document.body.innerText")
    return [line.strip() for line in text.splitlines() if ENGLISH.search(line)]


def _shoot(page: Page, out_dir: Path, name: str, width: int, status: int | None) -> None:
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    path = out_dir / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    flag = f"  OVERFLOW {overflow}px" if overflow > 0 else ""
    print(f"{path.name}  status={status}  url={page.url}{flag}")
    for line in _english_lines(page):
        print(f"    english? {line[:120]!r}")


def _log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(base_url + LOGIN_PATH)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form[action] button[type=submit]")
    if LOGIN_PATH in page.url:
        sys.exit(f"error: could not log in as {username!r} (still on {page.url})")


def _go(page: Page, out_dir: Path, base_url: str, path: str, name: str, width: int) -> None:
    response = page.goto(base_url + path)
    _shoot(page, out_dir, name, width, response and response.status)


def _secretariat(page: Page, out_dir: Path, base_url: str, width: int) -> None:
    _go(page, out_dir, base_url, "/", "home-secretariat", width)
    _go(page, out_dir, base_url, "/mo-hinh/linh-vuc/", "field-list", width)
    topic_id = page.evaluate(
        "() => document.querySelector(\".field-topics a[href$='/sua/']\")"
        ".getAttribute('href').match(/(\\d+)\\/sua\\/$/)[1]"
    )
    new_topic = page.evaluate(
        "() => document.querySelector(\".field-card .card-header a[href*='?parent=']\")"
        ".getAttribute('href')"
    )
    # A top-level field with topics cannot become a topic: the service refuses.
    page.click(".field-card .card-header a[href$='/sua/']")
    page.wait_for_load_state("networkidle")
    page.select_option("select[name=parent]", index=2)
    with page.expect_navigation() as nav:
        page.click("form.registry-form button[type=submit]")
    _shoot(page, out_dir, "field-form-error", width, nav.value and nav.value.status)
    # A topic as parent: only top-level fields are offered, so forge the choice.
    page.goto(base_url + "/mo-hinh/linh-vuc/moi/")
    page.fill("input[name=name]", "Thử nghiệm")
    page.evaluate(
        "(id) => { const s = document.querySelector('select[name=parent]');"
        " const o = new Option('topic', id); s.add(o); s.value = id; }",
        topic_id,
    )
    with page.expect_navigation() as nav:
        page.click("form.registry-form button[type=submit]")
    _shoot(page, out_dir, "field-form-topic-parent", width, nav.value and nav.value.status)
    _go(page, out_dir, base_url, new_topic, "field-form-new-topic", width)
    _go(page, out_dir, base_url, "/mo-hinh/dot/", "campaign-list", width)
    campaign_id = os.environ.get("CAMPAIGN_ID") or page.evaluate(
        "() => document.querySelector(\"td.name a\").getAttribute('href').match(/(\\d+)/)[1]"
    )
    _go(page, out_dir, base_url, f"/mo-hinh/dot/{campaign_id}/sua/", "campaign-form", width)
    _go(page, out_dir, base_url, "/mo-hinh/tiep-nhan/", "intake", width)
    _go(page, out_dir, base_url, f"/mo-hinh/dot/{campaign_id}/chua-dang-ky/", "coverage", width)


def _officer(page: Page, out_dir: Path, base_url: str, width: int, tag: str) -> None:
    _go(page, out_dir, base_url, "/", f"home-{tag}", width)
    _go(page, out_dir, base_url, "/mo-hinh/", f"my-models-{tag}", width)
    returned = page.locator("tr.table-warning td.name a")
    if returned.count():
        returned.first.click()
        page.wait_for_load_state("networkidle")
        _shoot(page, out_dir, f"model-returned-{tag}", width, 200)
    _go(page, out_dir, base_url, "/mo-hinh/dang-ky/", f"model-form-{tag}", width)
    # A native drop-down cannot be captured open: show it as a list box instead.
    page.evaluate("() => { const s = document.querySelector('select[name=field]'); s.size = 16; }")
    page.locator("select[name=field]").scroll_into_view_if_needed()
    path = out_dir / f"model-form-field-select-{tag}-{width}.png"
    page.locator("select[name=field]").screenshot(path=str(path))
    print(path.name)


def main() -> None:
    base_url = _env("BASE_URL").rstrip("/")
    password = _env("PASSWORD")
    out_dir = Path(os.environ.get("OUT_DIR", Path(__file__).resolve().parent / "out" / "ui2"))
    out_dir.mkdir(parents=True, exist_ok=True)
    only = os.environ.get("ONLY", "")
    suffix = os.environ.get("SUFFIX", "")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for width, options in WIDTHS.items():
                extra = {k: v for k, v in options.items() if k != "height"}
                context = browser.new_context(
                    viewport={"width": width, "height": options["height"]},
                    locale="vi-VN",
                    **extra,
                )
                page = context.new_page()
                if only in ("", "secretariat"):
                    _log_in(page, base_url, "thuongtruc", password)
                    _secretariat(page, out_dir, base_url, width)
                if only in ("", "officers"):
                    for username, tag in (("xa.camxuyen", "camxuyen"), ("xa.canloc", "canloc")):
                        _log_in(page, base_url, username, password)
                        _officer(page, out_dir, base_url, width, tag + suffix)
                context.close()
        finally:
            browser.close()


if __name__ == "__main__":
    main()
