"""The pages the load benchmark measures (``bench/load.py``), found in the database through
the ORM, and their query counts measured in process with Django's test client.

Runs inside the bench process after ``django.setup()`` with ``bench.settings``.
"""

from dataclasses import dataclass, field

from bench.loadclient import Request, form_posting_to, forms_of

# Who does what: the accounts of the demo data (``seed_demo``) and of ``seed_scale``.
USERS = {
    "demo": {
        "secretariat": "thuongtruc",
        "leader": "lanhdao",
        "reviewer": "bcd.hoind",
        "officer": "xa.canloc",
    },
    "scale": {
        "secretariat": "scale.thuongtruc",
        "leader": "scale.lanhdao",
        "reviewer": "scale.bcd01",
        "officer": "scale.xa",
    },
}
PASSWORDS = {"demo": "DanVan@2026", "scale": "Scale@2026"}
FLOOR = "floor"
HTMX = {"HX-Request": "true"}


@dataclass
class Page:
    key: str
    label: str
    role: str
    requests: list = field(default_factory=list)  # thread i sends requests[i % len]
    problem: str = ""  # why it could not be prepared: reported as an error, not measured
    queries: int | None = None
    levels: dict = field(default_factory=dict)  # concurrency -> loadclient.run_level's summary


def targets(users: dict) -> dict:
    """The objects the pages show: the round with the most entries (the results,
    assignments, detail pages and its campaign's annual report), its most frequent tier,
    the reviewer's editable sheets in open rounds (up to 8: one per thread), the officer's
    model (accepted first), the latest campaign (coverage)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from evaluation.enums import RoundStatus, SheetStatus
    from evaluation.models import Assignment, Result, ScoreSheet, Tier
    from evaluation.selectors import rounds_visible_to
    from models_registry.enums import ModelStatus
    from models_registry.models import Campaign, DvkModel

    found: dict = {}
    accounts = get_user_model().objects.in_bulk(list(users.values()), field_name="username")
    missing = [name for name in users.values() if name not in accounts]
    if missing:
        raise SystemExit(f"error: no such user(s) in this database: {', '.join(missing)}")
    # The secretariat's biggest round (at national scale each province runs its own).
    visible = rounds_visible_to(user=accounts[users["secretariat"]])
    round_ = visible.annotate(n=Count("entries")).order_by("-n", "-pk").first()
    if round_ is not None:
        found["round"] = round_
        tiers = Tier.objects.filter(rubric_id=round_.rubric_collective_id)
        common = (
            Result.objects.filter(round=round_)
            .values("tier_name")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .first()
        )
        tier = tiers.filter(name=common["tier_name"]).first() if common else None
        found["tier"] = tier or tiers.order_by("-min_score")[1:2].first() or tiers.first()
    reviewer = accounts[users["reviewer"]]
    found["sheets"] = list(
        ScoreSheet.objects.filter(
            assignment__in=Assignment.objects.active().filter(
                reviewer=reviewer, round__status=RoundStatus.OPEN
            )
        )
        .exclude(status=SheetStatus.SUBMITTED)
        .order_by("pk")
        .values_list("pk", flat=True)[:8]
    )
    officer = accounts[users["officer"]]
    mine = DvkModel.objects.filter(unit_id=officer.unit_id)
    found["model"] = (
        mine.filter(status=ModelStatus.ACCEPTED).order_by("-pk").first()
        or mine.order_by("-pk").first()
    )
    found["campaign"] = Campaign.objects.order_by("-year", "-pk").first()
    return found


def pages(found: dict) -> list[Page]:
    """Every page of the issue's table (objects from ``targets``), plus the floor (first)
    and the floor again (last: it shows how much the machine drifted during the run)."""
    from django.urls import reverse

    round_, tier, campaign = found.get("round"), found.get("tier"), found["campaign"]

    def get(path: str) -> list:
        return [Request("GET", path)]

    def xlsx(path: str) -> Request:
        # The file itself, or for a large round the redirect to its export's progress page.
        made = reverse("generated_file", args=[0]).replace("/0/", r"/\d+/")
        return Request("GET", path, accept=((200, ""), (302, made + "$")))

    def need(what, label: str, build) -> list | str:
        return build() if what else f"no {label} in this database"

    r = round_.pk if round_ else 0
    results = reverse("evaluation:round_results", args=[r])
    listed = [
        (FLOOR, "floor (50 rows, one join)", "secretariat", get("/__floor__/")),
        ("results", "round results", "secretariat", need(round_, "round", lambda: get(results))),
        (
            "assignments",
            "round assignments",
            "secretariat",
            need(round_, "round", lambda: get(reverse("evaluation:round_assignments", args=[r]))),
        ),
        (
            "results_xlsx",
            "results XLSX",
            "secretariat",
            need(round_, "round", lambda: [xlsx(results + "?format=xlsx")]),
        ),
        (
            "results_tier",
            "results of one tier",
            "secretariat",
            need(tier, "tier", lambda: get(f"{results}?tier={tier.pk}")),
        ),
        ("intake", "intake list", "secretariat", get(reverse("models_registry:intake"))),
        ("officer_home", "unit officer's home", "officer", get(reverse("home"))),
        (
            "round_detail",
            "round detail",
            "secretariat",
            need(round_, "round", lambda: get(reverse("evaluation:round_detail", args=[r]))),
        ),
        ("leader_home", "leader's home", "leader", get(reverse("home"))),
        ("secretariat_home", "secretariat's home", "secretariat", get(reverse("home"))),
        (
            "coverage",
            "coverage",
            "secretariat",
            need(
                campaign,
                "campaign",
                lambda: get(reverse("models_registry:coverage", args=[campaign.pk])),
            ),
        ),
        (
            "sheet",
            "score sheet GET",
            "reviewer",
            need(
                found["sheets"],
                "editable sheet",
                lambda: [
                    Request("GET", reverse("evaluation:sheet", args=[pk])) for pk in found["sheets"]
                ],
            ),
        ),
        (
            "sheet_save",
            "saving one criterion",
            "reviewer",
            need(found["sheets"], "editable sheet", list),
        ),
        (
            "model",
            "model page",
            "officer",
            need(
                found["model"],
                "model of the officer's unit",
                lambda: get(reverse("models_registry:model_detail", args=[found["model"].pk])),
            ),
        ),
        ("dashboard", "dashboard", "leader", get(reverse("reports:dashboard"))),
        ("showcase", "showcase", "officer", get(reverse("showcase:library"))),
        ("awards_register", "awards register", "secretariat", get(reverse("awards:register"))),
        ("report_request", "report request", "secretariat", need(round_, "round", list)),
        (FLOOR + "_again", "floor, again at the end", "secretariat", get("/__floor__/")),
    ]
    built = []
    for key, label, role, requests in listed:
        page = Page(key, label, role)
        if isinstance(requests, str):
            page.problem = requests
        else:
            page.requests = requests
        built.append(page)
    return built


def prepare(pages_: list[Page], found: dict, users: dict) -> None:
    """Read the forms the two POST pages send (as a browser would: from the page that shows
    them), then count each page's queries once, warm, with the test client logged in as
    its user. A page whose form is missing gets a ``problem``."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    accounts = get_user_model().objects.in_bulk(list(users.values()), field_name="username")
    clients = {}
    for role, username in users.items():
        clients[role] = Client()
        clients[role].force_login(accounts[username])
    by_key = {page.key: page for page in pages_}
    save, report = by_key.get("sheet_save"), by_key.get("report_request")  # --pages
    if save is not None and not save.problem:
        _sheet_saves(save, clients["reviewer"], found["sheets"])
    if report is not None and not report.problem:
        _report_request(report, clients["secretariat"], found["round"].campaign_id)
    for page in pages_:
        if not page.problem:
            page.queries = count_queries(clients[page.role], page.requests[0])


