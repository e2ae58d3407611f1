"""The library makes its models readable and replicable: an officer of another commune may
open a library model's page and declare that their model replicates it, by the rule and by
the selector alike (``reports.showcase.library_reader``); models outside the library stay
as private as models_registry's own policy keeps them."""

import pytest
from django.urls import reverse

from danvan.extensions import readers
from models_registry.selectors import dvk_models_visible_to, replication_choices
from tests.reports.test_showcase_support import build_library


@pytest.fixture
def lib(db):
    return build_library()


def _sees(user, dvk_model) -> tuple[bool, bool]:
    """(rule says yes, selector lists it)."""
    listed = dvk_models_visible_to(user=user).filter(pk=dvk_model.pk).exists()
    return user.has_perm("models_registry.view_dvkmodel", dvk_model), listed


def test_library_reader_is_registered_once():
    names = [reader.name for reader in readers("models_registry.DvkModel")]

    assert names.count("showcase_library") == 1


def test_officer_of_another_commune_reads_a_library_model(lib):
    assert lib.exemplary.unit == lib.commune_a

    assert _sees(lib.officer_b, lib.exemplary) == (True, True)


@pytest.mark.parametrize("name", ["plain", "pending", "submitted", "returned", "draft"])
def test_models_outside_the_library_stay_private_to_other_communes(lib, name):
    dvk_model = getattr(lib, name)
    other = lib.officer_a if dvk_model.unit == lib.commune_b else lib.officer_b

    assert _sees(other, dvk_model) == (False, False)


def test_another_province_never_reads_the_library_model(lib):
    assert _sees(lib.outside_officer, lib.exemplary) == (False, False)
    assert _sees(lib.officer_b, lib.foreign) == (False, False)


def test_a_library_model_is_a_replication_choice_without_campaign_sharing(lib):
    assert not lib.campaign.share_accepted_models

    choices = replication_choices(user=lib.officer_b, exclude_unit=lib.commune_b)

    names = set(choices.values_list("name", flat=True))
    assert "Đường làng hiến đất" in names
    assert names.isdisjoint({"Không xếp loại", "Mô hình tỉnh bạn", "Đã gửi"})


def test_the_entry_button_preselects_the_library_model_in_the_form(client, lib):
    client.force_login(lib.officer_b)

    response = client.get(
        reverse("models_registry:model_create") + f"?replicates={lib.exemplary.pk}"
    )

    assert response.status_code == 200
    assert f'value="{lib.exemplary.pk}"' in response.content.decode()
    assert "Đường làng hiến đất" in response.content.decode()


def test_model_page_of_a_library_model_opens_for_another_commune(client, lib):
    client.force_login(lib.officer_b)

    assert client.get(lib.exemplary.get_absolute_url()).status_code == 200
    assert client.get(lib.submitted.get_absolute_url()).status_code == 404


def test_model_page_of_another_unit_hides_years_the_reader_may_not_read(client, lib):
    """The lineage ("this model over the years") of a library model read by another unit
    lists only the years that unit may read: never its draft or returned continuation."""
    from models_registry.enums import ModelStatus
    from tests.reports.conftest import campaign_for, registered

    later = campaign_for(lib.province, 2026)
    continuation = registered(
        later,
        lib.commune_a,
        "Đường làng hiến đất (năm sau)",
        status=ModelStatus.RETURNED,
        by=lib.secretariat,
    )
    type(continuation).objects.filter(pk=continuation.pk).update(predecessor=lib.exemplary)

    client.force_login(lib.officer_b)
    other = client.get(lib.exemplary.get_absolute_url()).content.decode()
    client.force_login(lib.officer_a)
    own = client.get(lib.exemplary.get_absolute_url()).content.decode()

    assert "năm sau" not in other
    assert continuation.get_absolute_url() not in other
    assert continuation.get_absolute_url() in own


@pytest.mark.parametrize(
    "who", ["outside_officer", "officer_a", "officer_b", "secretariat", "leader", "outsider"]
)
def test_library_reader_q_is_per_row_and_reads_the_same_models_as_the_library(lib, who):
    """The reader's ``Q`` is conditions on the row (no ``pk IN`` the whole library), and it
    selects exactly the models ``library_models(user=…)`` lists (what the ``pk IN`` form
    selected), for an officer of another province too; the rule agrees model by model."""
    from models_registry.models import DvkModel
    from reports.showcase import library_models, library_reader

    user = getattr(lib, who)
    q = library_reader.q(user)

    per_row = set(DvkModel.objects.filter(q).values_list("pk", flat=True))
    library = set(library_models(user=user).values_list("pk", flat=True))
    by_rule = {m.pk for m in DvkModel.objects.all() if library_reader.predicate(user, m)}

    assert '"models_registry_dvkmodel"."id" IN' not in str(DvkModel.objects.filter(q).query)
    assert per_row == library == by_rule
    if who == "outside_officer":
        assert per_row == {lib.foreign.pk}
