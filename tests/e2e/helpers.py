"""What the browser tests share besides fixtures: logging in through the real form."""

from playwright.sync_api import Browser, Page, expect

PASSWORD = "matkhau-an-toan-2026"  # what UserFactory sets


def log_in(
    browser: Browser,
    base_url: str,
    username: str,
    *,
    width: int = 1280,
    accept_dialogs: bool = False,
    downloads: bool = False,
) -> Page:
    """A new browser context logged in as ``username`` through the login form, on the home
    page. ``accept_dialogs``: every confirmation the page asks is answered yes;
    ``downloads``: the context accepts downloads."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, accept_downloads=downloads
    )
    page = context.new_page()
    if accept_dialogs:
        page.on("dialog", lambda dialog: dialog.accept())
    page.goto(base_url + "/dang-nhap/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    expect(page).to_have_url(base_url + "/")
    return page
