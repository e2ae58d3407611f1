"""The library's reads: exactly the accepted models a finalised round recognised or
marked exemplary, within the campaigns that reach the reader; the public narrowing; one
entry's data."""

import pytest

from danvan.enums import Role
from evaluation.enums import RoundStatus
from models_registry.enums import ModelStatus
from models_registry.models import DvkModel
from reports import showcase
from reports.models import LibrarySettings, Publication
from tests.factories import UserFactory
from tests.reports.conftest import finalised_round, registered
from tests.reports.test_showcase_support import build_library, library_names

IN_LIBRARY = ["Bếp ăn nghĩa tình", "Đường làng hiến đất"]


@pytest.fixture
def lib(db):
    return build_library()


def test_library_holds_exactly_the_recognised_and_exemplary_accepted_models(lib):
    assert library_names(showcase.library_models(user=lib.secretariat)) == IN_LIBRARY


@pytest.mark.parametrize("status", [s for s in ModelStatus if s != ModelStatus.ACCEPTED])
def test_library_never_holds_a_model_that_is_not_accepted(lib, status):
    DvkModel.objects.filter(pk=lib.exemplary.pk).update(status=status)

    assert library_names(showcase.library_models()) == ["Bếp ăn nghĩa tình", "Mô hình tỉnh bạn"]


@pytest.mark.parametrize("status", [RoundStatus.DRAFT, RoundStatus.OPEN])
def test_library_ignores_results_of_rounds_not_finalised(lib, status):
    type(lib.round).objects.filter(pk=lib.round.pk).update(status=status)

    assert library_names(showcase.library_models(user=lib.secretariat)) == []


def test_library_is_the_same_for_every_unit_of_the_province(lib):
    for user in (lib.officer_a, lib.officer_b, lib.leader, lib.secretariat):
        assert library_names(showcase.library_models(user=user)) == IN_LIBRARY


def test_library_of_another_province_never_shows_this_one(lib):
    for user in (lib.outsider, lib.outside_officer):
        assert library_names(showcase.library_models(user=user)) == ["Mô hình tỉnh bạn"]


def test_library_is_empty_for_a_user_without_a_unit(lib):
    user = UserFactory(unit=None)

    assert list(showcase.library_models(user=user)) == []


def test_library_of_the_province_secretariat_includes_a_communes_own_campaign(lib):
    from tests.reports.conftest import campaign_for

    own = campaign_for(lib.commune_b, 2025)
    model = registered(own, lib.village, "Tổ tự quản", by=lib.secretariat)
    finalised_round(
        own, lib.commune_b, [(model, "91", "Xuất sắc", True, False)], by=lib.secretariat
    )

    assert "Tổ tự quản" in library_names(showcase.library_models(user=lib.secretariat))
    assert "Tổ tự quản" in library_names(showcase.library_models(user=lib.officer_b))
    assert "Tổ tự quản" not in library_names(showcase.library_models(user=lib.officer_a))


def test_public_library_needs_publication_and_the_public_page(lib):
    Publication.objects.create(dvk_model=lib.exemplary, published_by=lib.secretariat)
    assert list(showcase.library_models(public=True)) == []

    LibrarySettings.objects.create(unit=lib.province, public_page=True)

    assert library_names(showcase.library_models(public=True)) == ["Đường làng hiến đất"]


def test_public_library_drops_a_published_model_that_leaves_the_library(lib):
    Publication.objects.create(dvk_model=lib.exemplary, published_by=lib.secretariat)
    LibrarySettings.objects.create(unit=lib.province, public_page=True)
    DvkModel.objects.filter(pk=lib.exemplary.pk).update(status=ModelStatus.RETURNED)

    assert list(showcase.library_models(public=True)) == []


def test_library_list_shows_the_organisers_round_first(lib):
    # A later commune round gave another tier: the province's own round still counts.
    finalised_round(
        lib.campaign, lib.commune_a, [(lib.exemplary, "70", "Khá", True, False)], by=lib.secretariat
    )

    row = showcase.library_list(queryset=showcase.library_models()).get(pk=lib.exemplary.pk)
    entry = showcase.library_entry(row, user=lib.secretariat)

    assert (row.lib_tier, row.lib_score, row.lib_exemplary) == ("Xuất sắc", 96, True)
    assert (entry.result.tier_name, [r.tier_name for r in entry.other_results]) == (
        "Xuất sắc",
        ["Khá"],
    )


def test_library_entry_shows_counting_awards_public_photos_and_replications(lib):
    replica = registered(
        lib.campaign, lib.commune_b, "Nhân rộng", replicates=lib.exemplary, by=lib.secretariat
    )
    registered(
        lib.campaign,
        lib.commune_b,
        "Bản nháp nhân rộng",
        replicates=lib.exemplary,
        status=ModelStatus.DRAFT,
        by=lib.secretariat,
    )
    model = showcase.library_entry_model(pk=lib.exemplary.pk, user=lib.officer_b)

    entry = showcase.library_entry(model, user=lib.officer_b)

    assert [a.award_type.name for a in entry.awards] == ["Bằng khen của Chủ tịch UBND tỉnh"]
    assert entry.photos == [lib.photo]
    assert entry.replications == [replica]
    assert entry.publication is None


def test_attach_awards_names_each_counting_award_once(lib):
    rows = list(showcase.library_list(queryset=showcase.library_models(user=lib.officer_a)))

    showcase.attach_awards(rows)

    assert {m.name: m.lib_awards for m in rows} == {
        "Bếp ăn nghĩa tình": [],
        "Đường làng hiến đất": ["Bằng khen của Chủ tịch UBND tỉnh"],
    }


def test_library_photo_only_public_photos_of_library_models(lib):
    assert showcase.library_photo(pk=lib.photo.pk, user=lib.officer_b) == lib.photo
    for pk in (lib.hidden_photo.pk, lib.pdf.pk):
        with pytest.raises(DvkModel.attachments.rel.related_model.DoesNotExist):
            showcase.library_photo(pk=pk, user=lib.officer_b)
    with pytest.raises(DvkModel.attachments.rel.related_model.DoesNotExist):
        showcase.library_photo(pk=lib.photo.pk, user=lib.outside_officer)
    with pytest.raises(DvkModel.attachments.rel.related_model.DoesNotExist):
        showcase.library_photo(pk=lib.photo.pk, public=True)


def test_library_tiers_years_and_localities(lib):
    base = showcase.library_models(user=lib.officer_a)

    assert showcase.library_choices(base) == ([2025], ["Tốt", "Xuất sắc"])
    assert showcase.library_localities(user=lib.officer_a) == [
        (lib.commune_b.pk, "Xã Can Lộc"),
        (lib.commune_a.pk, "Xã Đức Thọ"),
    ]


def test_library_organisers_of_the_secretariat(lib):
    LibrarySettings.objects.create(unit=lib.province, public_page=True)

    rows = showcase.library_organisers(user=lib.secretariat)

    assert [(u.name, u.public_page) for u in rows] == [("Tỉnh Hà Tĩnh", True)]


def test_leader_without_unit_role_sees_the_library_too(lib):
    user = UserFactory(unit=lib.commune_a, roles=[Role.COMMITTEE_MEMBER])

    assert library_names(showcase.library_models(user=user)) == IN_LIBRARY
