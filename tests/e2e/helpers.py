"""What the browser tests share besides fixtures: logging in through the real form, the
accessibility check (tests/e2e/a11y.py)."""

from playwright.sync_api import Browser, Page, expect

from tests.e2e.a11y import check_a11y, violations_report

__all__ = ["PASSWORD", "check_a11y", "log_in"]

PASSWORD = "matkhau-an-toan-2026"  # what UserFactory sets


def log_in(
    browser: Browser,
    base_url: str,
    username: str,
    *,
    width: int = 1280,
    accept_dialogs: bool = False,
    downloads: bool = False,
    problems: list[str] | None = None,
) -> Page:
    """A new browser context logged in as ``username`` through the login form, on the home
    page. ``accept_dialogs``: every confirmation the page asks is answered yes;
    ``downloads``: the context accepts downloads. The login page and the home page are
    checked with axe: a violation fails at once, or is added to ``problems`` if given."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, accept_downloads=downloads
    )
    page = context.new_page()
    if accept_dialogs:
        page.on("dialog", lambda dialog: dialog.accept())
    page.goto(base_url + "/dang-nhap/")
    _check(page, problems)
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    expect(page).to_have_url(base_url + "/")
    _check(page, problems)
    return page


def _check(page: Page, problems: list[str] | None) -> None:
    if problems is None:
        check_a11y(page)
    else:
        problems += violations_report(page)
