"""Every main page of every role passes axe (WCAG 2.0–2.2 A/AA, tests/e2e/a11y.py) at
desktop width and on a phone (issue 16), and so do the states a page reaches in place: the
score sheet after a saved and after a refused score, a unit's sub-units filtered by htmx,
the intake list filtered, the reviewers' table revealed on the results page.

The pages are those of one province of the authorisation matrix's world
(tests/url_matrix/world.py: an object of every kind). A tour checks all its pages and then
fails once, listing every violation with its page, rule and element."""

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from tests.e2e.a11y import violations_report
from tests.e2e.helpers import log_in
from tests.factories import AwardTypeFactory, UserFactory
from tests.url_matrix.world import (
    ADMIN,
    LEADER,
    OFFICER,
    REVIEWER,
    SECRETARIAT,
    build_side,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390)


def _pk(name, attribute):
    return lambda s: reverse(name, args=[getattr(s, attribute).pk])


def _url(name):
    return lambda s: reverse(name)


EVERYONE = [
    _url("home"),
    lambda s: "/khong-co-trang-nay/",  # 404, signed in
    _url("showcase:library"),
    _pk("showcase:entry", "exemplary"),
    _url("notification_list"),
    _url("password_change"),
    _url("password_change_done"),
]
TOURS = {
    OFFICER: [
        *EVERYONE,
        _url("models_registry:my_models"),
        _url("models_registry:model_create"),
        _pk("models_registry:model_detail", "draft"),
        _pk("models_registry:model_update", "draft"),
        _pk("models_registry:model_detail", "exemplary"),
        _pk("models_registry:result_report", "exemplary"),
        _url("evaluation:my_results"),
        _pk("evaluation:result_feedback", "result"),
        _pk("models_registry:campaign_detail", "campaign"),
    ],
    SECRETARIAT: [
        *EVERYONE,
        _url("models_registry:intake"),
        lambda s: reverse("models_registry:intake") + "?status=submitted",
        _pk("models_registry:model_detail", "submitted"),
        _pk("models_registry:model_return", "submitted"),
        _pk("models_registry:coverage", "campaign"),
        _url("models_registry:campaign_list"),
        _url("models_registry:field_list"),
        _url("evaluation:round_list"),
        _pk("evaluation:round_detail", "open_round"),
        _pk("evaluation:round_assignments", "open_round"),
        _pk("evaluation:round_results", "round"),
        _pk("evaluation:rubric_detail", "rubric"),
        _pk("evaluation:committee_detail", "committee"),
        _pk("evaluation:sheet", "sheet"),
        _url("awards:register"),
        _url("awards:proposal_list"),
        _pk("awards:proposal_detail", "proposal"),
        _url("awards:decision_list"),
        _pk("awards:decision_detail", "decision"),
        _url("awards:decision_create"),
        _url("awards:event_list"),
        _url("reports:home"),
        _url("reports:summary"),
        _pk("reports:report_detail", "report"),
        _pk("reports:narrative_edit", "campaign"),
        _pk("reports:annual_preview", "campaign"),
        _url("reports:plan_overview"),
        _url("reports:dashboard"),
        _url("showcase:settings"),
        _url("activity_list"),
    ],
    REVIEWER: [
        *EVERYONE,
        _url("evaluation:queue"),
        _pk("evaluation:sheet", "sheet"),
    ],
    LEADER: [
        *EVERYONE,
        _url("reports:dashboard"),
        _url("models_registry:intake"),
        _pk("models_registry:coverage", "campaign"),
        _url("evaluation:round_list"),
        _pk("evaluation:round_results", "round"),
        _url("awards:register"),
        _url("awards:decision_list"),
        _pk("awards:decision_detail", "issued"),
        _url("reports:summary"),
    ],
    ADMIN: [_url("home"), _url("activity_list"), _url("notification_list")],
}


@pytest.fixture
def side():
    side = build_side("Hà Tĩnh", award_type=AwardTypeFactory(default_amount=1_500_000))
    side.users[ADMIN] = UserFactory(unit=None, is_superuser=True, is_staff=True)
    return side


def _visit(page: Page, url: str, state: str = "") -> list[str]:
    page.goto(url)
    return violations_report(page, state=state)


def _in_place_states(page: Page, base: str, role: str, side) -> list[str]:
    """The states a page reaches without loading a new document."""
    problems = []
    if role == SECRETARIAT:
        # A unit's sub-units, filtered by kind (htmx swaps #unit-children).
        problems += _visit(page, base + reverse("unit_detail", args=[side.province.pk]))
        with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
            page.locator("#unit-filter-kind").select_option("commune")
        problems += violations_report(page, state="sub-units filtered")
        # The results page loads the reviewers' table once it is scrolled into view.
        problems += _visit(page, base + reverse("evaluation:round_results", args=[side.round.pk]))
        page.locator("#reviewers").scroll_into_view_if_needed()
        expect(page.locator("#reviewers table")).to_be_visible()
        problems += violations_report(page, state="reviewers revealed")
    if role == REVIEWER:
        problems += _visit(page, base + reverse("evaluation:sheet", args=[side.sheet.pk]))
        form = page.locator("form.criterion").first
        points = form.locator("input[name=points]")
        points.fill("1")
        points.press("Tab")
        expect(form.locator(".criterion-status")).to_contain_text(":")
        problems += violations_report(page, state="after a saved score")
        points.fill("9999")
        points.press("Tab")
        expect(form.locator(".field-error").first).not_to_be_empty()
        problems += violations_report(page, state="after a refused score")
    if role == OFFICER:
        # The registration form after a refused submission (errors at the fields).
        problems += _visit(page, base + reverse("models_registry:model_create"))
        page.locator("button[name=submit], button[name=save]").first.click()
        expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
        problems += violations_report(page, state="refused submission")
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_a11y_tour_main_pages_of_every_role(live_server, browser: Browser, side, width):
    """One world, every role in turn (building the world takes longer than a role's tour)."""
    base = live_server.url
    problems = _signed_out_tour(browser, base, side, width)
    for role, urls in TOURS.items():
        found = []
        page = log_in(browser, base, side.users[role].username, width=width, problems=found)
        for url in urls:
            found += _visit(page, base + url(side))
        found += _in_place_states(page, base, role, side)
        page.context.close()
        problems += [f"[{role}] {line}" for line in found]

    assert problems == [], "\n".join(problems)


def _signed_out_tour(browser: Browser, base: str, side, width: int) -> list[str]:
    """The login page (fresh and after a wrong password), the public library, a 404."""
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    problems = _visit(page, base + reverse("login"))
    page.locator("input[name=username]").fill(side.officer.username)
    page.locator("input[name=password]").fill("sai-mat-khau")
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    expect(page.locator(".alert-danger").first).to_be_visible()
    problems += violations_report(page, state="wrong password")
    problems += _visit(page, base + reverse("showcase:public"))
    problems += _visit(page, base + reverse("showcase:public_entry", args=[side.exemplary.pk]))
    problems += _visit(page, base + "/khong-co-trang-nay/")
    page.context.close()
    return [f"[anonymous] {line}" for line in problems]
