"""The page-structure checks (issue 16, WCAG 1.3.1, 2.4.4, 2.4.6, 4.1.2): headings in order,
landmarks, an accessible name on every link, button and field, table headers and image
alternatives — what axe's best-practice rules check, on the HTML the server sends."""

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from lxml import html as lxml_html

LANDMARKS = {"header", "nav", "main", "footer", "aside"}
LANDMARK_ROLES = {"banner", "navigation", "main", "contentinfo", "complementary", "region"}
UNLABELLED_INPUTS = {"hidden", "submit", "button", "reset", "image"}
_SPACE = re.compile(r"\s+")
# A name with no letter at all ("×", "+", "3", "›") says nothing of what the control does.
_LETTER = re.compile(r"[^\W\d_]")
# A phone number or an address is its own name.
_SELF_NAMED = ("tel:", "mailto:")
# Links of a few words ("Sửa", "Xem trước") that lead to different pages must name their
# object (WCAG 2.4.4); longer names (a model's, a notification's) already do.
GENERIC_WORDS = 5


def _describe(element) -> str:
    attributes = " ".join(
        f'{name}="{element.get(name)}"'
        for name in ("id", "name", "class", "href", "type")
        if element.get(name)
    )
    text = _SPACE.sub(" ", element.text_content()).strip()[:60]
    return f"<{element.tag} {attributes}>{text}".replace(" >", ">")


def _hidden(element) -> bool:
    return element.get("aria-hidden") == "true" or element.get("hidden") is not None


