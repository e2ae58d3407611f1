"""What the soak's people work on (``bench/soak.py``), found — and where needed added — in
the database before the run, and the facts counted after it.

Runs in the soak's process after ``django.setup()``. With the ``seed_scale`` data
(``--users scale``) each unit officer gets an account of their own in a commune of their
own (``soak.xa01`` …, the password and role of ``scale.xa``), each commune a later
registration deadline in the current campaign (as ``scale.xa``'s has: the seed's campaign
closed registration three days ago), so that officers register in parallel as communes
do; each reviewer person an account of the committee (``scale.bcd01`` …) and its
unfinished sheets of the open round. The secretariat and the leaders share their one
account each (several sessions).
"""

import datetime

from bench.loadpages import PASSWORDS, USERS

ID = 987654321  # a placeholder id: reverse() it, then replace it with "{}"


def paths(round_id, tier_id, campaign_id, final_id=None) -> dict:
    """Every path the people open, by name; "{}" where an id goes."""
    from django.urls import reverse

    def each(name):
        return reverse(name, args=[ID]).replace(str(ID), "{}")

    found = {
        "login": reverse("login"),
        "home": reverse("home"),
        "floor": "/__floor__/",
        "notifications": reverse("notification_list"),
        "showcase": reverse("showcase:library"),
        "showcase_entry": each("showcase:entry"),
        "dashboard": reverse("reports:dashboard"),
        "awards": reverse("awards:register"),
        "file": each("generated_file"),
        "file_download": each("generated_file_download"),
        "my_models": reverse("models_registry:my_models"),
        "model_create": reverse("models_registry:model_create"),
        "intake": reverse("models_registry:intake"),
        "queue": reverse("evaluation:queue"),
        "sheet": each("evaluation:sheet"),
        "my_results": reverse("evaluation:my_results"),
    }
    for name in ("model_detail", "model_update", "model_autosave", "model_submit",
                 "model_accept", "attachment_upload"):  # fmt: skip
        found[name.replace("_detail", "")] = each(f"models_registry:{name}")
    if round_id is not None:
        for key, name in (("round_detail", "round_detail"), ("results", "round_results"),
                          ("assignments", "round_assignments")):  # fmt: skip
            found[key] = reverse(f"evaluation:{name}", args=[round_id])
        if tier_id is not None:
            found["results_tier"] = f"{found['results']}?tier={tier_id}"
    if final_id is not None:
        found["results_final"] = reverse("evaluation:round_results", args=[final_id])
    if campaign_id is not None:
        found["coverage"] = reverse("models_registry:coverage", args=[campaign_id])
    return found


def prepare(users: str, *, roles: list[str]) -> dict:
    """The plan's data: password, paths, fields, and per person of ``roles`` (name, role,
    username, sheets); ``data``: the database's size."""
    from django.db.models import Count

    from danvan.models import User
    from evaluation.enums import RoundStatus
    from evaluation.models import Tier
    from evaluation.selectors import rounds_visible_to
    from models_registry import selectors

    accounts = USERS[users]
    known = User.objects.in_bulk(list(accounts.values()), field_name="username")
    missing = sorted(set(accounts.values()) - set(known))
    if missing:
        raise SystemExit(f"error: no such user(s) in this database: {', '.join(missing)}")
    officer = known[accounts["officer"]]
    campaign = selectors.campaign_current_for(user=officer)
    if campaign is None:
        raise SystemExit(f"error: no campaign is open for {officer.username}'s unit")
    secretariat = known[accounts["secretariat"]]
    round_ = (
        rounds_visible_to(user=secretariat)
        .filter(status=RoundStatus.OPEN)
        .annotate(n=Count("entries"))
        .order_by("-n", "-pk")
        .first()
    )
    final = (
        rounds_visible_to(user=known[accounts["leader"]])
        .filter(status=RoundStatus.FINALISED)
        .order_by("-pk")
        .first()
    )
    tier = None
    if round_ is not None:
        tier = Tier.objects.filter(rubric_id=round_.rubric_collective_id).order_by("-min_score")
        tier = tier[1:2].first() or tier.first()
    officers = [officer.username]
    if users == "scale":
        officers = _officers(officer, campaign, secretariat, roles.count("officer"))
    reviewers = _reviewer_accounts(users, known, roles.count("reviewer"))
    sheets = _sheets(reviewers)
    planned, counters = [], {}
    for role in roles:
        n = counters[role] = counters.get(role, -1) + 1
        pool = {"officer": officers, "reviewer": reviewers}.get(role, [accounts[role]])
        username = pool[n % len(pool)]
        share, sharers = n // len(pool), -(-roles.count(role) // len(pool))
        mine = sheets.get(username, [])[share::sharers] if role == "reviewer" else []
        planned.append((f"{role}-{n + 1:02d}", role, username, mine))
    fields = list(selectors.fields_for_registration().values_list("pk", flat=True))
    return {
        "password": PASSWORDS[users],
        "paths": paths(
            round_.pk if round_ else None,
            tier.pk if tier else None,
            campaign.pk,
            final.pk if final else None,
        ),
        "fields": fields,
        "people": planned,
        "data": _sizes() | {"round": round_.pk if round_ else None, "campaign": campaign.pk},
    }


