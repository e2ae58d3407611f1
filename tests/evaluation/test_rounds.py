"""evaluation/services/rounds.py: settings, entries, opening, finalising and what follows."""

from decimal import Decimal

import pytest
from django.utils.translation import gettext, ngettext

from danvan.enums import Role, UnitKind
from evaluation import selectors, services
from evaluation.enums import Aggregation, RankBy, RoundStatus
from evaluation.models import Result, RoundEntry
from models_registry import services as registry
from models_registry.enums import ModelKind, ModelStatus
from tests.evaluation.helpers import scored_round
from tests.factories import (
    CampaignFactory,
    CommitteeFactory,
    RoundEntryFactory,
    RoundFactory,
    RubricFactory,
    UnitFactory,
    UserFactory,
    dvk_model_in_status,
)
from tests.factories.evaluation import (
    accepted_model,
    fill_sheet,
    open_round,
    sheet_of,
    single_criterion_rubric,
)
from tests.factories.registry import days

pytestmark = pytest.mark.django_db

FINALISED = (
    "This round has been finalised: its entries, assignments and sheets can no longer change."
)


@pytest.fixture
def rubric(province):
    return single_criterion_rubric(organiser=province)


def create_errors(**kwargs) -> dict:
    with pytest.raises(services.EvaluationError) as caught:
        services.round_create(**kwargs)
    return caught.value.errors


# --- Settings -----------------------------------------------------------------------------


def test_round_create_defaults_window_to_campaign(campaign, province, rubric, secretariat):
    round_ = services.round_create(
        campaign=campaign,
        scope_unit=province,
        by=secretariat,
        data={"name": " Đợt chấm cấp tỉnh ", "rubric_collective": rubric},
    )

    assert (round_.name, round_.status) == ("Đợt chấm cấp tỉnh", RoundStatus.DRAFT)
    assert (round_.scoring_opens, round_.scoring_closes) == (
        campaign.scoring_opens,
        campaign.scoring_closes,
    )
    assert round_.model_kinds == [ModelKind.COLLECTIVE_MODEL, ModelKind.COLLECTIVE_EXEMPLAR]


def test_round_create_without_kinds_or_rubric_refused(campaign, province, secretariat):
    errors = create_errors(
        campaign=campaign,
        scope_unit=province,
        by=secretariat,
        data={
            "name": "Đợt",
            "admit_collective_models": False,
            "admit_collective_exemplars": False,
            "admit_individual_exemplars": False,
        },
    )

    assert list(errors) == ["admit_collective_models"]


def test_round_create_kind_without_its_rubric_refused(campaign, province, rubric, secretariat):
    errors = create_errors(
        campaign=campaign,
        scope_unit=province,
        by=secretariat,
        data={"name": "Đợt", "rubric_collective": rubric, "admit_individual_exemplars": True},
    )

    assert errors == {"rubric_individual": [gettext("Choose the rubric for these models.")]}


def test_round_create_wrong_rubric_kind_campaign_and_unit_refused(campaign, province, secretariat):
    individual = single_criterion_rubric(organiser=province, applies_to="individual")
    other_campaign = RubricFactory(
        organiser=province, campaign=CampaignFactory(organiser=province, year=2001)
    )
    elsewhere = single_criterion_rubric(organiser=UnitFactory(kind=UnitKind.PROVINCE))

    for rubric, message in [
        (individual, "This rubric is for %(kind)s."),
        (other_campaign, "This rubric belongs to another campaign."),
        (elsewhere, "This rubric belongs to a unit that does not run this round."),
    ]:
        errors = create_errors(
            campaign=campaign,
            scope_unit=province,
            by=secretariat,
            data={"name": "Đợt", "rubric_collective": rubric},
        )
        assert (
            gettext(message) % {"kind": individual.get_applies_to_display()}
            in errors["rubric_collective"]
        )


def test_round_create_commune_round_may_use_province_rubric(campaign, commune, rubric, secretariat):
    round_ = services.round_create(
        campaign=campaign,
        scope_unit=commune,
        by=secretariat,
        data={"name": "Đợt cấp xã", "rubric_collective": rubric},
    )

    assert round_.scope_unit == commune


def test_round_create_scope_outside_campaign_refused(campaign, rubric, secretariat):
    errors = create_errors(
        campaign=campaign,
        scope_unit=UnitFactory(kind=UnitKind.PROVINCE),
        by=secretariat,
        data={"name": "Đợt", "rubric_collective": rubric},
    )

    assert "scope_unit" in errors


