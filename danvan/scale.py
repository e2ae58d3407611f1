"""Benchmark data at province or national scale (``manage.py seed_scale``).

Each app loads its own part (``danvan.extensions.register_scale``): this module the plan,
the organisation tree and the accounts; ``models_registry.scale`` the campaigns and
models; ``evaluation.scale`` the committees, rounds and sheets; ``awards.scale`` and
``reports.scale`` the decisions and the library. Every loader

* writes with ``bulk_create`` (no ``save()``, so no signals and no ``simple_history``
  rows: the historical tables stay empty), computing derived fields such as
  ``search_text`` with the models' own helper (``fold_vietnamese``);
* draws everything from ``rng(plan, name)`` — the same plan on an empty database gives
  the same rows (names, statuses, scores; ids too, as sequences start at 1). Only the
  ``auto_now`` / ``auto_now_add`` timestamps (and dates relative to today) differ.

The shared ``made`` dict carries ids from one loader to the next: see ``seed`` below for
what this module puts in it.
"""

from __future__ import annotations

import datetime
import json
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, models
from django.utils import timezone

from .enums import Role, UnitKind
from .models import Unit, User
from .services import roles_sync_groups
from .utils import fold_vietnamese

DEFAULT_PASSWORD = "Scale@2026"  # nosec B105 # accounts of the synthetic scale data only
BATCH = 2000


@dataclass(frozen=True)
class ScalePlan:
    size: str
    provinces: int
    years: int  # campaigns: the current year and the ones before
    models_per_campaign: int  # in each campaign, over all provinces
    sheets_per_model: int
    reviewers: int  # per province
    communes: int  # per province
    villages: int  # per commune
    seed: int = 2026
    password: str = DEFAULT_PASSWORD

    @property
    def national(self) -> bool:
        return self.provinces > 1


SIZES = {
    "tiny": ScalePlan("tiny", 1, 2, 12, 3, 4, 3, 2),
    # ~5,000 units: 33 provincial bodies + 100 communes × (8 bodies + 42 villages).
    "province": ScalePlan("province", 1, 5, 3000, 3, 30, 100, 42),
    "national": ScalePlan("national", 34, 1, 100_000, 3, 30, 100, 42),
}


def scale_plan(size: str, *, password: str | None = None, seed: int | None = None) -> ScalePlan:
    plan = SIZES[size]
    changes = {}
    if password:
        changes["password"] = password
    if seed is not None:
        changes["seed"] = seed
    return ScalePlan(**{**plan.__dict__, **changes})


def rng(plan: ScalePlan, name: str) -> random.Random:
    """A generator of its own per loader (and purpose), so that one loader's draws never
    shift another's."""
    return random.Random(f"{plan.seed}:{plan.size}:{name}")  # nosec B311 # reproducible synthetic data, no secret


def username(province_index: int, name: str) -> str:
    """``scale.<name>`` in the first province, ``scale.p02.<name>`` in the others."""
    return f"scale.{name}" if province_index == 0 else f"scale.p{province_index + 1:02d}.{name}"


def bulk(model, rows, batch_size: int = BATCH) -> list:
    return model.objects.bulk_create(rows, batch_size=batch_size)


