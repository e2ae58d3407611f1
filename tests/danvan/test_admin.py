"""The admin cannot do what a service refuses, and bad input is a form error, not a 500.

Issue 7 (admin guard rails): a frozen rubric's criteria and tiers, an open or finalised
round's rules, results and submitted sheets, a model's workflow fields and its version
counter, the activity log. Issue 8 item 8 (a finalised round's results cannot change by any
route) and item 14 (autocomplete fields posted with a value that is not a key).
"""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from danvan.activity import log_action
from danvan.admin import SafeInputAdminMixin
from danvan.models import ActivityLog, Unit
from evaluation import services
from evaluation.enums import Aggregation, RankBy, RoundStatus
from evaluation.models import Criterion, CriterionScore, Result, Round, ScoreSheet, Tier
from models_registry.enums import ModelStatus
from models_registry.models import DvkModel
from tests.evaluation.helpers import scored_round
from tests.factories import (
    CampaignFactory,
    CommitteeFactory,
    RoundFactory,
    UnitFactory,
    UserFactory,
)
from tests.factories.registry import dvk_model_in_status, secretariat_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = UserFactory(is_superuser=True, is_staff=True, unit=None)
    client.force_login(user)
    return user


@pytest.fixture
def finalised(superuser):
    """A finalised round with two scored entries, and its secretariat."""
    campaign = CampaignFactory()
    secretariat = secretariat_for(campaign)
    round_ = RoundFactory(campaign=campaign, created_by=secretariat)
    committee = CommitteeFactory(unit=campaign.organiser)
    scored_round(round_, committee, [[80, 90], [60, 70]], by=secretariat)
    services.round_finalise(round=round_, by=secretariat)
    round_.refresh_from_db()
    return round_


@pytest.fixture
def open_scored(superuser):
    """An open round with one entry scored by two reviewers (its rubric is frozen)."""
    campaign = CampaignFactory()
    secretariat = secretariat_for(campaign)
    round_ = RoundFactory(campaign=campaign, created_by=secretariat)
    committee = CommitteeFactory(unit=campaign.organiser)
    scored_round(round_, committee, [[80, 90]], by=secretariat)
    round_.refresh_from_db()
    return round_


def _url(obj, view="change"):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk])


def _round_post(round_, **changes):
    data = {
        "name": round_.name,
        "campaign": round_.campaign_id,
        "scope_unit": round_.scope_unit_id,
        "rubric_collective": round_.rubric_collective_id or "",
        "rubric_individual": round_.rubric_individual_id or "",
        "admit_collective_models": "on",
        "admit_collective_exemplars": "on",
        "reviewers_per_model": round_.reviewers_per_model,
        "scoring_opens": round_.scoring_opens.isoformat(),
        "scoring_closes": round_.scoring_closes.isoformat(),
        "visibility": round_.visibility,
        "aggregation": round_.aggregation,
        "rank_by": round_.rank_by,
    }
    data.update(changes)
    return data


# --- Rounds ------------------------------------------------------------------------------


def test_admin_finalised_round_page_shows_every_rule_read_only(client, finalised):
    """Issue 7: the rules of a finalised round are read-only in the admin."""
    response = client.get(_url(finalised))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "aggregation" not in form.fields
    assert "rank_by" not in form.fields
    assert "name" not in form.fields


def test_admin_finalised_round_post_does_not_change_its_policy(client, finalised):
    """Issue 8 item 8: the policy the results page reads cannot change after finalising."""
    before = (finalised.aggregation, finalised.rank_by, finalised.reviewers_per_model)

    client.post(
        _url(finalised),
        _round_post(
            finalised,
            aggregation=Aggregation.MEDIAN,
            rank_by=RankBy.CALIBRATED,
            reviewers_per_model=5,
            name="Đổi tên",
        ),
    )

    finalised.refresh_from_db()
    assert (finalised.aggregation, finalised.rank_by, finalised.reviewers_per_model) == before
    assert finalised.name != "Đổi tên"


