"""Keyboard focus in a real browser (issue 16): every kind of control reached with Tab shows
a solid ring of at least 3:1 against what is behind it (white in the red header, dark red
elsewhere; static/css/site.css), a mouse click shows none, and no sticky bar — the save bar
of the registration form, the score sheet's running total — ever covers the focused
element (WCAG 2.2 "focus not obscured": static/js/focus.js and the pages' scroll-padding),
at desktop width and on a phone."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from danvan.enums import Role
from evaluation import services
from models_registry.models import Field
from tests.e2e.helpers import check_a11y, log_in
from tests.factories import (
    CampaignFactory,
    CommitteeFactory,
    CommitteeMemberFactory,
    CriterionFactory,
    DvkModelFactory,
    RoundEntryFactory,
    RoundFactory,
    RubricFactory,
    TierFactory,
    UnitFactory,
    UserFactory,
)
from tests.factories.evaluation import DEFAULT_TIERS, open_round, sheet_of
from tests.factories.registry import secretariat_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [pytest.param((1280, 900), id="desktop"), pytest.param((390, 844), id="phone")]
MAX_TABS = 200
STICKY_BARS = ".form-actions--sticky, .sheet-total-bar"

FOCUSED_MATCHES = "(s) => !!document.activeElement && document.activeElement.matches(s)"
# Resolves once the page has stopped scrolling (a smooth scroll to the focused element).
SCROLL_SETTLED = """() => new Promise((resolve) => {
  let last = null, same = 0;
  const tick = () => {
    const now = `${scrollX},${scrollY}`;
    same = now === last ? same + 1 : 0;
    last = now;
    if (same >= 3) resolve(); else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})"""
# The focused element's ring, and the backgrounds behind it from the nearest ancestor out
# to the first opaque one (the ring is drawn off the element, on what surrounds it).
FOCUS_RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const behind = [];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const bg = getComputedStyle(node).backgroundColor;
    behind.push(bg);
    const alpha = bg.match(/rgba\\(.*,\\s*([\\d.]+)\\)/);
    if (!alpha || parseFloat(alpha[1]) === 1) {
      if (bg !== "rgba(0, 0, 0, 0)") break;
    }
  }
  return {
    what: el.outerHTML.slice(0, 120),
    visible: el.matches(":focus-visible"),
    style: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
    offset: parseFloat(style.outlineOffset),
    color: style.outlineColor,
    behind,
  };
}"""
# What hides the focused element: a sticky bar whose box meets its box, or anything else
# drawn over its centre. null when it is entirely in view.
FOCUS_HIDDEN = """(bars) => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return null;
  const what = el.outerHTML.slice(0, 120);
  if (r.top < -1 || r.bottom > innerHeight + 1) {
    return `${what}: outside the window (${Math.round(r.top)}–${Math.round(r.bottom)} px of ${innerHeight})`;
  }
  for (const bar of document.querySelectorAll(bars)) {
    const b = bar.getBoundingClientRect();
    if (bar.contains(el) || b.height === 0) continue;
    if (r.bottom > b.top && r.top < b.bottom && r.right > b.left && r.left < b.right) {
      return `${what}: under ${bar.className} (${Math.round(r.top)}–${Math.round(r.bottom)} px, the bar ${Math.round(b.top)}–${Math.round(b.bottom)} px)`;
    }
  }
  const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  if (top && !el.contains(top) && !top.contains(el)) {
    return `${what}: covered by ${top.outerHTML.slice(0, 80)}`;
  }
  return null;
}"""


def _rgba(css: str) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    if len(numbers) == 3:
        numbers.append(1.0)
    return tuple(numbers[:4])


def _over(top: tuple, bottom: tuple) -> tuple:
    """``top`` (r, g, b, a) painted over the opaque ``bottom``."""
    alpha = top[3]
    mixed = (t * alpha + b * (1 - alpha) for t, b in zip(top[:3], bottom[:3], strict=True))
    return (*mixed, 1.0)


def _luminance(rgb) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    """WCAG contrast ratio of two opaque colours."""
    light, dark = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_ratio_of_known_pairs():
    """The function the ring checks rely on gives the published ratios."""
    assert round(contrast((255, 255, 255), (0, 0, 0)), 1) == 21.0
    assert round(contrast(_rgba("rgb(125, 10, 10)"), _rgba("rgb(255, 255, 255)")), 1) == 10.9
    assert round(contrast(_rgba("rgb(255, 255, 255)"), _rgba("rgb(165, 14, 14)")), 1) == 7.9
    half = _over(_rgba("rgba(0, 0, 0, 0.5)"), (255, 255, 255, 1))
    assert [round(v) for v in half[:3]] == [128, 128, 128]


def _ring(page: Page) -> dict:
    ring = page.evaluate(FOCUS_RING)
    colour = (255, 255, 255, 1.0)  # the canvas
    for layer in reversed(ring["behind"]):
        colour = _over(_rgba(layer), colour)
    ring["ratio"] = contrast(_rgba(ring["color"]), colour)
    return ring


def _tab_to(page: Page, selector: str, key: str = "Tab") -> None:
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if page.evaluate(FOCUSED_MATCHES, selector):
            page.evaluate(SCROLL_SETTLED)
            return
    raise AssertionError(f"{selector} never got the focus with {key}")


def _check_ring(page: Page, kind: str, problems: list[str]) -> None:
    ring = _ring(page)
    if not ring["visible"]:
        problems.append(f"{kind}: not :focus-visible after Tab — {ring['what']}")
    if ring["style"] != "solid" or ring["width"] < 2:
        problems.append(f"{kind}: outline {ring['style']} {ring['width']}px — {ring['what']}")
    if ring["offset"] < 0:
        problems.append(f"{kind}: the ring is drawn on the element itself — {ring['what']}")
    if ring["ratio"] < 3:
        problems.append(
            f"{kind}: ring {ring['color']} is {ring['ratio']:.2f}:1 against {ring['behind']}"
            f" — {ring['what']}"
        )


@pytest.fixture
def draft():
    """A unit officer's draft, in an open campaign."""
    campaign = CampaignFactory()
    commune = UnitFactory(name="Xã Cẩm Xuyên", parent=campaign.organiser)
    officer = UserFactory(username="canbo.xa", unit=commune, roles=[Role.UNIT_OFFICER])
    topic = Field.objects.create(name="Xây dựng nông thôn mới")
    return DvkModelFactory(campaign=campaign, unit=commune, created_by=officer, field=topic)


@pytest.fixture
def sheet():
    """An open round of eight criteria, each with guidance, and one sheet to fill."""
    campaign = CampaignFactory()
    secretariat = secretariat_for(campaign)
    rubric = RubricFactory(organiser=campaign.organiser, total_points=Decimal(80))
    for position in range(8):
        CriterionFactory(
            rubric=rubric,
            title=f"Tiêu chí {position + 1}: mức độ tham gia của nhân dân",
            guidance="Đủ điểm khi có số liệu, biên bản họp dân và ý kiến của người dân.\n"
            "Trừ điểm khi chỉ nêu chung chung.",
            max_points=10,
            position=position,
        )
    for position, (name, minimum) in enumerate(DEFAULT_TIERS, start=1):
        TierFactory(rubric=rubric, name=name, min_score=80 * minimum / 100, position=position)
    round_ = RoundFactory(
        campaign=campaign, created_by=secretariat, rubric_collective=rubric, reviewers_per_model=1
    )
    entry = RoundEntryFactory(round=round_)
    open_round(round_, by=secretariat)
    member = CommitteeMemberFactory(committee=CommitteeFactory(unit=campaign.organiser))
    return sheet_of(services.assignment_add(entry=entry, reviewer=member.user, by=secretariat))


def _open(browser, base_url: str, username: str, path: str, size: tuple[int, int]) -> Page:
    page = log_in(browser, base_url, username, width=size[0])
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(base_url + path)
    check_a11y(page)
    return page


@pytest.mark.parametrize("size", SIZES)
def test_every_kind_of_control_shows_a_solid_contrasting_ring(live_server, browser, draft, size):
    """Header link, bell, menu button, link in text, outline-secondary button, field,
    radio, select, outline and primary buttons of the save bar: after Tab, a solid ring at
    least 2 px wide and 3:1 against what is behind it."""
    page = _open(
        browser,
        live_server.url,
        "canbo.xa",
        reverse("models_registry:model_update", args=[draft.pk]),
        size,
    )
    problems = []
    steps = [("navbar brand", ".site-navbar .navbar-brand"), ("bell", ".notification-bell")]
    if size[0] < 1200:
        steps.append(("menu button", ".navbar-toggler"))
    for kind, selector in steps:
        _tab_to(page, selector)
        _check_ring(page, kind, problems)
    if size[0] < 1200:
        page.keyboard.press("Enter")  # opens the menu
    for kind, selector in [
        ("header link", ".site-navbar a.nav-link"),
        ("account menu", ".site-navbar .dropdown-toggle"),
        ("link in text", ".breadcrumb a"),
        ("outline-secondary button", "#draft-jump-links .btn-outline-secondary"),
        ("field", "#id_name"),
        ("radio", "input[type=radio]:checked"),
        ("select", "#id_field"),
        ("textarea", "#id_situation"),
        ("outline-primary button", ".form-actions--sticky .btn-outline-primary"),
        ("primary button", ".form-actions--sticky .btn-primary"),
    ]:
        _tab_to(page, selector)
        _check_ring(page, kind, problems)
    assert not problems, "\n".join(problems)


def test_a_mouse_click_shows_no_ring(live_server, browser, draft):
    """A radio or a menu button clicked with the mouse gets the focus but no ring."""
    page = _open(
        browser,
        live_server.url,
        "canbo.xa",
        reverse("models_registry:model_update", args=[draft.pk]),
        (1280, 900),
    )
    for selector in ["input[type=radio] >> nth=1", ".site-navbar .dropdown-toggle >> nth=-1"]:
        page.locator(selector).click()
        ring = page.evaluate(FOCUS_RING)
        assert not ring["visible"], ring["what"]
        assert ring["style"] == "none", ring
        page.keyboard.press("Escape")


def _walk(page: Page, key: str, stop: str) -> list[str]:
    """Press ``key`` until the focus is on ``stop``; every element on the way is checked."""
    problems = []
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        page.evaluate(SCROLL_SETTLED)
        hidden = page.evaluate(FOCUS_HIDDEN, STICKY_BARS)
        if hidden:
            problems.append(f"{key}: {hidden}")
        if page.evaluate(FOCUSED_MATCHES, stop):
            return problems
    raise AssertionError(f"{stop} never got the focus with {key}")


@pytest.mark.parametrize("size", SIZES)
def test_the_save_bar_never_hides_the_focused_field(live_server, browser, draft, size):
    """Tab down the whole registration form and Shift+Tab back up: each field, radio and
    button is entirely above the sticky save bar ("Thực trạng" was 0 % visible)."""
    page = _open(
        browser, live_server.url, "canbo.xa", reverse("models_registry:model_create"), size
    )
    problems = _walk(page, "Tab", "#draft-leave-note a")
    problems += _walk(page, "Shift+Tab", "#id_name")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", SIZES)
def test_the_sticky_total_never_hides_the_focused_guidance(live_server, browser, sheet, size):
    """Tab down the score sheet and Shift+Tab back up: each criterion's guidance, points
    and comment is entirely below the sticky running total."""
    page = _open(
        browser,
        live_server.url,
        sheet.assignment.reviewer.username,
        reverse("evaluation:sheet", args=[sheet.pk]),
        size,
    )
    problems = _walk(page, "Tab", "#sheet-submit button[type=submit]")
    problems += _walk(page, "Shift+Tab", ".breadcrumb a")
    assert not problems, "\n".join(problems)
    # The ring of the guidance's summary and of a points field (inside an input group).
    _tab_to(page, ".criterion-guidance summary")
    _check_ring(page, "guidance", problems)
    _tab_to(page, "input[name=points]")
    _check_ring(page, "points field", problems)
    assert not problems, "\n".join(problems)