def insert(model, rows: list[dict], *, returning: bool = False) -> list[int]:
    """Insert ``rows`` (dicts of attnames, all with the same keys) into ``model``'s table
    without building model instances — ``bulk_create`` spends most of its time there, and
    the largest tables have hundreds of thousands of rows. A column not given gets what
    Django would give it: ``auto_now``/``auto_now_add`` now, the field's default, or NULL.
    Returns the new ids (in order) when ``returning``. No signals, no history rows."""
    if not rows:
        return []
    ops = connection.ops
    now = timezone.now()
    given = list(rows[0])
    fields = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
    constants = {}
    for name, field in fields.items():
        if name in given:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            # The default, "" for a text field, None for a nullable one.
            value = field.get_default()
            if value is None and not field.null:
                raise ValueError(f"{model.__name__}.{name} needs a value")
        constants[name] = _prepare(field, ops)(value)
    preparers = [_prepare(fields[name], ops) for name in given]
    columns = [*given, *constants]
    tail = tuple(constants.values())
    quote = ops.quote_name
    mark = "%s" if connection.vendor == "postgresql" else "?"
    row_sql = "(" + ", ".join([mark] * len(columns)) + ")"
    head = (
        f"INSERT INTO {quote(model._meta.db_table)} "  # nosec B608 # identifiers from the models' _meta, every value a bound parameter (docs/security.md)
        f"({', '.join(quote(fields[c].column) for c in columns)}) VALUES "
    )
    per_batch = max(1, min(BATCH, 30000 // len(columns)))
    ids: list[int] = []
    # The DB-API cursor itself: with DEBUG on, Django's wrapper would format every
    # statement of thousands of rows into its query log.
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        for start in range(0, len(rows), per_batch):
            batch = rows[start : start + per_batch]
            params = []
            for row in batch:
                params.extend(prep(row[name]) for prep, name in zip(preparers, given, strict=True))
                params.extend(tail)
            sql = head + ", ".join([row_sql] * len(batch))
            if returning:
                sql += f" RETURNING {quote(model._meta.pk.column)}"
            cursor.execute(sql, params)
            if returning:
                ids.extend(pk for (pk,) in cursor.fetchall())
    return ids


def _prepare(field, ops):
    """How a value reaches the DB-API cursor (what ``get_db_prep_save`` does, per type)."""
    if isinstance(field, models.JSONField):
        return lambda v: None if v is None else json.dumps(v, cls=field.encoder)
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda v: None if v is None else str(v)
    return lambda v: v


# --- Names ----------------------------------------------------------------------------------

PLACE_WORDS = [
    "An", "Bình", "Cẩm", "Đức", "Hòa", "Hưng", "Kỳ", "Lộc", "Mỹ", "Nam", "Phú", "Quang",
    "Sơn", "Tân", "Thạch", "Thanh", "Thịnh", "Trung", "Vĩnh", "Xuân", "Yên", "Hồng",
    "Long", "Phúc", "Thuận", "Hải", "Đông", "Tây", "Bắc", "Hà", "Lâm", "Tiến",
]  # fmt: skip
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
          "Ngô", "Dương", "Lý"]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Đình", "Minh", "Thu", "Quốc", "Hồng", "Ngọc", "Xuân", "Đức"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hằng", "Hùng", "Lan", "Linh", "Mai",
         "Nam", "Nga", "Phong", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vân", "Yến"]  # fmt: skip

PARTY_BODIES = [
    ("BTGDV", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "Ban TG&DV Tỉnh ủy", True),
    ("BTC", "Ban Tổ chức Tỉnh ủy", "Ban Tổ chức TU", False),
    ("UBKT", "Ủy ban Kiểm tra Tỉnh ủy", "UBKT Tỉnh ủy", True),
    ("BNC", "Ban Nội chính Tỉnh ủy", "Ban Nội chính TU", False),
    ("VPTU", "Văn phòng Tỉnh ủy", "VP Tỉnh ủy", False),
]
DEPARTMENTS = [
    "Văn phòng Ủy ban nhân dân tỉnh", "Sở Nội vụ", "Sở Tài chính",
    "Sở Nông nghiệp và Môi trường", "Sở Xây dựng", "Sở Công Thương",
    "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Y tế",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Tư pháp", "Thanh tra tỉnh",
    "Ban Quản lý Khu kinh tế tỉnh", "Báo và Phát thanh, Truyền hình tỉnh",
    "Trường Đại học tỉnh", "Thuế tỉnh", "Bảo hiểm xã hội tỉnh",
]  # fmt: skip
MASS_ORGANISATIONS = [
    ("HLHPN", "Hội Liên hiệp Phụ nữ {place}"),
    ("HND", "Hội Nông dân {place}"),
    ("DTN", "Đoàn Thanh niên {place}"),
    ("HCCB", "Hội Cựu chiến binh {place}"),
    ("LDLD", "Công đoàn {place}"),
]
ARMED_FORCES = ["Bộ Chỉ huy Quân sự tỉnh", "Công an tỉnh", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"]


def place_names(generator: random.Random, count: int) -> list[str]:
    """``count`` distinct two-word place names ("Thạch Xuân")."""
    pairs = [f"{a} {b}" for a in PLACE_WORDS for b in PLACE_WORDS if a != b]
    if count > len(pairs):
        pairs += [f"{p} {n}" for n in range(2, count // len(pairs) + 2) for p in pairs]
    return generator.sample(pairs, count)


def person_name(generator: random.Random) -> str:
    return " ".join([generator.choice(FAMILY), generator.choice(MIDDLE), generator.choice(GIVEN)])


# --- The organisation and the accounts --------------------------------------------------------


class _Units:
    """Collects unsaved units level by level; ``flush`` writes one level at a time (a
    child needs its parent's id)."""

    def __init__(self):
        self.pending: list[Unit] = []
        self.position = 0

    def add(self, code, name, kind, parent=None, *, short_name="", oversees=None, **extra):
        self.position += 1
        unit = Unit(
            code=code,
            name=name,
            short_name=short_name,
            kind=kind,
            parent=parent,
            oversees=oversees,
            position=self.position,
            search_text=fold_vietnamese(f"{name} {short_name} {code}"),
            **extra,
        )
        self.pending.append(unit)
        return unit

    def flush(self) -> int:
        for unit in self.pending:
            # The ids were assigned after the instances were linked: refresh the columns.
            unit.parent_id = unit.parent.pk if unit.parent is not None else None
            unit.oversees_id = unit.oversees.pk if unit.oversees is not None else None
        count = len(bulk(Unit, self.pending))
        self.pending = []
        return count


def _province(
    plan: ScalePlan, units: _Units, generator, index: int, root, province_name: str
) -> dict:
    """One province's tree, level by level; returns its ids for ``made``."""
    code = f"P{index + 1:02d}"
    province = units.add(code, f"Tỉnh {province_name}", UnitKind.PROVINCE, root)
    units.flush()
    committee = units.add(
        f"{code}-TU", f"Tỉnh ủy {province_name}", UnitKind.PARTY_BODY, province,
        short_name="Tỉnh ủy", oversees=province,
    )  # fmt: skip
    front = units.add(
        f"{code}-MTTQ", f"Ủy ban MTTQ Việt Nam tỉnh {province_name}",
        UnitKind.MASS_ORGANISATION, province, short_name="MTTQ tỉnh",
    )  # fmt: skip
    departments = [
        units.add(f"{code}-S{n:02d}", name, UnitKind.DEPARTMENT, province)
        for n, name in enumerate(DEPARTMENTS, start=1)
    ]
    for n, name in enumerate(ARMED_FORCES, start=1):
        units.add(f"{code}-LL{n}", name, UnitKind.ARMED_FORCES, province)
    communes = [
        units.add(
            f"{code}-X{n:03d}",
            f"{'Phường' if n % 5 == 0 else 'Xã'} {place}",
            UnitKind.COMMUNE,
            province,
            valid_from=datetime.date(2025, 7, 1),
        )
        for n, place in enumerate(place_names(generator, plan.communes), start=1)
    ]
    units.flush()
    bodies = {}
    for suffix, name, short_name, oversees in PARTY_BODIES:
        bodies[suffix] = units.add(
            f"{code}-{suffix}", name, UnitKind.PARTY_BODY, committee,
            short_name=short_name, oversees=province if oversees else None,
        )  # fmt: skip
    organisations = [
        units.add(f"{code}-{suffix}", pattern.format(place=f"tỉnh {province_name}"),
                  UnitKind.MASS_ORGANISATION, front)
        for suffix, pattern in MASS_ORGANISATIONS
    ]  # fmt: skip
    commune_fronts = []
    commune_level = []
    for commune in communes:
        place = commune.name[0].lower() + commune.name[1:]
        commune_level.append(
            units.add(f"{commune.code}-DU", f"Đảng ủy {place}", UnitKind.PARTY_BODY, commune,
                      oversees=commune)
        )  # fmt: skip
        commune_front = units.add(
            f"{commune.code}-MTTQ", f"Ủy ban MTTQ Việt Nam {place}",
            UnitKind.MASS_ORGANISATION, commune,
        )  # fmt: skip
        commune_fronts.append((commune.code, commune_front, place))
        label = "Tổ dân phố" if commune.name.startswith("Phường") else "Thôn"
        for n in range(1, plan.villages + 1):
            commune_level.append(
                units.add(f"{commune.code}-KDC{n:02d}", f"{label} {n}", UnitKind.RESIDENTIAL,
                          commune)
            )  # fmt: skip
    units.flush()
    for commune_code, commune_front, place in commune_fronts:
        for suffix, pattern in MASS_ORGANISATIONS:
            commune_level.append(
                units.add(f"{commune_code}-{suffix}", pattern.format(place=place),
                          UnitKind.MASS_ORGANISATION, commune_front)
            )  # fmt: skip
    units.flush()
    registering = (
        [c.pk for c in communes]
        + [f.pk for _c, f, _p in commune_fronts]
        + [u.pk for u in commune_level if u.kind != UnitKind.PARTY_BODY]
        + [d.pk for d in departments]
        + [o.pk for o in organisations]
    )
    return {
        "index": index,
        "id": province.pk,
        "name": province.name,
        "commission": bodies["BTGDV"].pk,
        "party_committee": committee.pk,
        "communes": [c.pk for c in communes],
        # Reviewers sit in the departments, the Front and its organisations.
        "reviewer_units": [d.pk for d in departments] + [front.pk] + [o.pk for o in organisations],
        "registering": registering,
    }


def _users(plan: ScalePlan, made: dict) -> int:
    """The accounts of the contract bench/load.py relies on (one password hash for all:
    hashing thousands of passwords one by one would take minutes)."""
    generator = rng(plan, "users")
    # A fixed salt keeps the rows deterministic; 22 characters or more, or Django finds it
    # weak and re-hashes the password at each login (which signs out the other sessions).
    password = make_password(plan.password, salt=f"scaleseed{plan.seed}".ljust(24, "x"))
    groups = roles_sync_groups()
    users: list[User] = []
    roles: list[tuple[int, Role]] = []

    def add(name, unit_id, role=None, *, superuser=False, position=""):
        users.append(
            User(
                username=name,
                password=password,
                email=f"{name}@example.com",
                full_name=person_name(generator),
                position=position,
                unit_id=unit_id,
                is_staff=superuser,
                is_superuser=superuser,
            )
        )
        if role is not None:
            roles.append((len(users) - 1, role))

    first = made["provinces"][0]
    add("scale.admin", first["commission"], superuser=True, position="Quản trị hệ thống")
    for province in made["provinces"]:
        index = province["index"]
        add(username(index, "thuongtruc"), province["commission"], Role.SECRETARIAT,
            position="Chuyên viên Ban Tuyên giáo và Dân vận Tỉnh ủy")  # fmt: skip
        add(username(index, "lanhdao"), province["party_committee"], Role.LEADER,
            position="Phó Bí thư Thường trực Tỉnh ủy")  # fmt: skip
        for n in range(1, plan.reviewers + 1):
            unit_id = province["reviewer_units"][(n - 1) % len(province["reviewer_units"])]
            add(username(index, f"bcd{n:02d}"), unit_id, Role.COMMITTEE_MEMBER,
                position="Thành viên Ban Chỉ đạo")  # fmt: skip
        add(username(index, "xa"), province["communes"][0], Role.UNIT_OFFICER,
            position="Cán bộ Ủy ban MTTQ Việt Nam xã")  # fmt: skip
    created = bulk(User, users)
    ids = {user.username: user.pk for user in created}
    through = User.groups.through
    bulk(through, [through(user_id=created[i].pk, group_id=groups[role].pk) for i, role in roles])
    for province in made["provinces"]:
        index = province["index"]
        province["secretariat"] = ids[username(index, "thuongtruc")]
        province["leader"] = ids[username(index, "lanhdao")]
        province["officer"] = ids[username(index, "xa")]
        province["reviewers"] = [
            ids[username(index, f"bcd{n:02d}")] for n in range(1, plan.reviewers + 1)
        ]
    made["admin"] = ids["scale.admin"]
    made["usernames"] = [
        "scale.admin",
        "scale.thuongtruc",
        "scale.lanhdao",
        f"scale.bcd01 … scale.bcd{plan.reviewers:02d}",
        "scale.xa",
    ]
    return len(created)


def seed(plan: ScalePlan, made: dict) -> dict:
    """The organisation tree and the accounts. Puts in ``made``: ``root`` (the national
    commission's id, or None), ``provinces`` (one dict of ids per province: ``id``,
    ``commission``, ``party_committee``, ``communes``, ``registering`` (units that
    register models), ``reviewer_units``, and after the accounts ``secretariat``,
    ``leader``, ``officer``, ``reviewers``), ``admin`` and ``usernames``."""
    generator = rng(plan, "units")
    units = _Units()
    root = None
    if plan.national:
        root = units.add(
            "TW-BTGDV", "Ban Tuyên giáo và Dân vận Trung ương", UnitKind.PARTY_BODY,
            short_name="Ban TG&DV Trung ương",
        )  # fmt: skip
        units.flush()
    names = place_names(rng(plan, "provinces"), plan.provinces) if plan.national else ["Hà Tĩnh"]
    made["root"] = root.pk if root else None
    made["provinces"] = []
    for index in range(plan.provinces):
        made["provinces"].append(_province(plan, units, generator, index, root, names[index]))
    return {"units": Unit.objects.count(), "users": _users(plan, made)}