def _officers(officer, campaign, granted_by, count: int) -> list[str]:
    """``count`` officers of distinct communes (``scale.xa`` first), each commune with a
    registration deadline two weeks from today in ``campaign``."""
    from danvan.dates import today
    from danvan.enums import UnitKind
    from danvan.models import Unit, User
    from models_registry.models import DeadlineExtension

    communes = list(
        Unit.objects.filter(parent_id=officer.unit.parent_id, kind=UnitKind.COMMUNE)
        .exclude(pk=officer.unit_id)
        .order_by("pk")[: max(0, count - 1)]
    )
    groups = list(officer.groups.all())
    names = [officer.username]
    for i, commune in enumerate(communes, 1):
        user, created = User.objects.get_or_create(
            username=f"soak.xa{i:02d}",
            defaults={"password": officer.password, "unit": commune, "full_name": f"Cán bộ xã {i}",
                      "email": f"soak.xa{i:02d}@example.com"},
        )  # fmt: skip
        if created:
            user.groups.set(groups)
        DeadlineExtension.objects.get_or_create(
            campaign=campaign,
            unit=commune,
            defaults={"registration_closes": today() + datetime.timedelta(days=14),
                      "reason": "Thử tải (bench/soak.py)", "granted_by": granted_by},
        )  # fmt: skip
        names.append(user.username)
    return names


def _reviewer_accounts(users: str, known: dict, count: int) -> list[str]:
    from danvan.models import User

    if users != "scale":
        return [USERS[users]["reviewer"]]
    names = [f"scale.bcd{n:02d}" for n in range(1, max(1, count) + 1)]
    found = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    return [n for n in names if n in found] or [USERS[users]["reviewer"]]


def _sheets(usernames: list[str]) -> dict:
    """Each reviewer's unsubmitted sheets of open rounds (active assignments), in order."""
    from evaluation.enums import RoundStatus, SheetStatus
    from evaluation.models import Assignment, ScoreSheet

    rows = (
        ScoreSheet.objects.filter(
            assignment__in=Assignment.objects.active().filter(
                reviewer__username__in=usernames, round__status=RoundStatus.OPEN
            )
        )
        .exclude(status=SheetStatus.SUBMITTED)
        .order_by("pk")
        .values_list("assignment__reviewer__username", "pk")
    )
    found: dict = {}
    for username, pk in rows:
        found.setdefault(username, []).append(pk)
    return found


def _sizes() -> dict:
    from bench.load import data_sizes

    return data_sizes()


def facts(*, since: datetime.datetime) -> dict:
    """What the run left in the database: models registered by the soak by status, their
    files, sheets submitted, generated files by status, notifications and their e-mails."""
    from django.db.models import Count

    from danvan.models import GeneratedFile, Notification
    from evaluation.enums import SheetStatus
    from evaluation.models import ScoreSheet
    from models_registry.models import Attachment, DvkModel

    soak_models = DvkModel.objects.filter(name__startswith="Mô hình dân vận khéo thử tải")
    return {
        "soak_models_by_status": dict(
            soak_models.values_list("status").annotate(n=Count("pk")).order_by()
        ),
        "attachments": Attachment.objects.filter(dvk_model__in=soak_models).count(),
        "sheets_submitted": ScoreSheet.objects.filter(status=SheetStatus.SUBMITTED).count(),
        "generated_files_by_status": dict(
            GeneratedFile.objects.filter(created_at__gte=since)
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        ),
        "notifications": Notification.objects.filter(created_at__gte=since).count(),
        "notifications_emailed": Notification.objects.filter(
            created_at__gte=since, emailed_at__isnull=False
        ).count(),
    }