def test_round_create_window_closing_before_opening_refused(
    campaign, province, rubric, secretariat
):
    errors = create_errors(
        campaign=campaign,
        scope_unit=province,
        by=secretariat,
        data={
            "name": "Đợt",
            "rubric_collective": rubric,
            "scoring_opens": days(10),
            "scoring_closes": days(5),
        },
    )

    assert errors["__all__"] == [gettext("Scoring cannot close before it opens.")]


def test_round_update_open_round_rubric_change_refused(round_, secretariat, province):
    RoundEntryFactory(round=round_)
    open_round(round_, by=secretariat)

    with pytest.raises(services.EvaluationError):
        services.round_update(
            round=round_,
            by=secretariat,
            data={"rubric_collective": single_criterion_rubric(organiser=province)},
        )


def test_round_update_open_round_extends_window_and_changes_policy(round_, secretariat):
    RoundEntryFactory(round=round_)
    open_round(round_, by=secretariat)

    services.round_update(
        round=round_,
        by=secretariat,
        data={"scoring_closes": days(30), "aggregation": Aggregation.MEDIAN},
    )

    round_.refresh_from_db()
    assert (round_.scoring_closes, round_.aggregation) == (days(30), Aggregation.MEDIAN)


def test_round_open_incomplete_rubric_refused(campaign, province, secretariat):
    round_ = RoundFactory(
        campaign=campaign,
        created_by=secretariat,
        rubric_collective=RubricFactory(organiser=province),
    )
    RoundEntryFactory(round=round_)

    with pytest.raises(services.EvaluationError) as caught:
        services.round_open(round=round_, by=secretariat)

    assert gettext("Add at least one criterion.") in str(caught.value)


def test_round_open_without_entries_refused(round_, secretariat):
    with pytest.raises(services.EvaluationError) as caught:
        services.round_open(round=round_, by=secretariat)

    assert str(caught.value) == gettext("Add the models taking part before opening the round.")


def test_round_open_moves_draft_to_open(round_, secretariat):
    RoundEntryFactory(round=round_)

    opened = services.round_open(round=round_, by=secretariat)

    assert opened.status == RoundStatus.OPEN
    assert opened.opened_at is not None


# --- Entries ------------------------------------------------------------------------------


def test_round_populate_entries_selects_by_rules_and_is_idempotent(
    round_, campaign, commune, province, secretariat
):
    village = UnitFactory(parent=commune, kind=UnitKind.RESIDENTIAL)
    in_scope = [
        accepted_model(campaign, unit=commune, reviewer=secretariat),
        accepted_model(campaign, unit=village, reviewer=secretariat),
        accepted_model(
            campaign, unit=commune, reviewer=secretariat, kind=ModelKind.COLLECTIVE_EXEMPLAR
        ),
    ]
    accepted_model(campaign, unit=commune, reviewer=secretariat, individual=True)  # kind
    dvk_model_in_status(ModelStatus.SUBMITTED, campaign=campaign, unit=commune)  # not accepted
    other_campaign = CampaignFactory(organiser=province, year=campaign.year - 1)
    accepted_model(other_campaign, reviewer=secretariat)  # other campaign
    accepted_model(CampaignFactory(), reviewer=secretariat)  # other province

    first = services.round_populate_entries(round=round_, by=secretariat)
    second = services.round_populate_entries(round=round_, by=secretariat)

    assert sorted(
        RoundEntry.objects.filter(round=round_).values_list("dvk_model_id", flat=True)
    ) == sorted(m.pk for m in in_scope)
    assert (first.added, first.kept) == (3, 0)
    assert (second.added, second.kept, second.not_matching) == (0, 3, [])


def test_round_populate_entries_requires_submitted_result_report(
    round_, campaign, commune, secretariat
):
    round_.require_result_report = True
    round_.save(update_fields=["require_result_report"])
    reported = accepted_model(campaign, unit=commune, reviewer=secretariat)
    registry.result_report_save(
        dvk_model=reported,
        by=reported.created_by,
        data={"results": "Hoàn thành 2 km đường.", "self_assessment": "Đạt mục tiêu."},
        version=None,
        submit=True,
    )
    draft_report = accepted_model(campaign, unit=commune, reviewer=secretariat)
    registry.result_report_save(
        dvk_model=draft_report, by=draft_report.created_by, data={"results": "…"}, version=None
    )
    accepted_model(campaign, unit=commune, reviewer=secretariat)  # no report at all

    services.round_populate_entries(round=round_, by=secretariat)

    assert list(RoundEntry.objects.values_list("dvk_model_id", flat=True)) == [reported.pk]


