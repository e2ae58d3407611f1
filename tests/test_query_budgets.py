"""Every main page, for each role that opens it, reads the database at most
``BUDGET`` times (issue 14): the fixed cost of a request (session, the user with their
unit and facts, their roles and permissions) plus the page's own reads.

The world is the demo (``seed_demo``: a province's tree, its accounts, two campaigns with
models, an open round with score sheets, a finalised one with results, awards, the
report's data, the library) and one report run, loaded once for the module inside a
transaction that is rolled back at the end.

Counted: every statement Django sends, except transaction control (``SAVEPOINT``,
``RELEASE``, ``BEGIN``, ``COMMIT``): ``ATOMIC_REQUESTS`` wraps each request in one, which
costs a savepoint in a test and no statement of Django's on PostgreSQL. Each page is
requested once before it is measured, as a running server would have served it before
(per-process caches such as content types are warm).
"""

from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.models import User
from evaluation import selectors as evaluation_selectors
from evaluation.enums import RoundStatus, SheetStatus
from evaluation.models import Round, ScoreSheet
from models_registry.models import Campaign, DvkModel
from tests.reports.views_support import make_run

BUDGET = 12
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK")
# Pages whose own reads still exceed the budget (the fixed cost is down to three reads;
# see the notes): the mark comes off as each is brought within it.
OVER_BUDGET = pytest.mark.xfail(strict=False, reason="issue 14: the page's own reads")

SECRETARIAT, LEADER, OFFICER, REVIEWER, ADMIN = (
    "thuongtruc",
    "lanhdao",
    "phuong.thanhsen",
    "reviewer",
    "admin",
)


@dataclass
class World:
    campaign: Campaign
    dvk_model: DvkModel
    own_model: DvkModel
    open_round: Round
    finalised_round: Round
    sheet: ScoreSheet
    criterion_id: int
    reviewer: str
    report_id: int


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0)
        secretariat = User.objects.get(username=SECRETARIAT)
        officer = User.objects.get(username=OFFICER)
        campaign = Campaign.objects.filter(organiser__code="42").order_by("-year").first()
        sheet = (
            ScoreSheet.objects.filter(
                status__in=[SheetStatus.PENDING, SheetStatus.IN_PROGRESS],
                assignment__round__status=RoundStatus.OPEN,
            )
            .select_related("assignment__reviewer", "assignment__round")
            .order_by("pk")
            .first()
        )
        reviewer = sheet.assignment.reviewer
        detail = evaluation_selectors.sheet_detail(user=reviewer, sheet_id=sheet.pk)
        yield World(
            campaign=campaign,
            dvk_model=DvkModel.objects.filter(campaign=campaign).order_by("pk").first(),
            own_model=DvkModel.objects.filter(unit=officer.unit).order_by("pk").first(),
            open_round=sheet.assignment.round,
            finalised_round=Round.objects.filter(status=RoundStatus.FINALISED).first(),
            sheet=sheet,
            criterion_id=detail["criteria"][0].pk,
            reviewer=reviewer.username,
            report_id=make_run(campaign, secretariat).pk,
        )
        transaction.set_rollback(True)


def _url(name, *args):
    return lambda w: reverse(name, args=[arg(w) for arg in args])


