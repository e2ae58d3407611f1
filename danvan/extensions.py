"""The one registry through which the apps built on ``danvan`` extend it and each other.

Imports flow down (``danvan`` → ``models_registry`` → ``evaluation`` → ``awards`` →
``reports``): an earlier app never imports a later one. A later app that needs to add to
what an earlier one shows or allows registers it here from its ``AppConfig.ready()``:

* ``register_menu_item`` / ``register_home_panel`` — navigation and home-page blocks;
* ``register_detail_section`` — a block a later app adds to an earlier app's detail page
  (the awards of a model on the model's page, of a unit on the unit's page) or to the
  registration form (``MODEL_FORM``: the showcase's "similar models" suggestions);
* ``register_role_permissions`` — model permissions a role's group carries;
* ``register_demo`` — a function that loads the app's demo data (``seed_demo`` runs them
  in app order after the organisation and accounts);
* ``register_scale`` — a function that bulk-loads the app's part of the benchmark data
  (``seed_scale`` runs them in order, each in its transaction; see ``danvan.scale``);
* ``register_user_fact`` — a yes/no fact about a user that a later app's rules ask on
  every page (evaluation: "an active committee member"): the backend loads it with the
  signed-in user in one query;
* ``register_reader`` — "who else may read an object": a predicate for the rule and a
  ``Q`` for the selector, registered together so that the two cannot disagree. The owning
  app composes ``extra_readers(label)`` into its rule and ``extra_readers_q(label, user)``
  into its visibility selector.

Nothing else (no ``rules.set_perm`` over another app's permission, no import by name) is
used to extend an app. See ``docs/architecture.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import rules
from django.db.models import Q
from django.urls import reverse

# --- Navigation --------------------------------------------------------------------------


@dataclass(frozen=True)
class MenuItem:
    name: str
    label: str  # a lazy translation
    url_name: str
    allowed: Callable  # user -> bool
    order: int = 100
    group: str = ""  # a registered menu group ("setup"): shown in its dropdown


@dataclass(frozen=True)
class MenuGroup:
    """A dropdown of the main menu that keeps the bar on one line: the pages a user
    opens a few times a year (campaigns, fields, rubrics, committees, the audit log).
    It stands at its own ``order`` among the items."""

    name: str
    label: str  # a lazy translation
    order: int = 100


@dataclass(frozen=True)
class HomePanel:
    """A block on the home page: ``context(request)`` returns None to hide it."""

    template: str
    context: Callable
    order: int = 100


_menu: dict[str, MenuItem] = {}
_menu_groups: dict[str, MenuGroup] = {}
_panels: dict[str, HomePanel] = {}


def register_menu_item(item: MenuItem) -> None:
    _menu[item.name] = item


def register_menu_group(group: MenuGroup) -> None:
    _menu_groups[group.name] = group


def register_home_panel(panel: HomePanel) -> None:
    _panels[panel.template] = panel


def menu_for(user) -> list[dict]:
    """The items the user may open, flat, in order; each names its ``group`` ("")."""
    if not user.is_authenticated:
        return []
    return [
        {
            "name": item.name,
            "label": item.label,
            "url": reverse(item.url_name),
            "group": item.group if item.group in _menu_groups else "",
            "order": item.order,
        }
        for item in sorted(_menu.values(), key=lambda i: i.order)
        if item.allowed(user)
    ]


def menu_bar(items: list[dict], active: str = "") -> list[dict]:
    """``menu_for``'s items as the bar shows them: ungrouped items in place, each group
    once at its own order as ``{"group": name, "label", "children", "active"}``. A group
    with a single item shows that item instead."""
    children: dict[str, list[dict]] = {}
    for item in items:
        if item["group"]:
            children.setdefault(item["group"], []).append(item)
    entries = [(item["order"], item) for item in items if not item["group"]]
    for name, members in children.items():
        if len(members) == 1:
            entries.append((members[0]["order"], members[0]))
            continue
        group = _menu_groups[name]
        entries.append(
            (
                group.order,
                {
                    "group": name,
                    "label": group.label,
                    "children": members,
                    "active": any(child["name"] == active for child in members),
                },
            )
        )
    return [entry for _order, entry in sorted(entries, key=lambda e: e[0])]


def home_panels_for(request) -> list[dict]:
    panels = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        context = panel.context(request)
        if context is not None:
            panels.append({"template": panel.template, **context})
    return panels


# --- Sections of detail pages ----------------------------------------------------------------

# The detail pages that accept sections, by the name a later app registers against.
MODEL_PAGE = "models_registry.dvkmodel"
UNIT_PAGE = "danvan.unit"
# The registration form (create and update) accepts sections too, in its "replicates"
# part: ``context(request, obj)`` gets the model being edited, or None on a new one.
MODEL_FORM = "models_registry.dvkmodel_form"
# The campaign's page: ``context(request, campaign)``; evaluation shows its rounds' dates.
CAMPAIGN_PAGE = "models_registry.campaign"


@dataclass(frozen=True)
class DetailSection:
    """A block on an object's detail page: ``context(request, obj)`` returns the
    template's own keys, or None to hide the block (no permission, nothing to show)."""

    template: str
    context: Callable
    order: int = 100


