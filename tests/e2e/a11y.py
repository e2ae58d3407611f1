"""axe-core in the browser tests (issue 16): every document a browser test loads is checked
against the WCAG 2.0, 2.1 and 2.2 A and AA rules, and any violation fails the test.

How it cannot be forgotten (the autouse fixture and hook in ``tests/e2e/conftest.py``):

- every browser context a test opens is watched (``Browser.new_context`` is wrapped for the
  test), and every page's ``load`` event records the document it loaded;
- ``check_a11y(page)`` runs axe on the page as it is now (a fresh load, or the state an htmx
  swap left) and fails on any violation — journeys call it after each navigation and after
  each swap worth checking;
- when the test's body ends, every page still open is checked as it is (its last state),
  and a document that was loaded and then left without a check fails the test, naming it.

axe runs in the page through the DevTools protocol (``page.evaluate``): the site's
Content-Security-Policy forbids an added ``<script>`` and must not be bypassed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

AXE_VERSION = "4.14.1"  # tests/e2e/vendor/README.md: where it comes from, how to update
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
# Every WCAG A and AA tag axe 4.14 knows (axe.getRules()): it has no "wcag22a" (2.2 added
# no level A rule it can test); "wcag22aa" is target-size.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Only what a failure message needs crosses back to Python (axe's full result is large).
RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
    // No preload: it copies the page's style sheets into <style> elements, which the
    // site's policy refuses (a CSP report on the Django admin); only css-orientation-lock
    // reads them, and no style sheet here locks the orientation.
    preload: false,
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html})),
  }));
}"""
HAS_AXE = f"() => typeof window.axe !== 'undefined' && window.axe.version === '{AXE_VERSION}'"
# htmx marks what it is requesting or swapping, and a CSS transition (an htmx indicator
# fading out) has colours between two states: axe waits until none of it is going on.
SETTLED = """() => !document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling")
  && document.getAnimations().every((a) => a.playState !== "running"
    || a.effect.getComputedTiming().endTime === Infinity)"""


@dataclass
class Watched:
    """One page: the documents it loaded (in order) and which of them were checked."""

    page: Page
    loads: list[str] = field(default_factory=list)
    checked: set[int] = field(default_factory=set)

    def on_load(self, page: Page) -> None:
        if page.url.startswith("http"):
            self.loads.append(page.url)

    def unchecked(self) -> list[str]:
        return [url for i, url in enumerate(self.loads) if i not in self.checked]


@dataclass
class A11yWatch:
    """The pages of one test, and every state that was checked (for the report)."""

    pages: list[Watched] = field(default_factory=list)
    states: list[str] = field(default_factory=list)

    def watch_context(self, context: BrowserContext) -> None:
        context.on("page", self.watch_page)

    def watch_page(self, page: Page) -> None:
        watched = Watched(page)
        self.pages.append(watched)
        page.on("load", watched.on_load)

    def find(self, page: Page) -> Watched | None:
        return next((w for w in self.pages if w.page is page), None)

    def finish(self) -> None:
        """At the end of the test's body: check each open page's last state, then fail on
        any document that was left without a check."""
        problems = []
        for watched in self.pages:
            if watched.page.is_closed():
                continue
            if watched.loads and len(watched.loads) - 1 not in watched.checked:
                problems += violations_report(watched.page, self, state="final state")
        missed = [url for w in self.pages for url in w.unchecked()]
        if missed:
            problems.append(
                "Loaded, then left without an accessibility check (call check_a11y(page) "
                "after the navigation): " + ", ".join(missed)
            )
        assert not problems, "\n".join(problems)


# The watch of the test that is running (set by tests/e2e/conftest.py).
_current: list[A11yWatch] = []


def start(browser: Browser) -> tuple[A11yWatch, Callable[[], None]]:
    """Watch every context ``browser`` opens from now on; returns the watch and the
    function that stops watching. Contexts prefer reduced motion: Bootstrap then draws no
    fade, so axe never measures the colours of an element half faded in."""
    watch = A11yWatch()
    original = browser.new_context

    def new_context(*args, **kwargs):
        kwargs.setdefault("reduced_motion", "reduce")
        context = original(*args, **kwargs)
        watch.watch_context(context)
        return context

    browser.new_context = new_context
    _current.append(watch)

    def stop():
        browser.new_context = original
        _current.remove(watch)

    return watch, stop


def axe_violations(page: Page) -> list[dict]:
    """axe's WCAG A/AA violations on ``page`` as it is now (once htmx requests and CSS
    transitions have ended)."""
    try:
        page.wait_for_load_state("load")
        page.wait_for_function(SETTLED, timeout=5_000)
    except PlaywrightTimeoutError:
        pass  # a page that polls: check it as it is
    if not page.evaluate(HAS_AXE):
        page.evaluate(AXE_SOURCE)
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def format_violations(violations: list[dict], url: str, width: int, state: str = "") -> list[str]:
    where = f"{url} at {width} px" + (f" ({state})" if state else "")
    lines = []
    for v in violations:
        lines.append(f"axe {v['id']} ({v['impact']}) on {where}: {v['help']} — {v['helpUrl']}")
        lines += [f"    {n['target']}  {n['html'][:300]}" for n in v["nodes"]]
    return lines


def violations_report(page: Page, watch: A11yWatch | None = None, state: str = "") -> list[str]:
    """Run axe on ``page`` and mark its current document checked; the failure lines (empty
    when there is no violation)."""
    watch = watch or (_current[-1] if _current else None)
    violations = axe_violations(page)
    width = (page.viewport_size or {}).get("width", 0)
    if watch is not None:
        watched = watch.find(page)
        if watched is not None and watched.loads:
            watched.checked.add(len(watched.loads) - 1)
        watch.states.append(f"{page.url} @{width}" + (f" ({state})" if state else ""))
    return format_violations(violations, page.url, width, state)


def check_a11y(page: Page, state: str = "") -> None:
    """Fail if axe finds a WCAG 2.0–2.2 A/AA violation on ``page`` as it is now. ``state``
    names what is checked beyond the address (e.g. "after a save")."""
    problems = violations_report(page, state=state)
    assert not problems, "\n".join(problems)
