"""The accessibility check itself (tests/e2e/a11y.py) cannot silently pass: a page with a
known violation fails it with the rule, the element, the address and the width; a
document loaded and left without a check fails the test; a clean page passes. The pages
are served by ``page.route`` (no server), under a policy as strict as the site's."""

import re

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.a11y import WCAG_TAGS, A11yWatch, check_a11y, violations_report

pytestmark = pytest.mark.browser

ORIGIN = "http://a11y.test"
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"
PAGE = """<!doctype html><html lang="vi"><head><title>Thử</title></head>
<body><main><h1>Trang thử</h1>%s</main></body></html>"""
PIXEL = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
BROKEN = PAGE % f'<img id="no-alt" src="{PIXEL}">'
CLEAN = PAGE % f'<img src="{PIXEL}" alt="Ảnh thử">'


def _unwatched_page(browser: Browser, width: int) -> Page:
    """A page outside the test's own watch (its documents are the test's subject)."""
    context = type(browser).new_context(browser, viewport={"width": width, "height": 700})
    page = context.new_page()
    for path, html in (("/loi/", BROKEN), ("/sach/", CLEAN)):
        page.route(ORIGIN + path, _serve(html))
    return page


def _serve(html: str):
    def handler(route):
        route.fulfill(body=html, content_type="text/html", headers={"Content-Security-Policy": CSP})

    return handler


def test_check_a11y_fails_on_an_image_without_alt(browser):
    page = _unwatched_page(browser, 390)
    page.goto(ORIGIN + "/loi/")

    with pytest.raises(AssertionError) as failure:
        check_a11y(page)

    message = str(failure.value)
    assert "image-alt (critical)" in message
    assert "#no-alt" in message
    assert f"{ORIGIN}/loi/ at 390 px" in message


def test_check_a11y_passes_a_clean_page_under_the_policy(browser):
    page = _unwatched_page(browser, 1280)
    page.goto(ORIGIN + "/sach/")

    check_a11y(page)

    assert page.evaluate("() => axe.version") == "4.14.1"


def test_a_document_left_unchecked_fails_the_test(browser):
    page = _unwatched_page(browser, 1280)
    watch = A11yWatch()
    watch.watch_page(page)
    page.goto(ORIGIN + "/sach/")
    assert violations_report(page, watch) == []
    page.goto(ORIGIN + "/loi/")  # left without a check
    page.goto(ORIGIN + "/sach/")  # the last state: finish() checks it

    with pytest.raises(AssertionError) as failure:
        watch.finish()

    assert str(failure.value) == (
        "Loaded, then left without an accessibility check (call check_a11y(page) after the "
        f"navigation): {ORIGIN}/loi/"
    )


def test_wcag_tags_are_the_ones_axe_knows(browser):
    page = _unwatched_page(browser, 1280)
    page.goto(ORIGIN + "/sach/")
    check_a11y(page)

    known = page.evaluate("() => [...new Set(axe.getRules().flatMap((rule) => rule.tags))]")

    assert set(WCAG_TAGS) <= set(known)
    assert {t for t in known if re.fullmatch(r"wcag2\d?a{1,2}", t)} == set(WCAG_TAGS)
