import pytest

from danvan.utils import fold_vietnamese


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Dân vận khéo", "dan van kheo"),
        ("ĐẢNG BỘ TỈNH", "dang bo tinh"),
        ("Phường  Thành   Sen", "phuong thanh sen"),
        ("Nghệ thuật ứng xử", "nghe thuat ung xu"),
        ("", ""),
    ],
)
def test_fold_vietnamese_strips_marks_and_case(text, folded):
    assert fold_vietnamese(text) == folded


def test_fold_vietnamese_nfd_input_equals_nfc():
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Hương Khê")

    assert fold_vietnamese(nfd) == "huong khe"
