"""reports/showcase/similarity.py: the obvious match first on a hand-built set, on both
implementations (full-text search on PostgreSQL, TF-IDF in Python elsewhere); the words
every registration shares do not decide; an empty query suggests nothing."""

import pytest
from django.db import connection

from models_registry.models import DvkModel
from reports.showcase import similarity
from reports.showcase.similarity import similar_models, words
from tests.factories import CampaignFactory, DvkModelFactory

pytestmark = pytest.mark.django_db

# name, content
LIBRARY = {
    "flowers": (
        "Con đường hoa nông thôn mới",
        "Vận động các hộ dân trồng hoa hai bên đường thôn, mỗi hộ chăm sóc một đoạn.",
    ),
    "savings": (
        "Chi hội phụ nữ tiết kiệm",
        "Hội viên góp tiết kiệm hằng tháng, cho chị em khó khăn vay vốn không lãi.",
    ),
    "camera": (
        "Camera an ninh",
        "Lắp camera giám sát tại các ngã ba, nhân dân cùng theo dõi, giữ gìn trật tự.",
    ),
    "admin": (
        "Mô hình dân vận khéo xã, phường trong thôn và của tổ dân phố",
        "Mô hình dân vận khéo của xã và phường, trong thôn, thôn và xã, phường và thôn.",
    ),
    "roads": (
        "Bê tông hoá đường giao thông",
        "Nhân dân hiến đất, góp công làm đường bê tông liên thôn.",
    ),
    "individual": (
        "Điển hình cá nhân: bà Nguyễn Thị Hoa làm kinh tế giỏi",
        "Bà Hoa trồng cam, nuôi lợn, giúp hộ nghèo.",
    ),
}


@pytest.fixture(params=["postgresql", "python"])
def backend(request, monkeypatch):
    """Each test runs on both implementations: the full-text one only where PostgreSQL
    runs the tests (CI), the Python one everywhere."""
    if request.param == "postgresql":
        if connection.vendor != "postgresql":
            pytest.skip("full-text search needs PostgreSQL")
    else:
        monkeypatch.setattr(similarity, "_full_text_available", lambda candidates: False)
    return request.param


@pytest.fixture
def library(db):
    campaign = CampaignFactory()
    return {
        key: DvkModelFactory(campaign=campaign, name=name, content=content)
        for key, (name, content) in LIBRARY.items()
    }


def candidates():
    return DvkModel.objects.all()


def names(models) -> list[str]:
    return [m.name for m in models]


def test_words_fold_and_drop_administrative_words():
    assert words("Mô hình “Dân vận khéo” xây dựng Đường hoa của thôn và xã 2025") == [
        "xay",
        "dung",
        "duong",
        "hoa",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đường hoa thôn xóm sáng xanh sạch đẹp", "flowers"),
        ("duong hoa", "flowers"),  # typed without diacritics
        ("Tổ phụ nữ tiết kiệm giúp nhau", "savings"),
        ("Lắp camera an ninh trật tự", "camera"),
        ("Làm đường giao thông bê tông", "roads"),
    ],
)
def test_similar_models_obvious_match_first(backend, library, text, expected):
    result = similar_models(candidates(), text)

    assert result[0] == library[expected]


def test_similar_models_content_counts(backend, library):
    result = similar_models(candidates(), "Cho chị em vay vốn không lãi")

    assert result[0] == library["savings"]


def test_similar_models_administrative_words_do_not_decide(backend, library):
    """A text of stop words and one real subject: the subject wins over the model that
    is nothing but "mô hình dân vận khéo … xã … thôn …"."""
    result = similar_models(
        candidates(), "Mô hình dân vận khéo của xã, phường và thôn: camera an ninh"
    )

    assert result[0] == library["camera"]
    assert library["admin"] not in result


def test_similar_models_stop_words_only_suggest_nothing(backend, library):
    assert similar_models(candidates(), "Mô hình dân vận khéo của xã và thôn") == []


@pytest.mark.parametrize("text", ["", "   ", "2025 – 2026", None])
def test_similar_models_empty_query_suggests_nothing(backend, library, text):
    assert similar_models(candidates(), text) == []


def test_similar_models_unrelated_text_suggests_nothing(backend, library):
    assert similar_models(candidates(), "Sân bóng chuyền") == []


def test_similar_models_respects_limit_and_candidates(backend, library):
    allowed = candidates().exclude(pk=library["flowers"].pk)

    result = similar_models(allowed, "Đường hoa, đường bê tông, camera, tiết kiệm", limit=2)

    assert len(result) == 2
    assert library["flowers"] not in result
    assert result[0] == library["roads"]


def test_similar_models_joins_unit_and_campaign(backend, library, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        result = similar_models(candidates(), "camera an ninh")
        assert [(m.unit.name, m.campaign.year) for m in result] == [
            (library["camera"].unit.name, library["camera"].campaign.year)
        ]