def test_admin_open_round_rules_are_read_only_but_the_name_is_not(client, open_scored):
    response = client.get(_url(open_scored))

    fields = response.context["adminform"].form.fields
    assert "name" in fields
    assert not {"aggregation", "rank_by", "reviewers_per_model", "scoring_closes"} & set(fields)
    assert not {"scope_unit", "admit_individual_exemplars", "rubric_collective"} & set(fields)


def test_admin_open_round_post_does_not_change_its_rules(client, open_scored):
    client.post(
        _url(open_scored),
        _round_post(open_scored, aggregation=Aggregation.MEDIAN, admit_individual_exemplars="on"),
    )

    open_scored.refresh_from_db()
    assert open_scored.aggregation == Aggregation.MEAN
    assert open_scored.admit_individual_exemplars is False


def test_admin_draft_round_rules_stay_editable(client, superuser):
    round_ = RoundFactory()

    response = client.post(_url(round_), _round_post(round_, aggregation=Aggregation.MEDIAN))

    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.aggregation == Aggregation.MEDIAN


@pytest.mark.parametrize("status", [RoundStatus.OPEN, RoundStatus.FINALISED])
def test_admin_started_round_cannot_be_deleted(client, open_scored, status, finalised):
    """Issue 7: deleting an open or finalised round would lose its sheets and results."""
    round_ = open_scored if status == RoundStatus.OPEN else finalised

    response = client.post(_url(round_, "delete"), {"post": "yes"})

    assert response.status_code == 403
    assert Round.objects.filter(pk=round_.pk).exists()


def test_admin_round_list_has_no_bulk_delete(client, finalised):
    response = client.post(
        reverse("admin:evaluation_round_changelist"),
        {"action": "delete_selected", "_selected_action": [finalised.pk], "post": "yes"},
    )

    assert response.status_code in (200, 302)
    assert Round.objects.filter(pk=finalised.pk).exists()


# --- Results and sheets ---------------------------------------------------------------------


def test_admin_result_cannot_be_deleted_or_changed(client, finalised):
    """Issue 8 item 8: the admin could delete Result rows of a finalised round."""
    result = Result.objects.filter(round=finalised).first()
    score = result.score_used

    delete = client.post(_url(result, "delete"), {"post": "yes"})
    client.post(_url(result), {"score_used": "1", "rank": "9"})

    assert delete.status_code == 403
    result.refresh_from_db()
    assert result.score_used == score
    assert Result.objects.filter(round=finalised).count() == 2


def test_admin_result_page_is_view_only(client, finalised):
    result = Result.objects.filter(round=finalised).first()

    response = client.get(_url(result))

    assert response.status_code == 200
    assert list(response.context["adminform"].form.fields) == []


def test_admin_submitted_sheet_cannot_be_deleted_or_changed(client, open_scored):
    """Issue 7: a submitted sheet and its scores keep their history."""
    sheet = ScoreSheet.objects.filter(assignment__round=open_scored).first()
    scores = list(sheet.scores.values_list("pk", "points"))

    get = client.get(_url(sheet))
    delete = client.post(_url(sheet, "delete"), {"post": "yes"})
    client.post(_url(sheet), {"overall_comment": "sửa", "scores-TOTAL_FORMS": "0"})

    assert get.status_code == 200
    assert list(get.context["adminform"].form.fields) == []
    inline = get.context["inline_admin_formsets"][0]
    assert not inline.has_add_permission
    assert not inline.has_delete_permission
    assert delete.status_code == 403
    sheet.refresh_from_db()
    assert sheet.overall_comment != "sửa"
    assert list(sheet.scores.values_list("pk", "points")) == scores


def test_admin_sheet_history_cannot_be_reverted(client, open_scored):
    sheet = ScoreSheet.objects.filter(assignment__round=open_scored).first()
    version = sheet.history.order_by("history_id").first()
    url = reverse("admin:evaluation_scoresheet_simple_history", args=[sheet.pk, version.history_id])

    response = client.post(url, {})

    assert response.status_code == 403
    sheet.refresh_from_db()
    assert sheet.status == "submitted"


def test_admin_assignment_of_a_started_round_cannot_be_deleted(client, open_scored):
    assignment = open_scored.assignments.first()

    response = client.post(_url(assignment, "delete"), {"post": "yes"})

    assert response.status_code == 403
    assert ScoreSheet.objects.filter(assignment=assignment).exists()


