"""The admin's authorisation matrix (issue 15): every ``admin:`` URL name × every kind of
visitor, generated from the URL configuration.

The admin is the administrators' (``danvan.admin_site``): an administrator gets each page
as the table below says; every other signed-in user — whatever role or staff flag they
hold — gets 404 on GET and on POST with nothing written; an anonymous visitor is sent to
the site's sign-in page. A URL name the tables do not classify fails
``test_every_admin_url_is_classified`` (naming it), so a model newly registered in the admin
needs a row here.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
import rules
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from danvan.admin_site import AdministratorsSite

from .admin_world import ADMIN, ANONYMOUS, REFUSED, STAFF, STAFF_SECRETARIAT, build_admin_world

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Page:
    """What the administrator gets: ``status`` to ``method`` at the URL built by
    ``kwargs(world)`` (model pages: the world's instance) with ``query``."""

    status: int = 200
    method: str = "get"
    kwargs: object = None
    query: dict = field(default_factory=dict)


OK = Page()
REFUSED_PAGE = Page(403)  # a page the admin offers nobody (add or delete of a read-only row)

EDITABLE = {"changelist": OK, "add": OK, "change": OK, "delete": OK, "history": OK}
# Rows written by services or by other packages: listed and shown, never added or deleted.
VIEW_ONLY = {**EDITABLE, "add": REFUSED_PAGE, "delete": REFUSED_PAGE}
NO_ADD = {**EDITABLE, "add": REFUSED_PAGE}
VERSIONS = {"simple_history": OK}  # simple-history's page of one version

# Every registered model: its pages and the administrator's answer on the world's instance.
MODEL_PAGES = {
    "auth_group": EDITABLE,
    "axes_accessattempt": NO_ADD,
    "axes_accessfailurelog": NO_ADD,
    "axes_accesslog": NO_ADD,
    "django_celery_beat_clockedschedule": EDITABLE,
    "django_celery_beat_crontabschedule": EDITABLE,
    "django_celery_beat_intervalschedule": EDITABLE,
    "django_celery_beat_periodictask": EDITABLE,
    "django_celery_beat_solarschedule": EDITABLE,
    "danvan_activitylog": VIEW_ONLY,
    "danvan_generatedfile": VIEW_ONLY,
    "danvan_unit": {**EDITABLE, **VERSIONS},
    "danvan_unitsuccession": EDITABLE,
    "danvan_user": EDITABLE,
    "models_registry_campaign": {**EDITABLE, **VERSIONS},
    "models_registry_dvkmodel": {**EDITABLE, **VERSIONS},  # a draft: deletable
    "models_registry_field": EDITABLE,
    "evaluation_assignment": {**EDITABLE, "delete": REFUSED_PAGE},  # its round has started
    "evaluation_committee": EDITABLE,
    "evaluation_result": VIEW_ONLY,
    "evaluation_round": EDITABLE,  # a round being prepared: deletable
    "evaluation_roundentry": {**EDITABLE, "delete": REFUSED_PAGE},  # its round has started
    "evaluation_rubric": {**EDITABLE, "delete": REFUSED_PAGE},  # scored: frozen
    "evaluation_scoresheet": {**VIEW_ONLY, **VERSIONS},
    "awards_award": EDITABLE,  # of a draft decision
    "awards_awardtype": {**EDITABLE, "delete": REFUSED_PAGE},  # in use
    "awards_decision": EDITABLE,  # a draft
    "awards_honouringcadence": EDITABLE,
    "awards_honouringevent": EDITABLE,
    "awards_proposal": EDITABLE,  # a draft
    "reports_issuerprofile": {**EDITABLE, "delete": REFUSED_PAGE, **VERSIONS},  # in force
    "reports_report": VIEW_ONLY,
    "reports_reportnarrative": {**VIEW_ONLY, **VERSIONS},
    "reports_unitplan": {**VIEW_ONLY, **VERSIONS},
}

# The site's own pages.
SITE_PAGES = {
    "index": OK,
    "app_list": Page(kwargs=lambda w: {"app_label": "models_registry"}),
    "login": Page(302),  # to the index: already signed in
    "logout": Page(302, method="post"),  # to the sign-in page (LOGOUT_REDIRECT_URL)
    "password_change": OK,
    "password_change_done": OK,
    "jsi18n": OK,
    "autocomplete": Page(
        query={"app_label": "models_registry", "model_name": "dvkmodel", "field_name": "unit"}
    ),
    "view_on_site": Page(
        302,
        kwargs=lambda w: {
            "content_type_id": ContentType.objects.get_for_model(w.draft).pk,
            "object_id": w.draft.pk,
        },
    ),
    # Django's UserAdmin names it after auth.User whatever the user model.
    "auth_user_password_change": Page(kwargs=lambda w: {"id": w.officer.pk}),
}


@dataclass(frozen=True)
class Row:
    page: Page
    model: str | None = None  # a model page: the key of the world's instance
    page_name: str = ""


def classified() -> dict[str, Row]:
    table = {name: Row(page) for name, page in SITE_PAGES.items()}
    for model, pages in MODEL_PAGES.items():
        for page_name, page in pages.items():
            table[f"{model}_{page_name}"] = Row(page, model, page_name)
    return table


TABLE = classified()


def admin_url_names() -> list[str]:
    """Every URL name in the ``admin`` namespace."""
    names = set()

    def walk(patterns, inside):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, inside or pattern.namespace == "admin")
            elif isinstance(pattern, URLPattern) and inside and pattern.name:
                names.add(pattern.name)

    walk(get_resolver().url_patterns, False)
    return sorted(names)


