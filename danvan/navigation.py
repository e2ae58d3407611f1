"""Menu entries and home-page panels contributed by each app.

``danvan`` sits at the bottom of the import graph, so later apps register what they add
here from their ``AppConfig.ready()`` instead of ``danvan`` importing them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class MenuItem:
    name: str
    label: str  # a lazy translation
    url_name: str
    allowed: Callable  # user -> bool
    order: int = 100


@dataclass(frozen=True)
class HomePanel:
    """A block on the home page: ``context(request)`` returns None to hide it."""

    template: str
    context: Callable
    order: int = 100


_menu: dict[str, MenuItem] = {}
_panels: dict[str, HomePanel] = {}


def register_menu_item(item: MenuItem) -> None:
    _menu[item.name] = item


def register_home_panel(panel: HomePanel) -> None:
    _panels[panel.template] = panel


def menu_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    return [
        {"name": item.name, "label": item.label, "url": reverse(item.url_name)}
        for item in sorted(_menu.values(), key=lambda i: i.order)
        if item.allowed(user)
    ]


def home_panels_for(request) -> list[dict]:
    panels = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        context = panel.context(request)
        if context is not None:
            panels.append({"template": panel.template, **context})
    return panels