# --- Rubrics -----------------------------------------------------------------------------------


def test_admin_frozen_rubric_criteria_and_tiers_are_read_only(client, open_scored):
    """Issue 7: the criteria and tiers of a rubric that has scores cannot change."""
    rubric = open_scored.rubric_collective
    assert Tier.objects.filter(rubric=rubric).exists()

    response = client.get(_url(rubric))

    assert response.status_code == 200
    for inline in response.context["inline_admin_formsets"]:
        assert not inline.has_add_permission
        assert not inline.has_delete_permission
        for form in inline:
            assert not [f for f in form.form.fields if f in ("title", "max_points", "min_score")]
    assert "total_points" not in response.context["adminform"].form.fields


def test_admin_frozen_rubric_post_changes_no_criterion(client, open_scored):
    rubric = open_scored.rubric_collective
    criterion = Criterion.objects.get(rubric=rubric)

    client.post(
        _url(rubric),
        {
            "name": rubric.name,
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "1",
            "criteria-0-id": criterion.pk,
            "criteria-0-rubric": rubric.pk,
            "criteria-0-title": "Đổi",
            "criteria-0-max_points": "1",
            "criteria-0-DELETE": "on",
            "tiers-TOTAL_FORMS": "0",
            "tiers-INITIAL_FORMS": "0",
        },
    )

    criterion.refresh_from_db()
    assert (criterion.title, criterion.max_points) != ("Đổi", Decimal("1"))
    assert CriterionScore.objects.filter(criterion=criterion).exists()


def test_admin_frozen_rubric_cannot_be_deleted(client, open_scored):
    rubric = open_scored.rubric_collective

    response = client.post(_url(rubric, "delete"), {"post": "yes"})

    assert response.status_code == 403


def test_admin_rubric_without_scores_stays_editable(client, superuser):
    rubric = RoundFactory().rubric_collective

    response = client.get(_url(rubric))

    inlines = response.context["inline_admin_formsets"]
    assert all(inline.has_add_permission for inline in inlines)
    assert all(inline.has_delete_permission for inline in inlines)
    assert "total_points" in response.context["adminform"].form.fields


# --- Registered models -------------------------------------------------------------------------


def test_admin_model_workflow_fields_are_read_only(client, superuser):
    """Issue 7: status, version and dates belong to the workflow services."""
    dvk_model = dvk_model_in_status(ModelStatus.ACCEPTED)

    response = client.get(_url(dvk_model))

    fields = response.context["adminform"].form.fields
    assert not {"status", "version", "submitted_at", "accepted_at", "campaign", "unit"} & set(
        fields
    )
    assert "name" in fields


