import random

from danvan.utils import vietnamese_sort_key
from reports.statistics.sorting import sort_key

NAMES = [
    "Hà", "Hoành", "Hồng", "Hưng", "Ha", "Hả", "Hạ", "Hã", "Há", "hà", "Đức Thọ", "Dũng",
    "Xã Can Lộc", "Xã Cẩm Xuyên", "Xã Cam Lộc", "Ấm áp", "An", "Ăn", "Ân", "Ông", "Ơn",
    "Ốc", "Ưng", "Uống", "Thôn 1", "Thôn 10", "Thôn 2", "Sở Y tế", "Công an tỉnh",
    "Hội Liên hiệp Phụ nữ", "Ủy ban MTTQ", "Uỷ ban", "“Dân vận khéo”", "", "Bếp ăn nghĩa tình",
    "Đường làng", "Duyên", "Nghệ", "Nghề", "Nghe", "Ngẹ", "A-B", "a b", "ab",
]  # fmt: skip


def test_sort_key_orders_like_danvan_key():
    names = NAMES[:]
    random.Random(7).shuffle(names)

    assert sorted(names, key=sort_key) == sorted(names, key=vietnamese_sort_key)
