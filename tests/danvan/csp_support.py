"""What the security-header tests share: an HTML checker for what the Content-Security-Policy
forbids (inline scripts, styles, handlers, evaluated htmx attributes) and a crawler that
opens every page a signed-in user reaches by following links."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

# Links a crawl does not follow: the admin is crawled on its own (it is large), files are
# not pages.
SKIPPED_PREFIXES = ("/quan-tri/", "/static/", "/media/")
# A query string or a number makes another page of the same kind: one of each is enough.
_VARIABLE = re.compile(r"\d+")


class InlineCodeFinder(HTMLParser):
    """Collects every construct of a page that the policy blocks, as readable strings."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        where = f"<{tag}{' id=' + attributes['id'] if attributes.get('id') else ''}>"
        if tag == "style":
            self.problems.append(f"{where}: a <style> element")
        if tag == "script" and not attributes.get("src"):
            if (attributes.get("type") or "").lower() != "application/json":
                self.problems.append(f"{where}: a <script> without src")
        for name, value in attrs:
            value = value or ""
            name = name.lower()
            bare = name.removeprefix("data-")
            if name == "style":
                self.problems.append(f"{where}: a style attribute ({value[:60]})")
            elif name.startswith("on"):
                self.problems.append(f"{where}: an event handler attribute {name}")
            elif bare.startswith("hx-on"):
                self.problems.append(f"{where}: {name} (htmx evaluates it)")
            elif bare in ("hx-vals", "hx-vars") and value.strip().startswith(
                ("js:", "javascript:")
            ):
                self.problems.append(f"{where}: {name} evaluated as JavaScript")
            elif bare == "hx-trigger" and "[" in value:
                self.problems.append(f"{where}: hx-trigger with a filter ({value})")
            elif value.strip().lower().startswith("javascript:"):
                self.problems.append(f"{where}: a javascript: URL in {name}")
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])


def inline_code(html: str) -> tuple[list[str], list[str]]:
    """(what the policy would block, the links of the page)."""
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.problems, finder.links


def _kind(path: str) -> str:
    return _VARIABLE.sub("N", path)


def crawl(
    client, start: str = "/", *, limit: int = 80, skipped=SKIPPED_PREFIXES, check=inline_code
) -> dict:
    """Open ``start`` and every same-site page linked from what was opened (one page per
    kind of address, at most ``limit``) with ``client``. Returns ``{path: problems}`` for
    every HTML page that answered 200, and ``"visited"`` is not a key: the dict's length is
    the number of pages checked. ``check(html)`` gives ``(problems, links)`` of a page
    (by default what the Content-Security-Policy blocks)."""
    seen_kinds: set[str] = set()
    queue = deque([start])
    checked: dict[str, list[str]] = {}
    while queue and len(checked) < limit:
        path = queue.popleft()
        kind = _kind(path)
        if kind in seen_kinds:
            continue
        seen_kinds.add(kind)
        response = client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        problems, links = check(response.content.decode())
        checked[path] = problems
        for href in links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(skipped) or _kind(parts.path) in seen_kinds:
                continue
            queue.append(parts.path)
    return checked
