"""The fixed Vietnamese wording of the reports: labels of groups, levels, kinds, origins.

A report is a Vietnamese Party document whatever the reader's interface language, so its
fixed wording is plain Vietnamese here rather than gettext msgids: the text printed in a
document cannot change with a catalogue or the requester's language, and identical inputs
give identical bytes. (The interface — forms, messages, admin — stays translated.)
"""

from danvan.enums import UnitKind
from models_registry.enums import ModelKind

# Unit groups the directives count ("khối"), in the order a report lists them.
GROUPS = [
    ("party", "Khối các cơ quan Đảng", {UnitKind.PARTY_BODY}),
    ("state", "Khối các cơ quan nhà nước", {UnitKind.DEPARTMENT, UnitKind.PROVINCE}),
    (
        "front",
        "Khối Mặt trận Tổ quốc và các đoàn thể chính trị – xã hội",
        {UnitKind.MASS_ORGANISATION},
    ),
    ("armed", "Khối lực lượng vũ trang", {UnitKind.ARMED_FORCES}),
    (
        "local",
        "Các địa phương (xã, phường, đặc khu; thôn, tổ dân phố)",
        {UnitKind.COMMUNE, UnitKind.DISTRICT, UnitKind.RESIDENTIAL},
    ),
]
GROUP_OF_KIND = {kind: key for key, _label, kinds in GROUPS for kind in kinds}
GROUP_LABELS = {key: label for key, label, _kinds in GROUPS}

LEVELS = [
    ("province", "Cấp tỉnh"),
    ("district", "Cấp huyện (huyện, thị xã, thành phố)"),
    ("commune", "Cấp xã"),
    ("grassroots", "Cơ sở (thôn, tổ dân phố)"),
]
LEVEL_LABELS = dict(LEVELS)

KINDS = [
    (ModelKind.COLLECTIVE_MODEL, "Mô hình"),
    (ModelKind.COLLECTIVE_EXEMPLAR, "Điển hình tập thể"),
    (ModelKind.INDIVIDUAL_EXEMPLAR, "Điển hình cá nhân"),
]
KIND_LABELS = {str(key): label for key, label in KINDS}

ORIGINS = [("new", "Mới"), ("maintained", "Duy trì"), ("replicated", "Nhân rộng")]
ORIGIN_LABELS = dict(ORIGINS)

NO_FIELD = "Chưa xác định lĩnh vực"
NOT_EVALUATED = "Chưa xét chọn"
ROLLUP_NOTE = (
    "Số liệu của {count} đơn vị đã giải thể, sáp nhập ({years}) được cộng vào đơn vị kế "
    "thừa; đơn vị được chia cho nhiều đơn vị thì cộng vào đơn vị kế thừa ghi nhận đầu tiên."
)