NAMES = admin_url_names()


@pytest.fixture(scope="module")
def admin_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module, rolled back at its end; each test runs in a savepoint."""
    from django.test import override_settings

    media = tmp_path_factory.mktemp("admin-matrix-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        with transaction.atomic():
            yield build_admin_world()
            transaction.set_rollback(True)


def _url(world, name: str) -> str:
    row = TABLE[name]
    kwargs = row.page.kwargs(world) if row.page.kwargs else None
    args = []  # simple-history's pattern is not named: positional arguments for all
    if row.page_name in ("change", "delete", "history", "simple_history"):
        args.append(world.objects[row.model].pk)
    if row.page_name == "simple_history":
        args.append(world.versions[row.model])
    url = reverse(f"admin:{name}", args=args or None, kwargs=kwargs)
    return f"{url}?{urlencode(row.page.query)}" if row.page.query else url


def _post_data(world, name: str) -> dict:
    """The strongest POST a refused visitor could send: a confirmed bulk action on a list
    (the personal-data removal on the models' list), a confirmed deletion elsewhere."""
    if name.endswith("_changelist"):
        model = name.removesuffix("_changelist")
        action = (
            "remove_personal_data" if model == "models_registry_dvkmodel" else "delete_selected"
        )
        return {
            "action": action,
            helpers.ACTION_CHECKBOX_NAME: [world.objects[model].pk],
            "post": "yes",
        }
    return {"post": "yes"}


def _ask(client, method, url, data=None):
    """One request in a savepoint that is rolled back, and the writes it attempted."""
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
        transaction.set_rollback(True)
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    return response, writes


def test_every_admin_url_is_classified():
    names = set(NAMES)

    assert sorted(names - set(TABLE)) == [], "admin URL names without a row in the table"
    assert sorted(set(TABLE) - names) == [], "rows for admin URL names that no longer exist"


def test_every_registered_model_has_pages_and_an_instance(admin_world):
    registered = {f"{m._meta.app_label}_{m._meta.model_name}" for m in admin.site._registry}

    assert sorted(registered ^ set(MODEL_PAGES)) == []
    assert sorted(registered - set(admin_world.objects)) == []


def test_admin_site_is_the_administrators():
    assert isinstance(admin.site, AdministratorsSite)


@pytest.mark.parametrize("name", NAMES)
def test_administrator(client, admin_world, name):
    page = TABLE[name].page
    client.force_login(admin_world.users[ADMIN])
    url = _url(admin_world, name)

    response, _writes = _ask(client, page.method, url)

    assert response.status_code == page.status, (name, url, response.status_code)


def test_administrator_every_app_list(client, admin_world):
    client.force_login(admin_world.users[ADMIN])
    labels = sorted({model._meta.app_label for model in admin.site._registry})

    answers = {
        label: client.get(reverse("admin:app_list", kwargs={"app_label": label})).status_code
        for label in labels
    }

    assert answers == dict.fromkeys(labels, 200)


POSTING = (ANONYMOUS, STAFF, STAFF_SECRETARIAT)


@pytest.fixture(scope="module")
def refused_clients(admin_world, django_db_blocker):
    """A signed-in client per refused visitor (signed in once: the session rows live in the
    module's transaction), and an anonymous one."""
    clients = {ANONYMOUS: Client()}
    with django_db_blocker.unblock():
        for visitor in REFUSED:
            if visitor != ANONYMOUS:
                clients[visitor] = Client()
                clients[visitor].force_login(admin_world.users[visitor])
    return clients


@pytest.mark.parametrize("name", NAMES)
def test_refused(refused_clients, admin_world, name):
    """Every visitor but the administrator: 404 (anonymous: sent to sign in), nothing
    written. GET for all; POST (a confirmed bulk action or deletion) from the visitors with
    staff status — the only ones Django's own check would have let in — and anonymous (the
    site's one refusal answers every other role the same way)."""
    url = _url(admin_world, name)
    data = _post_data(admin_world, name)
    # The admin's views name its own login URL, which sends on to the site's page.
    sign_in = (reverse("login"), reverse("admin:login"))
    answers, expected, writes = {}, {}, {}

    for visitor, client in refused_clients.items():
        methods = ("get", "post") if visitor in POSTING else ("get",)
        responses = []
        for method in methods:
            response, attempted = _ask(client, method, url, data if method == "post" else None)
            responses.append(response)
            writes.update({(visitor, method): attempted} if attempted else {})
        if visitor == ANONYMOUS:
            answers[visitor] = [
                "sign-in" if r.status_code == 302 and r.url.startswith(sign_in) else r.status_code
                for r in responses
            ]
            expected[visitor] = ["sign-in"] * len(methods)
        else:
            answers[visitor] = [r.status_code for r in responses]
            expected[visitor] = [404] * len(methods)

    assert answers == expected
    assert writes == {}


@pytest.mark.parametrize("name", ["index", "danvan_unit_changelist", "login"])
def test_anonymous_signs_in_on_the_sites_page_and_comes_back(client, admin_world, name):
    target = reverse("admin:index" if name == "login" else f"admin:{name}")

    page = client.get(reverse(f"admin:{name}"), follow=True)

    assert (page.status_code, page.request["PATH_INFO"]) == (200, reverse("login"))
    assert page.context["next"] == target
    signed_in = client.post(
        page.request["PATH_INFO"],
        {
            "username": admin_world.users[ADMIN].username,
            "password": "matkhau-an-toan-2026",
            "next": target,
        },
    )
    assert (signed_in.status_code, signed_in.url) == (302, target)


FORM_PAGES = sorted(
    f"{model}_{page_name}"
    for model, pages in MODEL_PAGES.items()
    for page_name in ("add", "change")
    if pages[page_name] == OK
)


@pytest.mark.parametrize("name", FORM_PAGES)
def test_administrator_empty_form_is_refused_at_the_fields(client, admin_world, name):
    """A form posted empty (inlines' management forms missing too) answers with its errors
    (nothing written) or, on a view-only page, 403 — never a 500. A page whose every field
    is read-only (sign-in records, a started round's entry) has nothing to refuse: saved."""
    client.force_login(admin_world.users[ADMIN])

    response, writes = _ask(client, "post", _url(admin_world, name), {})

    assert response.status_code in (200, 302, 403), (name, response.status_code)
    if response.status_code != 302:
        assert writes == [], name


# --- Actions of the administrator: never a 500 ----------------------------------------------

# The project's models and auth's (third-party actions such as celery-beat's "run now"
# reach a broker and are that package's to test).
PROJECT_APPS = ("danvan", "models_registry", "evaluation", "awards", "reports", "auth")
PROJECT_MODELS = sorted(
    model for model in MODEL_PAGES if model.startswith(tuple(f"{app}_" for app in PROJECT_APPS))
)


@pytest.mark.parametrize("model", PROJECT_MODELS)
def test_administrator_actions_answer(client, admin_world, model):
    """The first step of every action the administrator is offered on a list (a
    confirmation page, a file, or back to the list with a message) on the world's
    instance: never an error."""
    client.force_login(admin_world.users[ADMIN])
    url = reverse(f"admin:{model}_changelist")
    form = client.get(url).context["action_form"]
    offered = [choice for choice, _label in form.fields["action"].choices if choice] if form else []

    answers = {
        action: _ask(
            client,
            "post",
            url,
            {"action": action, helpers.ACTION_CHECKBOX_NAME: [admin_world.objects[model].pk]},
        )[0].status_code
        for action in offered
    }

    assert {action: status in (200, 302) for action, status in answers.items()} == dict.fromkeys(
        offered, True
    ), answers


# --- Rules asked without an object (the admin's model-level checks, menus) ------------------


def test_every_rule_answers_without_an_object(admin_world):
    """``has_perm(perm)`` with no object (obj None) is a question the admin and the menus
    ask; an object rule answers it (False unless the role alone grants it), never raises."""
    users = [AnonymousUser(), *admin_world.users.values()]
    failures = []

    for name in sorted(rules.permissions.permissions):
        for user in users:
            try:
                answer = rules.permissions.permissions.test_rule(name, user, None)
            except Exception as error:  # noqa: BLE001 -- every failure listed at once
                failures.append((name, getattr(user, "username", "anonymous"), repr(error)))
                continue
            assert isinstance(answer, bool), name

    assert failures == []
