"""The showcase's writes: publishing, unpublishing and the public page switch, each with
its activity row and its refusals."""

import pytest

from danvan.models import ActivityLog
from reports import showcase
from reports.models import LibrarySettings, Publication
from tests.reports.test_showcase_support import build_library


@pytest.fixture
def lib(db):
    return build_library()


def actions():
    return list(ActivityLog.objects.order_by("pk").values_list("action", flat=True))


def test_publish_creates_one_publication_and_logs_it(lib):
    before = ActivityLog.objects.count()

    publication = showcase.library_publish(dvk_model=lib.exemplary, by=lib.secretariat)
    again = showcase.library_publish(dvk_model=lib.exemplary, by=lib.secretariat)

    assert (publication, publication.published_by) == (again, lib.secretariat)
    assert actions()[before:] == ["reports.dvkmodel.publish"]


@pytest.mark.parametrize("name", ["draft", "submitted", "returned", "plain", "pending"])
def test_publish_refuses_a_model_not_in_the_library(lib, name):
    with pytest.raises(showcase.ShowcaseError):
        showcase.library_publish(dvk_model=getattr(lib, name), by=lib.secretariat)

    assert Publication.objects.count() == 0


def test_unpublish_removes_the_publication_and_logs_it(lib):
    showcase.library_publish(dvk_model=lib.exemplary, by=lib.secretariat)

    showcase.library_unpublish(dvk_model=lib.exemplary, by=lib.secretariat)

    assert Publication.objects.count() == 0
    assert actions()[-1] == "reports.dvkmodel.unpublish"


def test_unpublish_refuses_a_model_not_published(lib):
    with pytest.raises(showcase.ShowcaseError):
        showcase.library_unpublish(dvk_model=lib.exemplary, by=lib.secretariat)


def test_public_page_switch_logs_each_change_once(lib):
    showcase.library_public_page_set(unit=lib.province, public_page=True, by=lib.secretariat)
    showcase.library_public_page_set(unit=lib.province, public_page=True, by=lib.secretariat)
    showcase.library_public_page_set(unit=lib.province, public_page=False, by=lib.secretariat)

    settings = LibrarySettings.objects.get(unit=lib.province)
    assert (settings.public_page, settings.changed_by) == (False, lib.secretariat)
    assert [a for a in actions() if a.startswith("reports.library")] == [
        "reports.librarysettings.public_on",
        "reports.librarysettings.public_off",
    ]


def test_public_page_switch_refuses_a_unit_that_organises_nothing(lib):
    with pytest.raises(showcase.ShowcaseError):
        showcase.library_public_page_set(unit=lib.commune_a, public_page=True, by=lib.secretariat)

    assert LibrarySettings.objects.count() == 0