def _visible_text(element) -> str:
    """The text a screen reader reads inside ``element``: aria-hidden parts left out,
    images by their alt."""
    if not isinstance(element.tag, str) or _hidden(element):
        return ""
    if element.tag == "img":
        return element.get("alt") or ""
    if element.tag in ("script", "style", "template"):
        return ""
    parts = [element.text or ""]
    for child in element:
        parts.append(_visible_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def accessible_name(element, document) -> str:
    """The name of a link, button or field: aria-labelledby, aria-label, its content (minus
    the aria-hidden parts), an input's value, its title."""
    labelledby = element.get("aria-labelledby")
    if labelledby:
        names = [
            _visible_text(target)
            for target_id in labelledby.split()
            for target in document.xpath("//*[@id=$id]", id=target_id)
        ]
        if "".join(names).strip():
            return _SPACE.sub(" ", " ".join(names)).strip()
    for candidate in (
        element.get("aria-label"),
        _visible_text(element),
        element.get("value") if element.tag == "input" else None,
        element.get("title"),
    ):
        if candidate and candidate.strip():
            return _SPACE.sub(" ", candidate).strip()
    return ""


def _is_labelled(field, document) -> bool:
    if field.get("aria-label", "").strip() or field.get("aria-labelledby"):
        return bool(accessible_name(field, document)) or bool(field.get("aria-label", "").strip())
    if field.get("id") and document.xpath("//label[@for=$id]", id=field.get("id")):
        return True
    return any(ancestor.tag == "label" for ancestor in field.iterancestors())


def _in_landmark(element) -> bool:
    for node in [element, *element.iterancestors()]:
        if node.tag in LANDMARKS or node.get("role") in LANDMARK_ROLES:
            return True
    return False


def _region_problems(body) -> list[str]:
    """Content outside every landmark (axe "region"): the skip link, scripts, dialogs and
    hidden parts may live outside."""
    problems = []
    for child in body:
        if not isinstance(child.tag, str) or child.tag in ("script", "template", "noscript"):
            continue
        if _in_landmark(child) or _hidden(child) or child.get("role") in ("dialog", "alertdialog"):
            continue
        classes = (child.get("class") or "").split()
        if "skip-link" in classes or "modal" in classes:
            continue
        if _SPACE.sub("", _visible_text(child)) or child.xpath(".//input|.//button|.//a"):
            problems.append(f"outside every landmark: {_describe(child)}")
    return problems


def names_and_labels(document) -> list[str]:
    """Links, buttons and fields without a name, images without alt, tables whose
    headers have no scope — for pages and for the fragments htmx swaps in."""
    problems = []
    targets: dict[str, set[str]] = {}
    for element in document.iter("a", "button"):
        if element.tag == "a" and element.get("href") is None:
            continue
        if _in_hidden_tree(element):
            continue
        name = accessible_name(element, document)
        if not name:
            problems.append(f"no accessible name: {_describe(element)}")
        elif not _LETTER.search(name) and not element.get("href", "").startswith(_SELF_NAMED):
            problems.append(f"name {name!r} has no word: {_describe(element)}")
        elif element.tag == "a" and not element.get("href", "").startswith("#"):
            targets.setdefault(name.casefold(), set()).add(urlsplit(element.get("href")).path)
    for name, hrefs in targets.items():
        if len(hrefs) > 1 and len(name.split()) <= GENERIC_WORDS:
            problems.append(f"{len(hrefs)} links named {name!r} lead to different pages")
    for field in document.iter("input", "select", "textarea"):
        if field.tag == "input" and (field.get("type") or "text").lower() in UNLABELLED_INPUTS:
            continue
        if not _is_labelled(field, document):
            problems.append(f"field without a label: {_describe(field)}")
    for image in document.iter("img"):
        if image.get("alt") is None:
            problems.append(f"image without alt: {_describe(image)}")
    for table in document.iter("table"):
        if table.get("role") in ("presentation", "none"):
            continue
        headers = table.xpath(".//th")
        if not headers:
            continue
        for header in headers:
            if not header.get("scope") and not header.get("id"):
                problems.append(f"table header without scope: {_describe(header)}")
        if not table.xpath("./caption") and not (
            table.get("aria-label") or table.get("aria-labelledby")
        ):
            problems.append(f"data table without a caption: {_describe(headers[0])}")
    return problems


def _in_hidden_tree(element) -> bool:
    return any(_hidden(node) for node in [element, *element.iterancestors()])


def headings_and_landmarks(document) -> list[str]:
    """One h1, no skipped level, one <main>, a name on each nav when there are several,
    every content inside a landmark."""
    problems = []
    headings = [
        element
        for element in document.iter("h1", "h2", "h3", "h4", "h5", "h6")
        if not _in_hidden_tree(element)
    ]
    h1s = [heading for heading in headings if heading.tag == "h1"]
    if len(h1s) != 1:
        problems.append(f"{len(h1s)} <h1> instead of one: {[_describe(h) for h in h1s]}")
    previous = 0
    for heading in headings:
        level = int(heading.tag[1])
        if previous and level > previous + 1:
            problems.append(f"heading skips from h{previous}: {_describe(heading)}")
        if not _SPACE.sub("", _visible_text(heading)):
            problems.append(f"empty heading: {_describe(heading)}")
        previous = level
    mains = document.xpath("//main|//*[@role='main']")
    if len(mains) != 1:
        problems.append(f"{len(mains)} <main> instead of one")
    navs = document.xpath("//nav|//*[@role='navigation']")
    if len(navs) > 1:
        names = [accessible_name_of_landmark(nav, document) for nav in navs]
        for nav, name in zip(navs, names, strict=True):
            if not name:
                problems.append(f"one of {len(navs)} <nav> without aria-label: {_describe(nav)}")
            elif names.count(name) > 1:
                problems.append(f"two <nav> named {name!r}")
    body = document.find("body")
    if body is not None:
        for tag in ("header", "footer"):
            if len(body.findall(tag)) != 1:
                problems.append(
                    f"{len(body.findall(tag))} <{tag}> at the top of <body> instead of one"
                )
        problems.extend(_region_problems(body))
    return problems


def accessible_name_of_landmark(element, document) -> str:
    if element.get("aria-labelledby"):
        return accessible_name(element, document)
    return (element.get("aria-label") or "").strip()


def page_problems(html: str) -> tuple[list[str], list[str], list[str]]:
    """(problems of a whole page, its links, the addresses it loads with htmx)."""
    document = lxml_html.document_fromstring(html)
    problems = headings_and_landmarks(document) + names_and_labels(document)
    links = [a.get("href") for a in document.iter("a") if a.get("href")]
    fragments = [
        element.get(attribute)
        for attribute in ("hx-get", "data-hx-get", "data-notification-bell")
        for element in document.xpath(f"//*[@{attribute}]")
        if "{" not in element.get(attribute)
    ]
    return problems, links, fragments


def fragment_problems(html: str) -> list[str]:
    """The link, button, field, image and table checks of an htmx fragment."""
    if not html.strip():
        return []
    return names_and_labels(lxml_html.fragment_fromstring(html, create_parent="div"))


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
