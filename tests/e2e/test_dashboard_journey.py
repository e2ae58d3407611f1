"""The leaders' dashboard in a real browser: a leader logs in, opens the overview from
the menu, the charts are drawn (Chart.js instances with painted pixels), narrows it to a
field with the filter bar, and follows a figure's link to the list behind it. Selectors use
names and addresses, not labels, so the language does not matter."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from danvan.enums import Role
from tests.e2e.helpers import check_a11y, log_in
from tests.factories import UserFactory
from tests.reports.conftest import tree, world  # noqa: F401 -- fixtures, used by name

PASSWORD = "matkhau-an-toan-2026"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Canvases drawn by Chart.js, and whether each has any painted (non-transparent) pixel.
DRAWN = """() => Array.from(document.querySelectorAll("canvas[data-chart]")).map((canvas) => {
  const chart = window.Chart.getChart(canvas);
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = false;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) { painted = true; break; } }
  return {name: canvas.dataset.chart, chart: !!chart, painted: painted};
})"""


def _log_in(browser: Browser, base_url: str, username: str, width: int = 1280) -> Page:
    return log_in(browser, base_url, username, width=width)


def test_dashboard_journey_charts_filter_and_figure_link(live_server, browser, request):
    data = request.getfixturevalue("world")
    UserFactory(unit=data.commission, roles=[Role.LEADER], username="lanhdao")
    base = live_server.url
    page = _log_in(browser, base, "lanhdao")

    # The home panel leads to the overview; the menu has it too.
    expect(page.locator("#home-dashboard-title")).to_be_visible()
    expect(page.locator("#home-intake-title")).to_have_count(0)
    page.locator("a.nav-link[href='/bao-cao/tong-quan/']").click()
    expect(page).to_have_url(f"{base}/bao-cao/tong-quan/")

    # Every chart is a Chart.js instance with painted pixels.
    page.wait_for_function("() => window.Chart && Object.keys(window.Chart.instances).length >= 6")
    drawn = page.evaluate(DRAWN)
    assert len(drawn) == 6
    assert all(c["chart"] and c["painted"] for c in drawn), drawn
    check_a11y(page)
    # The figure's link is named with what it counts ("Registrations in 2025: 6").
    expect(page.locator("[data-figure=registrations]")).to_have_text(re.compile(r"\b6\s*$"))

    # Narrow to a field: the page reloads with the filter kept in the PDF link.
    page.locator("select[name=field]").select_option(str(data.society.pk))
    page.locator("form.dashboard-filter button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"field={data.society.pk}"))
    expect(page.locator("a.dashboard-print")).to_have_attribute(
        "href", re.compile(rf"/bao-cao/tong-quan/in/\?.*field={data.society.pk}")
    )
    expect(page.locator("[data-figure=registrations]")).to_have_text(re.compile(r"\b3\s*$"))
    page.wait_for_function("() => Object.keys(window.Chart.instances).length >= 1")
    check_a11y(page, state="filtered by field")

    # A figure's link opens the list behind it (the registrations of that field).
    page.locator("[data-figure=registrations] a").click()
    expect(page).to_have_url(re.compile(rf"/mo-hinh/tiep-nhan/\?.*field={data.society.pk}"))
    expect(page.locator("main")).to_contain_text("Áo xanh tình nguyện")


def test_dashboard_on_a_phone_has_no_sideways_scroll(live_server, browser, request):
    data = request.getfixturevalue("world")
    UserFactory(unit=data.commission, roles=[Role.LEADER], username="lanhdao")
    page = _log_in(browser, live_server.url, "lanhdao", width=390)

    page.goto(live_server.url + "/bao-cao/tong-quan/")
    page.wait_for_function("() => window.Chart && Object.keys(window.Chart.instances).length >= 6")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
