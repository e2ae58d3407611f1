"""The secretariat's pages: permissions, the rubric builder, assignment, finalisation,
export, and query counts that do not grow with the number of models."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from openpyxl import load_workbook

from evaluation import services
from evaluation.enums import RoundStatus
from evaluation.models import Assignment, Result, Round, Rubric
from tests.factories import CommitteeMemberFactory, RoundEntryFactory, RoundFactory
from tests.factories.evaluation import accepted_model, open_round, sheet_of

from .helpers import scored_round

pytestmark = pytest.mark.django_db


def _pages(round_, rubric, committee):
    return [
        reverse("evaluation:rubric_list"),
        reverse("evaluation:rubric_create"),
        reverse("evaluation:rubric_detail", args=[rubric.pk]),
        reverse("evaluation:committee_list"),
        reverse("evaluation:committee_create"),
        reverse("evaluation:committee_detail", args=[committee.pk]),
        reverse("evaluation:round_list"),
        reverse("evaluation:round_create"),
        reverse("evaluation:round_detail", args=[round_.pk]),
        reverse("evaluation:round_update", args=[round_.pk]),
        reverse("evaluation:round_assignments", args=[round_.pk]),
        reverse("evaluation:round_results", args=[round_.pk]),
    ]


def _object_pages(round_, rubric, committee):
    return [
        url
        for url in _pages(round_, rubric, committee)
        if any(str(pk) in url.split("/") for pk in (round_.pk, rubric.pk, committee.pk))
    ]


def test_manage_pages_secretariat_in_scope_ok(client, people, round_, committee):
    client.force_login(people.secretariat)
    for url in _pages(round_, round_.rubric_collective, committee):
        assert client.get(url).status_code == 200, url


def test_manage_pages_other_province_secretariat_404(client, people, round_, committee):
    client.force_login(people.other_secretariat)
    urls = _object_pages(round_, round_.rubric_collective, committee)
    assert len(urls) == 6
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_manage_pages_unit_officer_404(client, people, round_, committee):
    client.force_login(people.officer)
    for url in _pages(round_, round_.rubric_collective, committee):
        assert client.get(url).status_code == 404, url


def test_manage_pages_other_secretariat_lists_exclude_foreign_objects(
    client, people, round_, committee
):
    client.force_login(people.other_secretariat)
    assert round_.name not in client.get(reverse("evaluation:round_list")).content.decode()
    assert committee.name not in client.get(reverse("evaluation:committee_list")).content.decode()


def test_manage_pages_committee_member_404(client, round_, committee, members):
    client.force_login(members[0].user)
    for url in _pages(round_, round_.rubric_collective, committee):
        assert client.get(url).status_code == 404, url


def test_manage_pages_anonymous_redirects_to_login(client, round_, committee):
    for url in _pages(round_, round_.rubric_collective, committee):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_transition_get_not_allowed(client, people, round_):
    client.force_login(people.secretariat)
    response = client.get(reverse("evaluation:round_open", args=[round_.pk]))
    assert response.status_code == 405


# --- Rubrics ------------------------------------------------------------------------------


def _builder_data(rubric, criteria, tiers, *, total="100", name=None):
    data = {
        "rubric-name": name or rubric.name,
        "rubric-campaign": "",
        "rubric-applies_to": rubric.applies_to,
        "rubric-total_points": total,
        "criteria-TOTAL_FORMS": str(len(criteria)),
        "criteria-INITIAL_FORMS": str(sum(1 for c in criteria if c.get("id"))),
        "tiers-TOTAL_FORMS": str(len(tiers)),
        "tiers-INITIAL_FORMS": str(len(tiers)),
    }
    for i, row in enumerate(criteria):
        for key, value in row.items():
            data[f"criteria-{i}-{key}"] = value
    for i, row in enumerate(tiers):
        for key, value in row.items():
            data[f"tiers-{i}-{key}"] = value
    return data


TIERS = [{"name": "Xuất sắc", "min_score": "90"}, {"name": "Đạt", "min_score": "0"}]


def test_rubric_create_default_makes_complete_rubric(client, people, campaign):
    client.force_login(people.secretariat)
    response = client.post(
        reverse("evaluation:rubric_create"),
        {
            "mode": "default",
            "organiser": campaign.organiser.pk,
            "campaign": campaign.pk,
            "applies_to": "collective",
            "total_points": "100",
        },
    )
    rubric = Rubric.objects.get(organiser=campaign.organiser)
    assert response.status_code == 302
    assert rubric.criteria.count() == 6
    assert rubric.tiers.count() == 5


def test_rubric_create_blank_without_name_shows_error(client, people, campaign):
    client.force_login(people.secretariat)
    response = client.post(
        reverse("evaluation:rubric_create"),
        {
            "mode": "blank",
            "organiser": campaign.organiser.pk,
            "applies_to": "collective",
            "total_points": "100",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not Rubric.objects.filter(organiser=campaign.organiser).exists()


def test_rubric_builder_points_not_adding_up_keeps_input_saves_nothing(client, people, round_):
    rubric = round_.rubric_collective
    before = list(rubric.criteria.values_list("title", "max_points"))
    client.force_login(people.secretariat)
    criteria = [
        {"title": "Nội dung", "max_points": "40", "position": "1"},
        {"title": "Hiệu quả", "max_points": "12,3", "position": "2"},
        {"title": "", "max_points": "30", "position": "3"},
    ]
    response = client.post(
        reverse("evaluation:rubric_detail", args=[rubric.pk]),
        _builder_data(rubric, criteria, TIERS, name="Tên mới"),
    )
    assert response.status_code == 200
    formset = response.context["criteria_formset"]
    assert formset.forms[1].errors["max_points"] == [gettext("Points go in steps of 0.5.")]
    assert formset.forms[2].errors["title"]
    assert response.context["posted_sum"] == Decimal("82.3")
    body = response.content.decode()
    assert 'value="12,3"' in body
    assert 'value="Tên mới"' in body
    rubric.refresh_from_db()
    assert rubric.name != "Tên mới"
    assert list(rubric.criteria.values_list("title", "max_points")) == before


def test_rubric_builder_sum_mismatch_is_a_general_error(client, people, round_):
    rubric = round_.rubric_collective
    client.force_login(people.secretariat)
    criteria = [{"title": "A", "max_points": "40"}, {"title": "B", "max_points": "50"}]
    response = client.post(
        reverse("evaluation:rubric_detail", args=[rubric.pk]),
        _builder_data(rubric, criteria, TIERS),
    )
    assert "90" in " ".join(response.context["criteria_formset"].non_form_errors())
    assert rubric.criteria.count() == 1


def test_rubric_builder_valid_saves_in_position_order(client, people, round_):
    rubric = round_.rubric_collective
    client.force_login(people.secretariat)
    criteria = [
        {"title": "Second", "max_points": "60", "position": "2"},
        {"title": "First", "max_points": "40", "position": "1"},
        {"title": "", "max_points": "", "position": ""},  # an untouched extra row
    ]
    response = client.post(
        reverse("evaluation:rubric_detail", args=[rubric.pk]),
        _builder_data(rubric, criteria[:2], TIERS),
    )
    assert response.status_code == 302
    assert list(rubric.criteria.order_by("position").values_list("title", flat=True)) == [
        "First",
        "Second",
    ]
    assert list(rubric.tiers.values_list("name", flat=True)) == ["Xuất sắc", "Đạt"]


def test_rubric_frozen_is_read_only_and_new_version_works(client, people, round_, committee):
    scored_round(round_, committee, [[80]], by=people.secretariat)
    rubric = round_.rubric_collective
    client.force_login(people.secretariat)
    response = client.get(reverse("evaluation:rubric_detail", args=[rubric.pk]))
    assert "criteria_formset" not in response.context
    assert gettext("Create a new version") in response.content.decode()
    response = client.post(reverse("evaluation:rubric_new_version", args=[rubric.pk]))
    new = Rubric.objects.get(previous_version=rubric)
    assert response.url == reverse("evaluation:rubric_detail", args=[new.pk])
    assert new.version == 2


# --- Committees and rounds ----------------------------------------------------------------


def test_committee_add_member_and_deactivate(client, people, committee, province):
    reviewer = CommitteeMemberFactory().user
    reviewer.unit = province
    reviewer.save()
    client.force_login(people.secretariat)
    url = reverse("evaluation:committee_detail", args=[committee.pk])
    response = client.post(url, {"user": reviewer.pk, "role": "member"})
    assert response.status_code == 302
    member = committee.members.get(user=reviewer)
    client.post(reverse("evaluation:member_deactivate", args=[member.pk]))
    member.refresh_from_db()
    assert member.active is False


def test_committee_member_picker_excludes_users_out_of_scope(client, people, committee):
    client.force_login(people.secretariat)
    response = client.post(
        reverse("evaluation:committee_detail", args=[committee.pk]),
        {"user": people.other_secretariat.pk, "role": "member"},
    )
    assert response.status_code == 200
    assert response.context["member_form"].errors["user"]


def test_round_create_and_populate(client, people, campaign, round_):
    client.force_login(people.secretariat)
    response = client.post(
        reverse("evaluation:round_create"),
        {
            "campaign": campaign.pk,
            "scope_unit": campaign.organiser.pk,
            "name": "Vòng tỉnh",
            "rubric_collective": round_.rubric_collective_id,
            "admit_collective_models": "on",
            "reviewers_per_model": "3",
            "visibility": "after_submit",
            "aggregation": "mean",
            "rank_by": "raw",
        },
    )
    new = Round.objects.get(name="Vòng tỉnh")
    assert response.url == reverse("evaluation:round_detail", args=[new.pk])
    accepted_model(campaign)
    response = client.post(reverse("evaluation:round_populate", args=[new.pk]), follow=True)
    assert new.entries.count() == 1
    assert (
        ngettext(
            "%(added)d model added, %(kept)d already in the round.",
            "%(added)d models added, %(kept)d already in the round.",
            1,
        )
        % {
            "added": 1,
            "kept": 0,
        }
        in response.content.decode()
    )


def test_round_create_bad_input_keeps_form(client, people, campaign):
    client.force_login(people.secretariat)
    response = client.post(
        reverse("evaluation:round_create"),
        {
            "campaign": campaign.pk,
            "scope_unit": campaign.organiser.pk,
            "name": "Không có tiêu chí",
            "admit_collective_models": "on",
            "reviewers_per_model": "2",
            "visibility": "after_submit",
            "aggregation": "mean",
            "rank_by": "raw",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["rubric_collective"]
    assert not Round.objects.filter(name="Không có tiêu chí").exists()


# --- Assignment ---------------------------------------------------------------------------


def test_auto_assign_via_page(client, people, round_, members):
    entries = [RoundEntryFactory(round=round_) for _ in range(3)]
    client.force_login(people.secretariat)
    response = client.post(reverse("evaluation:assignments_auto", args=[round_.pk]), follow=True)
    assert Assignment.objects.filter(round=round_).count() == 2 * len(entries)
    assert (
        ngettext("%(count)d assignment has been made.", "%(count)d assignments have been made.", 6)
        % {"count": 6}
        in response.content.decode()
    )


def test_auto_assign_reports_uncovered(client, people, round_, committee):
    CommitteeMemberFactory(committee=committee)
    RoundEntryFactory(round=round_)
    client.force_login(people.secretariat)
    response = client.post(reverse("evaluation:assignments_auto", args=[round_.pk]), follow=True)
    assert gettext("Not enough eligible reviewers for: %(entries)s").split(":")[0] in (
        response.content.decode()
    )


def test_bulk_assign_shows_refused_pairs(client, people, round_, members, commune):
    own = CommitteeMemberFactory(committee=members[0].committee)
    own.user.unit = commune
    own.user.save()
    entry = RoundEntryFactory(round=round_, dvk_model=accepted_model(round_.campaign, unit=commune))
    client.force_login(people.secretariat)
    response = client.post(
        reverse("evaluation:assignments_bulk", args=[round_.pk]),
        {"entries": [entry.pk], "reviewers": [members[0].user.pk, own.user.pk]},
    )
    assert response.status_code == 200
    assert len(response.context["refused"]) == 1
    assert Assignment.objects.filter(entry=entry).count() == 1


def test_bulk_assign_without_ticks_shows_errors(client, people, round_, members):
    RoundEntryFactory(round=round_)
    client.force_login(people.secretariat)
    response = client.post(reverse("evaluation:assignments_bulk", args=[round_.pk]), {})
    assert response.context["bulk_form"].errors["entries"] == [gettext("Tick at least one model.")]


def test_conflict_approve_via_page(client, people, round_, members):
    entry = RoundEntryFactory(round=round_)
    open_round(round_, by=people.secretariat)
    assignment = services.assignment_add(
        entry=entry, reviewer=members[0].user, by=people.secretariat
    )
    services.assignment_declare_conflict(assignment=assignment, by=members[0].user, reason="Quê")
    client.force_login(people.secretariat)
    page = client.get(reverse("evaluation:round_assignments", args=[round_.pk]))
    assert "Quê" in page.content.decode()
    client.post(
        reverse("evaluation:assignment_resolve", args=[round_.pk, assignment.pk]),
        {"decision": "approve"},
    )
    assignment.refresh_from_db()
    assert assignment.conflict_status == "approved"
    active = Assignment.objects.filter(entry=entry).exclude(conflict_status="approved")
    assert members[0].user.pk not in active.values_list("reviewer", flat=True)
    assert active.count() == 2


def test_reopen_sheet_without_reason_shows_error(client, people, round_, committee):
    entries, _members = scored_round(round_, committee, [[70]], by=people.secretariat)
    sheet = sheet_of(Assignment.objects.get(entry=entries[0]))
    client.force_login(people.secretariat)
    url = reverse("evaluation:sheet_reopen", args=[round_.pk])
    response = client.post(url, {"sheet": sheet.pk, "reason": ""})
    assert response.context["reopen_form"].errors["reason"]
    client.post(url, {"sheet": sheet.pk, "reason": "Nhập nhầm điểm"})
    sheet.refresh_from_db()
    assert sheet.status == "in_progress"


# --- Results and finalisation -------------------------------------------------------------


def test_finalise_via_page(client, people, round_, committee):
    scored_round(round_, committee, [[90, 80], [60, 70]], by=people.secretariat)
    client.force_login(people.secretariat)
    url = reverse("evaluation:round_finalise", args=[round_.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {})
    assert response.url == reverse("evaluation:round_results", args=[round_.pk])
    round_.refresh_from_db()
    assert round_.status == RoundStatus.FINALISED
    assert Result.objects.filter(round=round_).count() == 2
    page = client.get(response.url)
    assert [r.rank for r in page.context["rows"]] == [1, 2]


def test_finalise_with_open_sheets_needs_force(client, people, round_, committee):
    entries, _members = scored_round(round_, committee, [[90]], by=people.secretariat)
    services.assignment_add(
        entry=entries[0],
        reviewer=CommitteeMemberFactory(committee=committee).user,
        by=people.secretariat,
    )
    client.force_login(people.secretariat)
    url = reverse("evaluation:round_finalise", args=[round_.pk])
    response = client.post(url, {})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert client.post(url, {"force": "on"}).status_code == 302
    round_.refresh_from_db()
    assert round_.is_finalised


def test_exemplary_toggle_after_finalise(client, people, round_, committee):
    scored_round(round_, committee, [[95]], by=people.secretariat)
    services.round_finalise(round=round_, by=people.secretariat)
    result = Result.objects.get(round=round_)
    assert result.exemplary is True
    client.force_login(people.secretariat)
    client.post(
        reverse("evaluation:result_exemplary", args=[round_.pk, result.pk]), {"exemplary": "0"}
    )
    result.refresh_from_db()
    assert result.exemplary is False


def test_results_export_xlsx(client, people, round_, committee):
    entries, _m = scored_round(round_, committee, [[88, 84]], by=people.secretariat)
    client.force_login(people.secretariat)
    response = client.get(reverse("evaluation:round_results", args=[round_.pk]), {"format": "xlsx"})
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    data = rows[4]
    assert data[0] == 1
    assert data[1] == entries[0].dvk_model.name
    assert data[5] == 86.0


def test_results_leader_sees_final_results_without_reviewers(client, people, round_, committee):
    scored_round(round_, committee, [[80]], by=people.secretariat)
    client.force_login(people.leader)
    url = reverse("evaluation:round_results", args=[round_.pk])
    assert client.get(url).status_code == 404  # live results are the secretariat's
    services.round_finalise(round=round_, by=people.secretariat)
    response = client.get(url)
    assert response.status_code == 200
    assert 'id="reviewers-title"' not in response.content.decode()
    reviewers_url = reverse("evaluation:round_results_reviewers", args=[round_.pk])
    assert client.get(reviewers_url).status_code == 404


# --- Query counts -------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow_scored(round_, committee, by, n):
    return scored_round(round_, committee, [[80, 70]] * n, by=by)


@pytest.mark.parametrize("page_name", ["round_list", "round_assignments", "round_results"])
def test_query_count_does_not_grow_with_entries(client, people, campaign, committee, page_name):
    counts = []
    for n in (1, 30):
        round_ = RoundFactory(campaign=campaign, created_by=people.secretariat)
        _grow_scored(round_, committee, people.secretariat, n)
        client.force_login(people.secretariat)
        url = (
            reverse("evaluation:round_list")
            if page_name == "round_list"
            else reverse(f"evaluation:{page_name}", args=[round_.pk])
        )
        counts.append(_count(client, url))
    assert counts[0] == counts[1]


def test_round_list_leader_reaches_finalised_results_only(client, people, round_, committee):
    from evaluation import services

    scored_round(round_, committee, [[80]], by=people.secretariat)
    services.round_finalise(round=round_, by=people.secretariat)
    client.force_login(people.leader)

    response = client.get(reverse("evaluation:round_list"))

    assert response.status_code == 200
    assert reverse("evaluation:round_create") not in response.text
    assert f'href="{reverse("evaluation:round_detail", args=[round_.pk])}"' not in response.text
    assert reverse("evaluation:round_results", args=[round_.pk]) in response.text
    assert client.get(reverse("evaluation:round_results", args=[round_.pk])).status_code == 200