def _sheet_saves(page: Page, client, sheet_ids: list) -> None:
    """The htmx POST of each sheet's first criterion form: its fields, full marks, and the
    headers htmx adds (HX-Request, HX-Target, HX-Trigger, HX-Current-URL)."""
    from django.urls import reverse

    for pk in sheet_ids:
        url = reverse("evaluation:sheet", args=[pk])
        html = client.get(url).content.decode()
        prefix = reverse("evaluation:sheet_score", args=[pk, 0]).rsplit("0/", 1)[0]
        forms = [f for f in forms_of(html) if f.attrs.get("hx-post", "").startswith(prefix)]
        if not forms:
            page.problem = f"no criterion form on {url} (is the round open for scoring?)"
            return
        form = forms[0]
        points = form.inputs.get("points", {}).get("data-max", "1")
        criterion_id = form.attrs.get("id", "")
        page.requests.append(
            Request(
                "POST",
                form.attrs["hx-post"],
                data=[
                    (n, points if n == "points" else v)
                    for n, v in form.fields
                    if n != "csrfmiddlewaretoken"
                ],
                headers={
                    **HTMX,
                    "HX-Current-URL": url,
                    "HX-Trigger": criterion_id,
                    "HX-Target": criterion_id.replace("criterion-", "c") + "-status",
                },
            )
        )


def _report_request(page: Page, client, campaign_id: int) -> None:
    """The preview page's "Request the report" form, posted as the browser does (its
    hidden options and the button); a right answer is the redirect to the run's page."""
    from django.urls import reverse

    preview = reverse("reports:annual_preview", args=[campaign_id])
    action = reverse("reports:annual_request", args=[campaign_id])
    form = form_posting_to(client.get(preview).content.decode(), action)
    if form is None:
        page.problem = f"no request form on {preview} (issuer profile? permission?)"
        return
    data = [(n, v) for n, v in form.data() if n != "csrfmiddlewaretoken"]
    run = reverse("reports:report_detail", args=[0]).replace("/0/", r"/\d+/")
    page.requests.append(Request("POST", action, data=data, accept=((302, run),)))


def count_queries(client, request: Request) -> int:
    """The queries of one request, the second time it is sent (the first warms caches),
    without transaction control."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in request.headers.items()}

    def send():
        if request.method == "POST":
            return client.post(request.path, dict(_multi(request.data)), **headers)
        return client.get(request.path, **headers)

    send()
    with CaptureQueriesContext(connection) as captured:
        send()
    # Counted as tests/test_query_budgets.py counts: transaction control left out (every
    # request is one transaction, ATOMIC_REQUESTS).
    control = ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK")
    return sum(1 for query in captured if not query["sql"].lstrip().upper().startswith(control))


def _multi(pairs):
    """Form pairs as the test client's dict (a repeated name becomes a list)."""
    merged: dict = {}
    for name, value in pairs or []:
        merged.setdefault(name, []).append(value)
    return {k: v if len(v) > 1 else v[0] for k, v in merged.items()}.items()
