"""Demo data: the organisation of Hà Tĩnh province and one account per role.

Administrative units come from the national list (``units_import_province``); the Party,
government, Front and armed-forces bodies below are written with deterministic internal
codes ("42-SNNMT", "18073-MTTQ") so that a re-run finds and matches them. Everything here
is idempotent: a second run creates, updates and deletes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from .enums import Role, SuccessionKind, UnitKind
from .importers import COMMUNES_VALID_FROM, ImportSummary, UnitWriter, units_import_province
from .models import UnitSuccession, User
from .services import roles_sync_groups, user_set_roles

PROVINCE_CODE = 42
DEMO_PASSWORD = "DanVan@2026"  # nosec B105 # the demo's published password (docs/demo-accounts.md)
DISTRICTS_VALID_TO = datetime.date(2025, 6, 30)
DISTRICTS_DISSOLVED_ON = datetime.date(2025, 7, 1)
P = str(PROVINCE_CODE)

# (code suffix, name, short name, children) — the provincial Party committee's bodies.
PARTY_BODIES = [
    ("TU", "Tỉnh ủy Hà Tĩnh", "Tỉnh ủy", [
        ("BTGDV", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "Ban TG&DV Tỉnh ủy"),
        ("BTC", "Ban Tổ chức Tỉnh ủy", "Ban Tổ chức TU"),
        ("UBKT", "Ủy ban Kiểm tra Tỉnh ủy", "UBKT Tỉnh ủy"),
        ("BNC", "Ban Nội chính Tỉnh ủy", "Ban Nội chính TU"),
        ("VPTU", "Văn phòng Tỉnh ủy", "VP Tỉnh ủy"),
    ]),
]  # fmt: skip

# Bodies whose staff oversee the whole province (the commission runs the movement).
OVERSEEING_BODIES = {"BTGDV", "UBKT"}

# Provincial departments and agencies under the names in force after the 2025 mergers.
DEPARTMENTS = [
    ("VPUB", "Văn phòng Ủy ban nhân dân tỉnh", "VP UBND tỉnh"),
    ("SNV", "Sở Nội vụ", "Sở NV"),
    ("STC", "Sở Tài chính", "Sở TC"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", "Sở NN&MT"),
    ("SXD", "Sở Xây dựng", "Sở XD"),
    ("SCT", "Sở Công Thương", "Sở CT"),
    ("SKHCN", "Sở Khoa học và Công nghệ", "Sở KH&CN"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT"),
    ("SYT", "Sở Y tế", "Sở YT"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Sở VHTT&DL"),
    ("STP", "Sở Tư pháp", "Sở TP"),
    ("TTR", "Thanh tra tỉnh", "Thanh tra tỉnh"),
    ("BQLKKT", "Ban Quản lý Khu kinh tế tỉnh", "BQL KKT"),
    ("BPTTH", "Báo và Phát thanh, Truyền hình Hà Tĩnh", "Báo và PT-TH"),
    ("DHHT", "Trường Đại học Hà Tĩnh", "ĐH Hà Tĩnh"),
    ("THUE", "Thuế tỉnh Hà Tĩnh", "Thuế tỉnh"),
    ("BHXH", "Bảo hiểm xã hội tỉnh Hà Tĩnh", "BHXH tỉnh"),
]

# Since 2025 the socio-political organisations sit under the Fatherland Front.
# (code suffix, province-level name, commune-level name pattern, short name)
MASS_ORGANISATIONS = [
    ("HLHPN", "Hội Liên hiệp Phụ nữ tỉnh Hà Tĩnh", "Hội Liên hiệp Phụ nữ {place}", "Hội LHPN"),
    ("HND", "Hội Nông dân tỉnh Hà Tĩnh", "Hội Nông dân {place}", "Hội ND"),
    ("DTN", "Tỉnh đoàn Hà Tĩnh", "Đoàn Thanh niên {place}", "Đoàn TN"),
    ("HCCB", "Hội Cựu chiến binh tỉnh Hà Tĩnh", "Hội Cựu chiến binh {place}", "Hội CCB"),
    ("LDLD", "Liên đoàn Lao động tỉnh Hà Tĩnh", "Công đoàn {place}", "LĐLĐ"),
]

ARMED_FORCES = [
    ("BCHQS", "Bộ Chỉ huy Quân sự tỉnh Hà Tĩnh", "Bộ CHQS tỉnh"),
    ("CA", "Công an tỉnh Hà Tĩnh", "Công an tỉnh"),
    ("BDBP", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Hà Tĩnh", "Bộ CH BĐBP tỉnh"),
]

# Communes (package codenames) that get a few villages or residential groups.
RESIDENTIAL_COMMUNES = ["phuong_thanh_sen", "xa_can_loc", "xa_cam_xuyen", "xa_huong_khe"]

# The 13 district-level units dissolved on 1 July 2025 and the new units that we know
# received (part of) their territory: the wards that replaced the three towns, and the
# commune that took the district's name and seat. The package carries no pre-2025 data,
# so the other communes are not linked rather than guessed.
DISTRICTS = [
    ("TPHATINH", "Thành phố Hà Tĩnh",
     ["phuong_thanh_sen", "phuong_tran_phu", "phuong_ha_huy_tap"]),
    ("HONGLINH", "Thị xã Hồng Lĩnh", ["phuong_bac_hong_linh", "phuong_nam_hong_linh"]),
    ("TXKYANH", "Thị xã Kỳ Anh",
     ["phuong_song_tri", "phuong_hai_ninh", "phuong_hoanh_son", "phuong_vung_ang"]),
    ("HUONGSON", "Huyện Hương Sơn", ["xa_huong_son"]),
    ("DUCTHO", "Huyện Đức Thọ", ["xa_duc_tho"]),
    ("VUQUANG", "Huyện Vũ Quang", ["xa_vu_quang"]),
    ("NGHIXUAN", "Huyện Nghi Xuân", ["xa_nghi_xuan"]),
    ("CANLOC", "Huyện Can Lộc", ["xa_can_loc"]),
    ("HUONGKHE", "Huyện Hương Khê", ["xa_huong_khe"]),
    ("THACHHA", "Huyện Thạch Hà", ["xa_thach_ha"]),
    ("CAMXUYEN", "Huyện Cẩm Xuyên", ["xa_cam_xuyen"]),
    ("KYANH", "Huyện Kỳ Anh", ["xa_ky_anh"]),
    ("LOCHA", "Huyện Lộc Hà", ["xa_loc_ha"]),
]  # fmt: skip


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    position: str
    unit_code: str  # a literal code, or "ward:<codename>" for a commune of the list
    roles: tuple[Role, ...] = ()
    superuser: bool = False


DEMO_ACCOUNTS = [
    DemoAccount(
        "admin", "Trần Quốc Toản", "Chuyên viên quản trị hệ thống", f"{P}-BTGDV", superuser=True
    ),
    DemoAccount(
        "thuongtruc",
        "Nguyễn Thị Thu Hà",
        "Trưởng phòng Dân vận, Ban Tuyên giáo và Dân vận Tỉnh ủy",
        f"{P}-BTGDV",
        (Role.SECRETARIAT,),
    ),
    DemoAccount(
        "bcd.truongban",
        "Lê Văn Hùng",
        "Phó Trưởng ban Thường trực Ban Tuyên giáo và Dân vận Tỉnh ủy, "
        "Trưởng Ban Chỉ đạo phong trào thi đua “Dân vận khéo”",
        f"{P}-BTGDV",
        (Role.COMMITTEE_MEMBER,),
    ),
    DemoAccount(
        "bcd.thanhvien",
        "Phạm Thị Lan",
        "Phó Chủ tịch Ủy ban MTTQ Việt Nam tỉnh, thành viên Ban Chỉ đạo",
        f"{P}-MTTQ",
        (Role.COMMITTEE_MEMBER,),
    ),
    DemoAccount(
        "bcd.hoind",
        "Nguyễn Văn Bình",
        "Phó Chủ tịch Hội Nông dân tỉnh, thành viên Ban Chỉ đạo",
        f"{P}-HND",
        (Role.COMMITTEE_MEMBER,),
    ),
    DemoAccount(
        "lanhdao",
        "Hoàng Đình Nam",
        "Phó Bí thư Thường trực Tỉnh ủy",
        f"{P}-TU",
        (Role.LEADER,),
    ),
    DemoAccount(
        "phuong.thanhsen",
        "Võ Thị Hồng Nhung",
        "Phó Chủ tịch Ủy ban MTTQ Việt Nam phường Thành Sen",
        "ward:phuong_thanh_sen",
        (Role.UNIT_OFFICER,),
    ),
    DemoAccount(
        "xa.canloc",
        "Đặng Văn Thắng",
        "Công chức Văn phòng HĐND và UBND xã Can Lộc",
        "ward:xa_can_loc",
        (Role.UNIT_OFFICER,),
    ),
    DemoAccount(
        "xa.camxuyen",
        "Bùi Thị Mai",
        "Chủ tịch Hội Liên hiệp Phụ nữ xã Cẩm Xuyên",
        "ward:xa_cam_xuyen",
        (Role.UNIT_OFFICER,),
    ),
    DemoAccount(
        "so.nnmt",
        "Phan Minh Tuấn",
        "Chánh Văn phòng Sở Nông nghiệp và Môi trường",
        f"{P}-SNNMT",
        (Role.UNIT_OFFICER,),
    ),
]


@dataclass
class DemoSummary:
    units: ImportSummary
    successions_created: int = 0
    users_created: int = 0


def _place(ward) -> str:
    """The ward's name as it reads after a body's name: "Xã Kỳ Xuân" → "xã Kỳ Xuân"."""
    return ward.division_type.value + ward.name[len(ward.division_type.value) :]


@transaction.atomic
def demo_seed() -> DemoSummary:
    """Create whatever of the Hà Tĩnh demo is missing; bring demo units back to spec.

    Side effects: imports province 42 from the national list; creates or updates the
    demo units by code, the succession links of the historic districts, the role groups,
    and the demo accounts. Existing accounts are left exactly as they are (password,
    names, unit, roles), so a password changed after the first run survives.
    """
    from vietnam_provinces import ProvinceCode, Ward

    summary = DemoSummary(units=units_import_province(province_code=PROVINCE_CODE))
    wards = sorted(Ward.iter_by_province(ProvinceCode(PROVINCE_CODE)), key=lambda w: int(w.code))
    ward_by_codename = {ward.codename: ward for ward in wards}

    writer = UnitWriter(change_reason="Demo data")
    province = writer.get(P)
    position = 0

    def write(code, name, short_name, kind, parent, **extra):
        nonlocal position
        position += 1
        return writer.write(
            code=code,
            name=name,
            short_name=short_name,
            kind=kind,
            parent=parent,
            position=position,
            **extra,
        )

    # The provincial Party committee and its commission work for the whole province:
    # their staff's scope is the province's subtree (Unit.oversees).
    for suffix, name, short_name, children in PARTY_BODIES:
        body = write(
            f"{P}-{suffix}", name, short_name, UnitKind.PARTY_BODY, province, oversees=province
        )
        for child_suffix, child_name, child_short in children:
            scope = province if child_suffix in OVERSEEING_BODIES else None
            write(
                f"{P}-{child_suffix}",
                child_name,
                child_short,
                UnitKind.PARTY_BODY,
                body,
                oversees=scope,
            )
    for suffix, name, short_name in DEPARTMENTS:
        write(f"{P}-{suffix}", name, short_name, UnitKind.DEPARTMENT, province)
    front = write(
        f"{P}-MTTQ",
        "Ủy ban MTTQ Việt Nam tỉnh Hà Tĩnh",
        "MTTQ tỉnh",
        UnitKind.MASS_ORGANISATION,
        province,
    )
    for suffix, name, _pattern, short_name in MASS_ORGANISATIONS:
        write(f"{P}-{suffix}", name, short_name, UnitKind.MASS_ORGANISATION, front)
    for suffix, name, short_name in ARMED_FORCES:
        write(f"{P}-{suffix}", name, short_name, UnitKind.ARMED_FORCES, province)

    for ward in wards:
        commune = writer.get(str(int(ward.code)))
        place = _place(ward)
        since = {"valid_from": COMMUNES_VALID_FROM}
        position = 0
        write(
            f"{commune.code}-DU",
            f"Đảng ủy {place}",
            "",
            UnitKind.PARTY_BODY,
            commune,
            oversees=commune,
            **since,
        )
        commune_front = write(
            f"{commune.code}-MTTQ",
            f"Ủy ban MTTQ Việt Nam {place}",
            "",
            UnitKind.MASS_ORGANISATION,
            commune,
            **since,
        )
        for suffix, _name, pattern, _short in MASS_ORGANISATIONS:
            write(
                f"{commune.code}-{suffix}",
                pattern.format(place=place),
                "",
                UnitKind.MASS_ORGANISATION,
                commune_front,
                **since,
            )
        if ward.codename in RESIDENTIAL_COMMUNES:
            label = "Tổ dân phố" if ward.division_type.value == "phường" else "Thôn"
            for number in (1, 2, 3):
                write(
                    f"{commune.code}-KDC{number:02d}",
                    f"{label} {number}",
                    "",
                    UnitKind.RESIDENTIAL,
                    commune,
                    **since,
                )

    position = 900
    for suffix, name, successors in DISTRICTS:
        district = write(
            f"{P}-D-{suffix}",
            name,
            "",
            UnitKind.DISTRICT,
            province,
            active=False,
            valid_to=DISTRICTS_VALID_TO,
        )
        for codename in successors:
            successor = writer.get(str(int(ward_by_codename[codename].code)))
            _, created = UnitSuccession.objects.get_or_create(
                predecessor=district,
                successor=successor,
                kind=SuccessionKind.DISSOLVED,
                defaults={"effective_date": DISTRICTS_DISSOLVED_ON},
            )
            summary.successions_created += created

    _merge(summary.units, writer.summary)
    roles_sync_groups()
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            continue
        if account.unit_code.startswith("ward:"):
            unit = writer.get(str(int(ward_by_codename[account.unit_code[5:]].code)))
        else:
            unit = writer.get(account.unit_code)
        user = User.objects.create_user(
            username=account.username,
            password=DEMO_PASSWORD,
            # Reserved example domain: notifications go to the console in the demo.
            email=f"{account.username}@example.com",
            full_name=account.full_name,
            position=account.position,
            unit=unit,
            is_staff=account.superuser,
            is_superuser=account.superuser,
        )
        if account.roles:
            user_set_roles(user=user, roles=list(account.roles))
        summary.users_created += 1
    return summary


def _merge(total: ImportSummary, part: ImportSummary) -> None:
    total.created += part.created
    total.updated += part.updated
    total.unchanged += part.unchanged
