import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import check_a11y
from tests.factories import UserFactory

PASSWORD = "matkhau-an-toan-2026"  # what UserFactory sets

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + "/dang-nhap/")
    check_a11y(page)
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form:has(input[name=password])").locator(
        "button[type=submit], button:not([type]), input[type=submit]"
    ).first.click()


def test_login_with_correct_password_shows_home_page(live_server, page: Page):
    # Arrange
    user = UserFactory(username="canbo", roles=["unit_officer"])

    # Act
    _log_in(page, live_server.url, "canbo", PASSWORD)

    # Assert
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("body")).to_contain_text(user.full_name)


def test_login_with_wrong_password_shows_error_and_keeps_username(live_server, page: Page):
    # Arrange
    UserFactory(username="canbo", roles=["unit_officer"])

    # Act
    _log_in(page, live_server.url, "canbo", "sai-mat-khau")

    # Assert
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    expect(page.locator(".alert-danger").first).to_be_visible()
    expect(page.locator("input[name=username]")).to_have_value("canbo")
