"""Driving a page with the keyboard only (issue 16): Tab until the wanted element has the
focus, and after every key check that the focused element can be seen — inside the
viewport and not covered by anything (a sticky bar, a header): WCAG 2.2 "focus not
obscured", which the issue asks fully (the whole element, not only a corner of it)."""

from playwright.sync_api import Page

# Whether the focused element matches a selector (a function: no eval() under the CSP).
FOCUSED_MATCHES = (
    "(selector) => !!document.activeElement && document.activeElement.matches(selector)"
)
# Where the focus is and what covers it. A text field or a select must be entirely visible
# (its four corners and centre are its own); anything else at least at the centre of its
# first line box (an inline link wraps); a control's label stands for it.
FOCUS_SEEN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const box = el.getClientRects()[0] || el.getBoundingClientRect();
  const whole = el.getBoundingClientRect();
  const what = el.outerHTML.slice(0, 160);
  if (whole.width === 0 || whole.height === 0) return {what, problem: "no size"};
  if (whole.top < 0 || whole.left < 0 || whole.bottom > innerHeight || whole.right > innerWidth) {
    return {what, problem: `outside the viewport (${Math.round(whole.top)}–${Math.round(whole.bottom)} of ${innerHeight} px)`};
  }
  // A radio or a checkbox is round or rounded: its box's corners are not its own.
  const field = el.matches("textarea, select, input:not([type=radio]):not([type=checkbox])");
  const inset = 3;
  const points = field
    ? [[whole.left + inset, whole.top + inset], [whole.right - inset, whole.top + inset],
       [whole.left + inset, whole.bottom - inset], [whole.right - inset, whole.bottom - inset],
       [(whole.left + whole.right) / 2, (whole.top + whole.bottom) / 2]]
    : [[(box.left + box.right) / 2, (box.top + box.bottom) / 2]];
  const labels = el.labels ? Array.from(el.labels) : [];
  for (const [x, y] of points) {
    const top = document.elementFromPoint(x, y);
    if (!top) continue;
    if (el === top || el.contains(top) || labels.some((label) => label.contains(top))) continue;
    return {what, problem: "covered by " + top.outerHTML.slice(0, 120)};
  }
  return null;
}"""


class Keyboard:
    """Keys for one page; ``problems`` collects every step where the focus was not seen
    (the journey asserts it is empty at its end, after its own steps)."""

    def __init__(self, page: Page):
        self.page = page
        self.problems: list[str] = []

    def press(self, key: str, *, navigates: bool = False) -> None:
        """Press ``key``; unless it leaves the page, check the focus is seen."""
        self.page.keyboard.press(key)
        if not navigates:
            self.seen()

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def seen(self) -> None:
        problem = self.page.evaluate(FOCUS_SEEN)
        if problem is not None:
            width = self.page.viewport_size["width"]
            self.problems.append(
                f"{self.page.url} at {width} px: focus {problem['problem']}: {problem['what']}"
            )

    def focused(self, selector: str) -> bool:
        return self.page.evaluate(FOCUSED_MATCHES, selector)

    def tab_to(self, selector: str, *, limit: int = 80, backwards: bool = False) -> None:
        """Press Tab (Shift+Tab) until the focused element matches ``selector``."""
        for _ in range(limit):
            self.press("Shift+Tab" if backwards else "Tab")
            if self.focused(selector):
                return
        raise AssertionError(
            f"{selector} not reached with {limit} presses of Tab on {self.page.url}"
        )