def test_admin_model_edit_bumps_the_version_and_keeps_the_status(client, superuser):
    """Issue 7: an admin repair is seen by an open form as a newer version."""
    dvk_model = dvk_model_in_status(ModelStatus.SUBMITTED)
    version = dvk_model.version
    data = {
        field.name: getattr(dvk_model, field.attname) or ""
        for field in DvkModel._meta.fields
        if field.editable and field.name not in ("id",)
    }
    data.update(name="Tên đã sửa", status=ModelStatus.ACCEPTED, version=1)
    data.update({"attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0"})

    response = client.post(_url(dvk_model), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    dvk_model.refresh_from_db()
    assert dvk_model.name == "Tên đã sửa"
    assert dvk_model.status == ModelStatus.SUBMITTED
    assert dvk_model.version == version + 1


def test_admin_submitted_model_cannot_be_deleted(client, superuser):
    dvk_model = dvk_model_in_status(ModelStatus.SUBMITTED)

    response = client.post(_url(dvk_model, "delete"), {"post": "yes"})

    assert response.status_code == 403
    assert DvkModel.objects.filter(pk=dvk_model.pk).exists()


def test_admin_model_history_cannot_restore_an_old_status(client, superuser):
    dvk_model = dvk_model_in_status(ModelStatus.ACCEPTED)
    first = dvk_model.history.order_by("history_id").first()
    url = reverse(
        "admin:models_registry_dvkmodel_simple_history", args=[dvk_model.pk, first.history_id]
    )

    response = client.post(url, {"name": dvk_model.name})

    assert response.status_code == 403
    dvk_model.refresh_from_db()
    assert dvk_model.status == ModelStatus.ACCEPTED


# --- Activity log ---------------------------------------------------------------------------------


def test_admin_activity_log_is_read_only(client, superuser):
    """Issue 7: the activity log cannot be added to, changed or deleted in the admin."""
    unit = UnitFactory()
    row = log_action(unit, "danvan.unit.test", actor=superuser, data={"reason": "x"}, unit=unit)

    page = client.get(_url(row))
    add = client.get(reverse("admin:danvan_activitylog_add"))
    change = client.post(_url(row), {"action": "khác", "data": "{}"})
    delete = client.post(_url(row, "delete"), {"post": "yes"})

    assert page.status_code == 200
    assert list(page.context["adminform"].form.fields) == []
    assert add.status_code == 403
    assert change.status_code == 403
    assert delete.status_code == 403
    row.refresh_from_db()
    assert (row.action, row.data) == ("danvan.unit.test", {"reason": "x"})
    assert (
        ActivityLog.objects.filter(content_type=ContentType.objects.get_for_model(Unit)).count()
        == 1
    )


# --- Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "²", "1.5", "-", "99999999999999999999999"])
def test_admin_add_form_with_a_bad_autocomplete_value_is_a_form_error(client, superuser, value):
    """Issue 8 item 14: a non-numeric autocomplete value answered 500."""
    response = client.post(
        reverse("admin:danvan_unit_add"),
        {
            "name": "Xã Mới",
            "kind": "commune",
            "parent": value,
            "position": "0",
            "successions_out-TOTAL_FORMS": "0",
            "successions_out-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert not Unit.objects.filter(name="Xã Mới").exists()


def test_admin_many_to_many_autocomplete_with_a_bad_value_is_a_form_error(client, superuser):
    committee = CommitteeFactory()
    user = UserFactory()

    response = client.post(
        reverse("admin:evaluation_committee_change", args=[committee.pk]),
        {
            "name": committee.name,
            "unit": committee.unit_id,
            "members-TOTAL_FORMS": "1",
            "members-INITIAL_FORMS": "0",
            "members-0-user": user.pk,
            "members-0-role": "member",
            "members-0-followed_units": ["abc"],
            "members-0-active": "on",
        },
    )

    assert response.status_code == 200


def test_admin_search_with_a_nul_byte_answers(client, superuser):
    UnitFactory(name="Xã Cẩm Xuyên")

    changelist = client.get(reverse("admin:danvan_unit_changelist"), {"q": "Cẩm\x00"})
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Cẩm\x00",
            "app_label": "danvan",
            "model_name": "user",
            "field_name": "unit",
        },
    )

    assert changelist.status_code == 200
    assert autocomplete.status_code == 200


def test_every_admin_with_autocomplete_fields_uses_the_safe_widgets():
    """A new admin that forgets the mixin would bring the 500 back."""
    missing = []
    for model_admin in admin.site._registry.values():
        inlines = [inline(model_admin.model, admin.site) for inline in model_admin.inlines]
        for candidate in [model_admin, *inlines]:
            if candidate.autocomplete_fields and not isinstance(candidate, SafeInputAdminMixin):
                missing.append(type(candidate).__name__)
    assert missing == []


def test_generated_files_are_read_only_in_the_admin(client, superuser):
    from danvan.models import GeneratedFile

    job = GeneratedFile.objects.create(kind="tests.echo", title="Báo cáo năm 2025 (PDF)")
    change = reverse("admin:danvan_generatedfile_change", args=[job.pk])

    assert client.get(reverse("admin:danvan_generatedfile_changelist")).status_code == 200
    assert client.get(change).status_code == 200
    assert client.post(change, {"title": "x"}).status_code == 403
    assert client.get(reverse("admin:danvan_generatedfile_add")).status_code == 403
    assert (
        client.get(reverse("admin:danvan_generatedfile_delete", args=[job.pk])).status_code == 403
    )
    job.refresh_from_db()
    assert job.title == "Báo cáo năm 2025 (PDF)"
