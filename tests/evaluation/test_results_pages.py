"""The results page at scale (issue 14): one page of rows at a time, ranked over the whole
round before search, filters and sort apply in SQL; a bounded number of queries whatever
the size of the round; the full list as a spreadsheet, made in the background for a large
round."""

import io

import pytest
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from danvan.models import GeneratedFile
from evaluation import results_export, services
from evaluation.models import Tier
from evaluation.selectors import result_pages
from models_registry.models import DvkModel
from tests.factories import RoundFactory, UnitFactory

from .helpers import scored_round

pytestmark = pytest.mark.django_db

SCORES = [[95, 93], [88, 86], [81, 79], [70, 90], [55, 53]]  # means 94, 87, 80, 80, 54


def _url(round_, **query):
    url = reverse("evaluation:round_results", args=[round_.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _rows(response):
    return [(row.entry_id, row.rank) for row in response.context["rows"]]


@pytest.fixture
def five(round_, committee, people):
    entries, _members = scored_round(round_, committee, SCORES, by=people.secretariat)
    return entries


@pytest.fixture
def pages_of_two(monkeypatch):
    monkeypatch.setattr(result_pages, "RESULTS_PER_PAGE", 2)


# --- Pages: ranks of the whole round, one page of rows ------------------------------------


@pytest.mark.parametrize("finalised", [False, True])
def test_results_page_second_page_keeps_whole_round_ranks(
    client, people, round_, five, pages_of_two, finalised
):
    if finalised:
        services.round_finalise(round=round_, by=people.secretariat)
    client.force_login(people.secretariat)

    response = client.get(_url(round_, page=2))

    assert _rows(response) == [(five[2].pk, 3), (five[3].pk, 3)]
    assert response.context["page_obj"].paginator.count == 5
    assert response.context["page_obj"].paginator.num_pages == 3


def test_results_page_past_the_end_shows_the_last_page(client, people, round_, five, pages_of_two):
    client.force_login(people.secretariat)

    response = client.get(_url(round_, page=99))

    assert response.status_code == 200
    assert _rows(response) == [(five[4].pk, 5)]
    assert response.context["page_obj"].number == 3


def test_results_page_links_keep_filters_and_sort(client, people, round_, five, pages_of_two):
    client.force_login(people.secretariat)

    content = client.get(_url(round_, sort="name", flag="", q="mo")).content.decode()

    assert "?sort=name&amp;flag=&amp;q=mo&amp;page=2" in content
    assert "?sort=name&amp;flag=&amp;q=mo&amp;format=xlsx" in content


# --- Search, filters and sort in SQL, after ranking --------------------------------------


@pytest.mark.parametrize("finalised", [False, True])
def test_results_search_ignores_diacritics_and_keeps_rank(client, people, round_, five, finalised):
    third = DvkModel.objects.get(pk=five[2].dvk_model_id)
    third.name = "Thôn Hoà dân vận khéo"
    third.save()
    if finalised:
        services.round_finalise(round=round_, by=people.secretariat)
    client.force_login(people.secretariat)

    response = client.get(_url(round_, q="THON hoa"))

    assert _rows(response) == [(five[2].pk, 3)]


def test_results_search_matches_the_unit_name(client, people, round_, committee, campaign):
    unit = UnitFactory(name="Xã Đồng Lộc")
    entries, _ = scored_round(round_, committee, [[80], [70]], by=people.secretariat, unit=unit)
    scored_round(round_, committee, [[90]], by=people.secretariat)
    client.force_login(people.secretariat)

    response = client.get(_url(round_, q="dong loc"))

    assert _rows(response) == [(entries[0].pk, 2), (entries[1].pk, 3)]


def test_results_search_percent_sign_is_literal(client, people, round_, five):
    client.force_login(people.secretariat)

    response = client.get(_url(round_, q="%"))

    assert _rows(response) == []
    assert gettext("No result matches these filters.") in response.content.decode()


@pytest.mark.parametrize("finalised", [False, True])
def test_results_flag_disagreement_keeps_only_flagged_rows(client, people, round_, five, finalised):
    if finalised:
        services.round_finalise(round=round_, by=people.secretariat)
    client.force_login(people.secretariat)

    response = client.get(_url(round_, flag="disagreement"))

    assert _rows(response) == [(five[3].pk, 3)]  # 70 and 90: 20 points apart


@pytest.mark.parametrize("finalised", [False, True])
def test_results_tier_filter_keeps_rank_of_the_whole_round(client, people, round_, five, finalised):
    if finalised:
        services.round_finalise(round=round_, by=people.secretariat)
    good = Tier.objects.get(rubric=round_.rubric_collective, min_score=80)
    client.force_login(people.secretariat)

    response = client.get(_url(round_, tier=good.pk))

    assert _rows(response) == [(five[1].pk, 2), (five[2].pk, 3), (five[3].pk, 3)]


@pytest.mark.parametrize("finalised", [False, True])
def test_results_sort_by_name_in_vietnamese_order(client, people, round_, five, finalised):
    names = ["Đường hoa", "Dân vận", "Ấp sạch", "An toàn", "Bản đẹp"]
    for entry, name in zip(five, names, strict=True):
        DvkModel.objects.filter(pk=entry.dvk_model_id).update(name=name)
    if finalised:
        services.round_finalise(round=round_, by=people.secretariat)
    client.force_login(people.secretariat)

    response = client.get(_url(round_, sort="name"))

    shown = [row.dvk_model.name for row in response.context["rows"]]
    assert shown == ["An toàn", "Ấp sạch", "Bản đẹp", "Dân vận", "Đường hoa"]


def test_results_unknown_filter_values_show_every_row_not_500(client, people, round_, five):
    client.force_login(people.secretariat)

    response = client.get(_url(round_, tier="abc", sort="evil", page="x", flag="nope"))

    assert response.status_code == 200
    assert len(response.context["rows"]) == 5


# --- Queries: bounded whatever the size ----------------------------------------------------


@pytest.mark.parametrize("size", [3, 7])
@pytest.mark.parametrize("query", [{}, {"tier": "top"}, {"page": 2}, {"q": "mo", "sort": "unit"}])
def test_results_page_query_budget_secretariat(
    client, people, campaign, committee, django_assert_max_num_queries, size, query, pages_of_two
):
    round_ = RoundFactory(campaign=campaign, created_by=people.secretariat)
    scored_round(round_, committee, [[80, 70]] * size, by=people.secretariat)
    if query.get("tier") == "top":
        query = {"tier": Tier.objects.filter(rubric=round_.rubric_collective).first().pk}
    client.force_login(people.secretariat)

    with django_assert_max_num_queries(12):
        assert client.get(_url(round_, **query)).status_code == 200


@pytest.mark.parametrize("size", [3, 7])
@pytest.mark.parametrize("who", ["secretariat", "leader"])
def test_finalised_results_page_query_budget(
    client, people, campaign, committee, django_assert_max_num_queries, size, who, pages_of_two
):
    round_ = RoundFactory(campaign=campaign, created_by=people.secretariat)
    scored_round(round_, committee, [[80, 70]] * size, by=people.secretariat)
    services.round_finalise(round=round_, by=people.secretariat)
    tier = Tier.objects.filter(rubric=round_.rubric_collective).first()
    client.force_login(getattr(people, who))

    with django_assert_max_num_queries(12):
        assert client.get(_url(round_)).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(_url(round_, tier=tier.pk)).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(_url(round_, page=2, sort="name")).status_code == 200


# --- The export: direct for a small round, a background job for a large one --------------


def _sheet_rows(content):
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_results_export_of_large_round_is_a_job_with_the_filtered_rows(
    client, people, round_, five, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(results_export, "DIRECT_EXPORT_MAX_ENTRIES", 3)
    client.force_login(people.secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(_url(round_, format="xlsx", flag="disagreement"))

    job = GeneratedFile.objects.get(kind=results_export.KIND)
    assert response.status_code == 302
    assert response["Location"] == reverse("generated_file", args=[job.pk])
    assert client.get(response["Location"]).status_code == 200
    download = client.get(reverse("generated_file_download", args=[job.pk]))
    rows = _sheet_rows(download.content)
    prefix = gettext("PROVISIONAL — exported at %(time)s on %(date)s").split("%(time)s")[0]
    assert rows[2][0].startswith(prefix)
    assert [row[0] for row in rows[4:]] == [3]  # only the flagged row, with its rank
    assert job.params["reviewers"] is True


def test_results_export_job_of_secretariat_not_for_leader_or_other_province(
    client, people, round_, five, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(results_export, "DIRECT_EXPORT_MAX_ENTRIES", 3)
    client.force_login(people.secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(_url(round_, format="xlsx"))
    job = GeneratedFile.objects.get(kind=results_export.KIND)

    statuses = []
    for user in (people.leader, people.other_secretariat):
        client.force_login(user)
        statuses.append(client.get(reverse("generated_file_download", args=[job.pk])).status_code)

    assert statuses == [404, 404]


def test_results_export_of_small_round_is_served_at_once(client, people, round_, five):
    client.force_login(people.secretariat)

    response = client.get(_url(round_, format="xlsx", page=2))

    assert response.status_code == 200
    assert len(_sheet_rows(response.content)) == 4 + 5  # every row, not one page
    assert not GeneratedFile.objects.exists()