def test_round_populate_entries_reports_entries_no_longer_matching(
    round_, campaign, commune, secretariat
):
    stray = RoundEntryFactory(
        round=round_,
        dvk_model=accepted_model(campaign, unit=commune, reviewer=secretariat, individual=True),
    )

    population = services.round_populate_entries(round=round_, by=secretariat)

    assert population.not_matching == [stray]
    assert RoundEntry.objects.filter(pk=stray.pk).exists()


def test_round_entry_remove_scored_entry_refused(round_, committee, secretariat):
    [entry], _ = scored_round(round_, committee, [[50]], by=secretariat)

    with pytest.raises(services.EvaluationError):
        services.round_entry_remove(entry=entry, by=secretariat)


def test_round_entry_remove_unscored_entry_deletes_it(round_, reviewers, secretariat):
    entry = RoundEntryFactory(round=round_)
    services.assignment_add(entry=entry, reviewer=reviewers[0], by=secretariat)

    services.round_entry_remove(entry=entry, by=secretariat)

    assert not RoundEntry.objects.exists()


# --- Finalisation -------------------------------------------------------------------------


@pytest.fixture
def finished(round_, committee, secretariat):
    """An open round: three entries with two submitted sheets each, one with none."""
    entries, members = scored_round(
        round_, committee, [[92, 94], [70, 80], [40, 44], [None, None]], by=secretariat
    )
    return entries, members


def test_round_finalise_with_open_sheets_refused(round_, finished, secretariat):
    entries, members = finished
    services.assignment_add(entry=entries[3], reviewer=members[0].user, by=secretariat)

    with pytest.raises(services.EvaluationError) as caught:
        services.round_finalise(round=round_, by=secretariat)

    assert str(caught.value) == ngettext(
        "%(count)d score sheet is not submitted yet. Wait for it, or finalise without it.",
        "%(count)d score sheets are not submitted yet. Wait for them, or finalise without them.",
        1,
    ) % {"count": 1}
    assert round_.results.count() == 0


def test_round_finalise_writes_result_snapshot(round_, finished, secretariat):
    entries, _ = finished

    services.round_finalise(round=round_, by=secretariat)

    round_.refresh_from_db()
    assert (round_.status, round_.finalised_by) == (RoundStatus.FINALISED, secretariat)
    results = {r.entry_id: r for r in Result.objects.filter(round=round_)}
    assert [
        (
            results[e.pk].sheet_count,
            results[e.pk].raw_score,
            results[e.pk].tier_name,
            results[e.pk].rank,
            results[e.pk].recognised,
            results[e.pk].exemplary,
        )
        for e in entries
    ] == [
        (2, Decimal("93.00"), "Xuất sắc", 1, True, True),
        (2, Decimal("75.00"), "Khá", 2, True, False),
        (2, Decimal("42.00"), "Không đạt", 3, False, False),
        (0, None, "", None, False, False),
    ]
    assert {(r.aggregation, r.rank_by) for r in results.values()} == {
        (Aggregation.MEAN, RankBy.RAW)
    }
    assert results[entries[1].pk].dvk_model == entries[1].dvk_model


def test_round_finalise_force_leaves_open_sheets_out(round_, finished, secretariat):
    entries, members = finished
    late = services.assignment_add(entry=entries[3], reviewer=members[0].user, by=secretariat)
    fill_sheet(sheet_of(late), 99, submit=False)

    services.round_finalise(round=round_, by=secretariat, force=True)

    result = Result.objects.get(entry=entries[3])
    assert (result.sheet_count, result.score_used) == (0, None)


def test_round_finalise_results_are_immutable(round_, finished, secretariat):
    services.round_finalise(round=round_, by=secretariat)
    result = Result.objects.filter(round=round_).first()

    result.score_used = Decimal(1)
    with pytest.raises(TypeError):
        result.save()
    with pytest.raises(TypeError):
        Result.objects.filter(pk=result.pk).update(rank=99)
    with pytest.raises(TypeError):
        result.save(update_fields=["score_used"])


def test_round_finalise_later_changes_refused(round_, finished, secretariat):
    entries, _members = finished
    services.round_finalise(round=round_, by=secretariat)
    sheet = sheet_of(entries[0].assignments.first())

    for change in [
        lambda: services.sheet_reopen(sheet=sheet, by=secretariat, reason="Lý do"),
        lambda: services.assignments_auto(round=round_, by=secretariat),
        lambda: services.round_populate_entries(round=round_, by=secretariat),
        lambda: services.round_update(round=round_, by=secretariat, data={"name": "X"}),
    ]:
        with pytest.raises(services.EvaluationError) as caught:
            change()
        assert str(caught.value) == gettext(FINALISED)