_sections: dict[str, dict[str, DetailSection]] = {}


def register_detail_section(page: str, section: DetailSection) -> None:
    _sections.setdefault(page, {})[section.template] = section


def detail_sections_for(page: str, request, obj) -> list[dict]:
    """The visible sections of ``page`` for ``obj``, each a dict with ``template`` and
    the section's own keys (the page includes them with ``section=section``)."""
    sections = []
    for section in sorted(_sections.get(page, {}).values(), key=lambda s: s.order):
        context = section.context(request, obj)
        if context is not None:
            sections.append({"template": section.template, **context})
    return sections


# --- Role permissions ----------------------------------------------------------------------

# Model permissions each role's group carries ("app_label.codename"), by role value.
# Object-level rules (scope, workflow states) live in each app's rules.py; these only
# open the doors. ``danvan.services.roles_sync_groups`` writes them to the groups.
_role_permissions: dict[str, list[str]] = {}


def register_role_permissions(role, perms: list[str]) -> None:
    wanted = _role_permissions.setdefault(str(role), [])
    for perm in perms:
        if perm not in wanted:
            wanted.append(perm)


def role_permissions(role) -> list[str]:
    return list(_role_permissions.get(str(role), []))


# --- Demo data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLoader:
    label: str  # what the command prints before the loader's summary
    load: Callable[[], object]  # idempotent; returns a printable summary
    order: int = 100


_demo: dict[str, DemoLoader] = {}


def register_demo(name: str, loader: DemoLoader) -> None:
    _demo[name] = loader


def demo_loaders() -> list[DemoLoader]:
    return sorted(_demo.values(), key=lambda d: d.order)


# --- Scale data (the benchmark) --------------------------------------------------------------


@dataclass(frozen=True)
class ScaleLoader:
    """``seed(plan, made)`` bulk-loads one app's part of the benchmark data for the
    ``danvan.scale.ScalePlan`` ``plan``; ``made`` is the dict the earlier loaders filled
    (ids, never objects), to which it adds its own. Returns ``{what: count}``."""

    label: str  # what the command prints before the loader's counts
    seed: Callable[[object, dict], dict]
    order: int = 100


_scale: dict[str, ScaleLoader] = {}


def register_scale(name: str, loader: ScaleLoader) -> None:
    _scale[name] = loader


def scale_loaders() -> list[ScaleLoader]:
    return sorted(_scale.values(), key=lambda d: d.order)


# --- Facts about the signed-in user ------------------------------------------------------


_user_facts: dict[str, Callable] = {}


def register_user_fact(name: str, expression: Callable) -> None:
    """``expression()`` is a query expression over the user's row (``OuterRef("pk")``),
    e.g. an ``Exists``. ``danvan.backends.UserBackend.get_user`` annotates it on the
    signed-in user, and ``User.remember_fact`` keeps the value; the owning app's predicate
    reads it with ``user.fact(name, compute)`` (``compute`` answers for other user objects).
    """
    _user_facts[name] = expression


def user_fact_annotations() -> dict:
    """``{"fact_<name>": expression}`` for every registered fact."""
    return {f"fact_{name}": expression() for name, expression in _user_facts.items()}


# --- Extra readers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reader:
    """Someone beyond the owning app's own policy who may read objects of ``label``.

    ``predicate(user, obj) -> bool`` decides for one object (the rule);
    ``q(user) -> Q | None`` selects the same objects in the owner's model (the selector).
    Both must describe the same set — tests/danvan/test_extensions.py checks each pair.
    """

    name: str
    predicate: Callable
    q: Callable


_readers: dict[str, dict[str, Reader]] = {}


def register_reader(label: str, reader: Reader) -> None:
    """``label`` is the model label of the object read ("models_registry.DvkModel")."""
    _readers.setdefault(label, {})[reader.name] = reader


def readers(label: str) -> list[Reader]:
    return list(_readers.get(label, {}).values())


def extra_readers(label: str):
    """A ``rules`` predicate true when any registered reader of ``label`` allows it.

    Looked up at call time, so a later app's registration counts whatever the import order.
    """

    @rules.predicate(name=f"extra_readers_of_{label}")
    def predicate(user, obj):
        if obj is None or not user.is_authenticated:
            return False
        return any(reader.predicate(user, obj) for reader in readers(label))

    return predicate


def extra_readers_q(label: str, user) -> Q | None:
    """The OR of every registered reader's ``Q`` for ``user`` (None when there is none)."""
    combined = None
    for reader in readers(label):
        q = reader.q(user)
        if q is None:
            continue
        combined = q if combined is None else combined | q
    return combined