# (who, page, url from the world, marks)
PAGES = [
    (SECRETARIAT, "home", _url("home"), ()),
    (SECRETARIAT, "intake", _url("models_registry:intake"), ()),
    (SECRETARIAT, "coverage", _url("models_registry:coverage", lambda w: w.campaign.pk), ()),
    (
        SECRETARIAT,
        "campaign",
        _url("models_registry:campaign_detail", lambda w: w.campaign.pk),
        (),
    ),
    (
        SECRETARIAT,
        "model",
        _url("models_registry:model_detail", lambda w: w.dvk_model.pk),
        (),
    ),
    (SECRETARIAT, "round", _url("evaluation:round_detail", lambda w: w.open_round.pk), ()),
    (
        SECRETARIAT,
        "assignments",
        _url("evaluation:round_assignments", lambda w: w.open_round.pk),
        (),
    ),
    (
        SECRETARIAT,
        "results",
        _url("evaluation:round_results", lambda w: w.finalised_round.pk),
        (),
    ),
    (SECRETARIAT, "awards register", _url("awards:register"), ()),
    (SECRETARIAT, "decisions", _url("awards:decision_list"), ()),
    (SECRETARIAT, "dashboard", _url("reports:dashboard"), ()),
    (SECRETARIAT, "showcase", _url("showcase:library"), ()),
    (SECRETARIAT, "reports", _url("reports:home"), ()),
    (SECRETARIAT, "report", _url("reports:report_detail", lambda w: w.report_id), ()),
    (SECRETARIAT, "notifications", _url("notification_list"), ()),
    (SECRETARIAT, "activity log", _url("activity_list"), ()),
    (LEADER, "home", _url("home"), ()),
    (LEADER, "dashboard", _url("reports:dashboard"), ()),
    (LEADER, "awards register", _url("awards:register"), ()),
    (LEADER, "results", _url("evaluation:round_results", lambda w: w.finalised_round.pk), ()),
    (OFFICER, "home", _url("home"), ()),
    (OFFICER, "our models", _url("models_registry:my_models"), ()),
    (
        OFFICER,
        "model",
        _url("models_registry:model_detail", lambda w: w.own_model.pk),
        (),
    ),
    (OFFICER, "my results", _url("evaluation:my_results"), ()),
    (OFFICER, "showcase", _url("showcase:library"), ()),
    (OFFICER, "notifications", _url("notification_list"), ()),
    (REVIEWER, "home", _url("home"), ()),
    (REVIEWER, "my queue", _url("evaluation:queue"), ()),
    (REVIEWER, "score sheet", _url("evaluation:sheet", lambda w: w.sheet.pk), ()),
    (ADMIN, "home", _url("home"), ()),
    (ADMIN, "intake", _url("models_registry:intake"), ()),
]


def _client(world, who) -> Client:
    client = Client()
    username = world.reviewer if who == REVIEWER else who
    client.force_login(User.objects.get(username=username))
    return client


def _reads(context) -> list[str]:
    return [
        q["sql"]
        for q in context.captured_queries
        if not q["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)
    ]


def _over_budget(page: str, reads: list[str]) -> str:
    listing = "\n".join(f"  {i}. {sql[:300]}" for i, sql in enumerate(reads, 1))
    return f"{page}: {len(reads)} queries, budget {BUDGET}:\n{listing}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "page", "url"),
    [
        pytest.param(who, page, url, marks=marks, id=f"{who}-{page}")
        for who, page, url, marks in PAGES
    ],
)
def test_page_reads_the_database_at_most_budget_times(world, who, page, url):
    client = _client(world, who)
    address = url(world)
    client.get(address)

    with CaptureQueriesContext(connection) as context:
        response = client.get(address)

    assert response.status_code == 200, f"{who} {page}: {response.status_code}"
    reads = _reads(context)
    assert len(reads) <= BUDGET, _over_budget(f"{who} {page} ({address})", reads)


@pytest.mark.django_db
def test_saving_one_criterion_reads_the_database_at_most_budget_times(world):
    client = _client(world, REVIEWER)
    address = reverse("evaluation:sheet_score", args=[world.sheet.pk, world.criterion_id])
    client.get(reverse("evaluation:sheet", args=[world.sheet.pk]))

    with CaptureQueriesContext(connection) as context:
        response = client.post(address, {"points": "1", "comment": ""}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    reads = _reads(context)
    assert len(reads) <= BUDGET, _over_budget(f"criterion save ({address})", reads)


@pytest.mark.django_db
def test_fixed_cost_of_a_request_is_three_reads(world):
    """Session, the user with their unit and registered facts, their roles and
    permissions: nothing else before the page's own reads (the notifications list reads
    its page, its count and the unread count)."""
    client = _client(world, SECRETARIAT)
    address = reverse("notification_list")
    client.get(address)

    with CaptureQueriesContext(connection) as context:
        client.get(address)

    reads = _reads(context)
    assert len(reads) == 6, _over_budget("notifications", reads)
    assert "django_session" in reads[0]
    assert "danvan_user" in reads[1] and "danvan_unit" in reads[1]
    assert "evaluation_committeemember" in reads[1]