def test_round_finalise_twice_refused(round_, finished, secretariat):
    """A finalised round cannot be finalised again (the snapshot stays as it was)."""
    services.round_finalise(round=round_, by=secretariat)

    with pytest.raises(services.EvaluationError) as caught:
        services.round_finalise(round=round_, by=secretariat)

    assert str(caught.value) == gettext("This round has already been finalised.")
    assert Result.objects.filter(round=round_).count() == 4


def test_round_finalise_draft_round_refused(round_, secretariat):
    with pytest.raises(services.EvaluationError) as caught:
        services.round_finalise(round=round_, by=secretariat)

    assert str(caught.value) == gettext("Only an open round can be finalised.")


# --- After finalisation -------------------------------------------------------------------


def test_result_set_exemplary_toggles_recognised_result(round_, finished, secretariat):
    entries, _ = finished
    services.round_finalise(round=round_, by=secretariat)
    good = Result.objects.get(entry=entries[1])

    marked = services.result_set_exemplary(result=good, exemplary=True, by=secretariat)

    assert (marked.exemplary, marked.exemplary_set_by) == (True, secretariat)


def test_result_set_exemplary_unrecognised_refused(round_, finished, secretariat):
    entries, _ = finished
    services.round_finalise(round=round_, by=secretariat)

    with pytest.raises(services.EvaluationError):
        services.result_set_exemplary(
            result=Result.objects.get(entry=entries[2]), exemplary=True, by=secretariat
        )


def test_result_set_exemplary_after_lock_refused(round_, finished, secretariat):
    entries, _ = finished
    services.round_finalise(round=round_, by=secretariat)
    services.round_lock_results(round=round_, by=secretariat)

    with pytest.raises(services.EvaluationError):
        services.result_set_exemplary(
            result=Result.objects.get(entry=entries[0]), exemplary=False, by=secretariat
        )


def test_round_nominate_feeds_provincial_round(campaign, province, commune, secretariat):
    commune_committee = CommitteeFactory(unit=commune)
    commune_round = services.round_create(
        campaign=campaign,
        scope_unit=commune,
        by=secretariat,
        data={
            "name": "Đợt chấm cấp xã",
            "rubric_collective": single_criterion_rubric(organiser=commune),
            "scoring_opens": days(-1),
            "scoring_closes": days(5),
        },
    )
    village = UnitFactory(parent=commune, kind=UnitKind.RESIDENTIAL)
    entries, _ = scored_round(
        commune_round, commune_committee, [[90], [40]], by=secretariat, unit=village
    )
    services.round_finalise(round=commune_round, by=secretariat)
    best, weak = (Result.objects.get(entry=e) for e in entries)
    services.round_nominate(result=best, by=secretariat)
    with pytest.raises(services.EvaluationError):
        services.round_nominate(result=weak, by=secretariat)
    provincial = services.round_create(
        campaign=campaign,
        scope_unit=province,
        by=secretariat,
        data={
            "name": "Đợt chấm cấp tỉnh",
            "rubric_collective": single_criterion_rubric(organiser=province),
        },
        nominated_from=[commune_round],
    )

    services.round_populate_entries(round=provincial, by=secretariat)

    [entry] = RoundEntry.objects.filter(round=provincial)
    assert (entry.dvk_model, entry.source_entry) == (best.dvk_model, best.entry)
    with pytest.raises(services.EvaluationError):
        services.round_nominate(result=best, by=secretariat, nominated=False)


def test_round_create_nominated_from_same_level_refused(campaign, province, rubric, secretariat):
    sibling = RoundFactory(campaign=campaign, created_by=secretariat)

    errors = create_errors(
        campaign=campaign,
        scope_unit=province,
        by=secretariat,
        data={"name": "Đợt", "rubric_collective": rubric},
        nominated_from=[sibling],
    )

    assert list(errors) == ["nominated_from"]


def test_results_for_unit_only_finalised_own_results(
    round_, finished, secretariat, people, campaign
):
    entries, _ = finished
    own_unit = entries[0].dvk_model.unit
    officer = UserFactory(unit=own_unit, roles=[Role.UNIT_OFFICER])

    assert list(selectors.results_for_unit(user=officer, campaign=campaign)) == []
    services.round_finalise(round=round_, by=secretariat)

    assert [r.entry_id for r in selectors.results_for_unit(user=officer, campaign=campaign)] == [
        entries[0].pk
    ]
    assert list(selectors.results_for_unit(user=people.officer, campaign=campaign)) == []
