"""The engine of the authorisation matrix: what one table row says and how a row is asked.

A table (one module per app) maps every URL name to a ``Url``: how to build its keyword
arguments for a side of the world, which roles may use it, and what an allowed answer is.
``cases`` turns the tables into (name, role, scope) triples; ``check`` asks one of them:

- anonymous → the login page (GET and POST), unless the URL is marked ``public``;
- an allowed role, on an object in its scope → one of ``ok`` with ``method``;
- any other role, or an object out of scope → 404 on GET and on POST (405 accepted for a
  GET to a POST-only action and a POST to a GET-only page), and nothing written (every table's rows compared before and after).

Every request runs in a savepoint that is rolled back, so the world stays as built.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .world import ADMIN, ANONYMOUS, ROLES

IN, OUT = "in", "out"
PROJECT_APPS = ("danvan", "models_registry", "evaluation", "awards", "reports")
SKIPPED_NAMESPACES = ("admin",)  # the Django admin has its own matrix


# What an htmx form (an autosave, a sheet's comment) answers the allowed user: the saved
# state (200), the next page (302) or the form's own refusal at its fields (422).
FORM_ANSWERS = (200, 302, 422)


@dataclass(frozen=True)
class Url:
    """One row. ``args(side, role)`` gives the URL's keyword arguments (None: no object,
    so no out-of-scope case); ``roles`` may use it; ``ok`` are the allowed answers to
    ``method`` (with ``data`` when POSTing); ``public``: anyone, signed in or not;
    ``everywhere``: the administrator reaches the other province's object too; ``shared``:
    the object belongs to no unit (the other side's is as much in scope)."""

    roles: frozenset
    args: Callable | None = None
    method: str = "get"
    ok: tuple = (200,)
    data: dict | None = None
    public: bool = False
    everywhere: bool = True
    post_only: bool = False
    shared: bool = False  # the installation's data (fields, award types): no owning unit


def page(roles, args=None, **kwargs) -> Url:
    return Url(roles=frozenset(roles), args=args, **kwargs)


def action(roles, args=None, *, ok=(302,), data=None, **kwargs) -> Url:
    """A POST-only action: an allowed answer is a redirect (back with a message)."""
    return Url(
        roles=frozenset(roles), args=args, method="post", ok=ok, data=data, post_only=True,
        **kwargs,
    )  # fmt: skip


def public(args=None, **kwargs) -> Url:
    return Url(roles=frozenset(ROLES), args=args, public=True, **kwargs)


def pk(attr: str) -> Callable:
    """``{"pk": side.<attr>.pk}``."""
    return lambda side, role: {"pk": getattr(side, attr).pk}


def url_names() -> list[str]:
    """Every named URL of the site with its namespace, except the skipped namespaces."""
    names: set[str] = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = pattern.namespace
                if namespace in SKIPPED_NAMESPACES:
                    continue
                walk(pattern.url_patterns, f"{prefix}{namespace}:" if namespace else prefix)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(prefix + pattern.name)

    walk(get_resolver().url_patterns, "")
    return sorted(names)


def cases(table: dict[str, Url]) -> list[tuple[str, str, str]]:
    """(name, role, scope) for every row: both scopes where the URL names an object (an
    anonymous visitor and a public page have no scope)."""
    out = []
    for name, row in sorted(table.items()):
        for role in ROLES:
            scoped = row.args is not None and role != ANONYMOUS and not row.public
            for scope in (IN, OUT) if scoped else (IN,):
                out.append((name, role, scope))
    return out


def case_id(value) -> str:
    return str(value)


# Fields whose change is a transition (a status, a flag); new or removed rows show in the
# counts, and every transition writes an ActivityLog row besides.
WATCHED = {"status", "active", "public", "exemplary", "read_at", "conflict_status"}


@functools.cache
def _tables():
    models = [
        model
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
        if not model._meta.proxy
    ]
    counts = ", ".join(
        f"(SELECT COUNT(*) FROM {connection.ops.quote_name(m._meta.db_table)})" for m in models
    )
    watched = [
        (m, [f.attname for f in m._meta.concrete_fields if f.name in WATCHED]) for m in models
    ]
    return f"SELECT {counts}", [(m, fields) for m, fields in watched if fields]


def fingerprint() -> str:
    """Row counts of every table of the project and the watched fields of every row."""
    count_sql, watched = _tables()
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        cursor.execute(count_sql)
        digest.update(repr(cursor.fetchone()).encode())
    for model, fields in watched:
        rows = model._base_manager.order_by("pk").values_list("pk", *fields)
        digest.update(repr(list(rows)).encode())
    return digest.hexdigest()


def _ask(client, method, url, data):
    with transaction.atomic():
        response = getattr(client, method)(url, data or {})
        transaction.set_rollback(True)
    return response


def check(client, world, table: dict[str, Url], name: str, role: str, scope: str) -> None:
    row = table[name]
    side = world.inside if scope == IN else world.outside
    url = reverse(name, kwargs=row.args(side, role) if row.args else None)
    if role != ANONYMOUS:
        client.force_login(world.inside.users[role])
    if row.public:
        response = _ask(client, row.method, url, row.data)
        assert response.status_code in row.ok, (name, role, scope, response.status_code)
        return
    if role == ANONYMOUS:
        for method in ("get", "post"):
            response = _ask(client, method, url, row.data)
            if method == "post" and response.status_code == 405:
                continue  # a GET-only page refuses the method before reading anything
            assert response.status_code == 302, (name, method, response.status_code)
            assert response.url.startswith(reverse("login")), (name, method, response.url)
        return
    allowed = role in row.roles and (
        scope == IN or row.shared or (role == ADMIN and row.everywhere)
    )
    if allowed:
        response = _ask(client, row.method, url, row.data)
        assert response.status_code in row.ok, (name, role, scope, response.status_code)
        return
    before = fingerprint()
    with transaction.atomic():  # both refused requests, compared before the rollback
        get = client.get(url)
        post = client.post(url, row.data or {})
        written = fingerprint() != before
        transaction.set_rollback(True)
    # A POST-only action may refuse a GET by its method (405), a GET-only page a POST.
    expected = [(404, 404), (405, 404)] if row.post_only else [(404, 404), (404, 405)]
    assert (get.status_code, post.status_code) in expected, (
        name, role, scope, get.status_code, post.status_code,
    )  # fmt: skip
    assert not written, f"{name} refused to {role} ({scope}) wrote something"
