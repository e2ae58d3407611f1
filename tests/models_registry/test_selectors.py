"""models_registry/selectors.py and filters.py: visibility, coverage, carry-over, search."""

import pytest

from danvan.enums import Role, UnitKind
from danvan.models import Unit
from models_registry import selectors, services
from models_registry.enums import ModelStatus
from models_registry.filters import IntakeFilter
from models_registry.models import DvkModel
from tests.factories import (
    CampaignFactory,
    DvkModelFactory,
    FieldFactory,
    UnitFactory,
    UserFactory,
    dvk_model_in_status,
)
from tests.factories.registry import days

pytestmark = pytest.mark.django_db


def visible(user, campaign=None) -> set[int]:
    return set(
        selectors.dvk_models_visible_to(user=user, campaign=campaign).values_list("pk", flat=True)
    )


def in_status(status, world, unit, **kwargs):
    return dvk_model_in_status(
        status,
        campaign=kwargs.pop("campaign", world.campaign),
        unit=unit,
        reviewer=world.secretariat,
        **kwargs,
    )


# --- dvk_models_visible_to ----------------------------------------------------------------


@pytest.mark.parametrize("shared", [False, True])
def test_dvk_models_visible_to_agrees_with_view_rule_for_every_user(world, shared):
    """Issue 7: the selector and the rule ``models_registry.view_dvkmodel`` read one policy
    (plus the readers later apps register through ``danvan.extensions``)."""
    if shared:
        type(world.campaign).objects.filter(pk=world.campaign.pk).update(share_accepted_models=True)
        world.campaign.refresh_from_db()
    models = [
        in_status(status, world, unit)
        for status in ModelStatus
        for unit in (world.commune_a, world.front_a, world.commune_b, world.commune_c)
    ]
    users = [
        world.officer_a,
        world.officer_b,
        world.secretariat,
        world.leader,
        world.committee,
        world.outsider,
        world.admin,
    ]

    for user in users:
        by_rule = {
            m.pk
            for m in DvkModel.objects.filter(pk__in=[m.pk for m in models]).select_related(
                "campaign", "unit"
            )
            if user.has_perm("models_registry.view_dvkmodel", m)
        }
        assert visible(user) == by_rule, user.username


def test_dvk_models_visible_to_officer_sees_own_subtree_drafts_not_sibling(world):
    own = DvkModelFactory(campaign=world.campaign, unit=world.commune_a)
    below = DvkModelFactory(campaign=world.campaign, unit=world.front_a)
    DvkModelFactory(campaign=world.campaign, unit=world.commune_b)
    DvkModelFactory(campaign=world.campaign, unit=world.commune_c)

    assert visible(world.officer_a) == {own.pk, below.pk}


def test_dvk_models_visible_to_officer_sees_own_every_status_not_sibling_submitted(world):
    draft = in_status(ModelStatus.DRAFT, world, world.commune_a)
    submitted = in_status(ModelStatus.SUBMITTED, world, world.front_a)
    accepted = in_status(ModelStatus.ACCEPTED, world, world.commune_a)
    in_status(ModelStatus.SUBMITTED, world, world.commune_b)
    in_status(ModelStatus.ACCEPTED, world, world.commune_b)

    assert visible(world.officer_a) == {draft.pk, submitted.pk, accepted.pk}


@pytest.mark.parametrize("role", ["secretariat", "leader"])
def test_dvk_models_visible_to_overseer_sees_non_drafts_in_scope_only(world, role):
    in_status(ModelStatus.DRAFT, world, world.commune_a)
    submitted = in_status(ModelStatus.SUBMITTED, world, world.commune_a)
    returned = in_status(ModelStatus.RETURNED, world, world.commune_b)
    accepted = in_status(ModelStatus.ACCEPTED, world, world.front_a)
    outside_campaign = CampaignFactory(organiser=world.other_province)
    dvk_model_in_status(ModelStatus.SUBMITTED, campaign=outside_campaign, unit=world.commune_c)

    assert visible(getattr(world, role)) == {submitted.pk, returned.pk, accepted.pk}


def test_dvk_models_visible_to_overseer_no_drafts(world):
    DvkModelFactory(campaign=world.campaign, unit=world.commune_a)

    assert (visible(world.secretariat), visible(world.leader)) == (set(), set())


def test_dvk_models_visible_to_committee_member_sees_nothing_unshared(world):
    in_status(ModelStatus.SUBMITTED, world, world.commune_a)
    in_status(ModelStatus.ACCEPTED, world, world.department)

    assert visible(world.committee) == set()


def test_dvk_models_visible_to_shared_campaign_other_units_see_accepted_only(world):
    world.campaign.share_accepted_models = True
    world.campaign.save()
    accepted = in_status(ModelStatus.ACCEPTED, world, world.commune_a)
    in_status(ModelStatus.SUBMITTED, world, world.commune_a)
    in_status(ModelStatus.RETURNED, world, world.commune_a)
    DvkModelFactory(campaign=world.campaign, unit=world.commune_a)

    assert (visible(world.officer_b), visible(world.committee), visible(world.outsider)) == (
        {accepted.pk},
        {accepted.pk},
        {accepted.pk},
    )


def test_dvk_models_visible_to_unshared_campaign_accepted_stays_in_scope(world):
    in_status(ModelStatus.ACCEPTED, world, world.commune_a)

    assert (visible(world.officer_b), visible(world.outsider)) == (set(), set())


def test_dvk_models_visible_to_superuser_sees_all_including_drafts(world):
    models = [
        DvkModelFactory(campaign=world.campaign, unit=world.commune_a),
        DvkModelFactory(campaign=world.campaign, unit=world.commune_b),
        DvkModelFactory(
            campaign=CampaignFactory(organiser=world.other_province), unit=world.commune_c
        ),
    ]

    assert visible(world.admin) == {m.pk for m in models}


def test_dvk_models_visible_to_user_without_unit_sees_nothing(world):
    DvkModelFactory(campaign=world.campaign, unit=world.commune_a)
    homeless = UserFactory(unit=None, roles=[Role.UNIT_OFFICER])

    assert visible(homeless) == set()


def test_dvk_models_visible_to_campaign_argument_limits_to_campaign(world):
    this_year = DvkModelFactory(campaign=world.campaign, unit=world.commune_a)
    last_year = CampaignFactory(organiser=world.province, year=world.campaign.year - 1)
    DvkModelFactory(campaign=last_year, unit=world.commune_a)

    assert visible(world.officer_a, campaign=world.campaign) == {this_year.pk}


# --- Coverage -----------------------------------------------------------------------------


def missing_units(user, campaign, kinds=None) -> set[int]:
    return set(
        selectors.units_without_models(user=user, campaign=campaign, kinds=kinds).values_list(
            "pk", flat=True
        )
    )


def test_units_without_models_draft_does_not_count(world):
    DvkModelFactory(campaign=world.campaign, unit=world.commune_a)

    assert world.commune_a.pk in missing_units(world.secretariat, world.campaign)


def test_units_without_models_submitted_returned_accepted_count(world):
    in_status(ModelStatus.SUBMITTED, world, world.commune_a)
    in_status(ModelStatus.RETURNED, world, world.commune_b)
    in_status(ModelStatus.ACCEPTED, world, world.department)

    assert missing_units(world.secretariat, world.campaign, kinds=[UnitKind.COMMUNE]) == set()
    assert world.department.pk not in missing_units(world.secretariat, world.campaign)


def test_units_without_models_lists_registering_units_of_campaign_in_scope(world):
    UnitFactory(name="Thôn 1", kind=UnitKind.RESIDENTIAL, parent=world.commune_a)
    UnitFactory(name="Huyện cũ", kind=UnitKind.DISTRICT, parent=world.province)
    UnitFactory(name="Xã đã sáp nhập", parent=world.province, active=False)

    names = set(
        selectors.units_without_models(user=world.secretariat, campaign=world.campaign).values_list(
            "name", flat=True
        )
    )

    assert names == {
        "Xã Cẩm Xuyên",
        "Ủy ban MTTQ xã Cẩm Xuyên",
        "Xã Thạch Hà",
        "Thường trực Tỉnh uỷ",
        "Sở Nông nghiệp",
        "Ban Tuyên giáo và Dân vận Tỉnh uỷ",
    }


def test_units_without_models_kinds_argument_filters(world):
    assert missing_units(world.secretariat, world.campaign, kinds=[UnitKind.DEPARTMENT]) == {
        world.department.pk
    }


def test_units_without_models_officer_limited_to_own_subtree(world):
    assert missing_units(world.officer_a, world.campaign) == {world.commune_a.pk, world.front_a.pk}


def test_units_without_models_superuser_limited_to_campaign_tree(world):
    assert world.commune_c.pk not in missing_units(world.admin, world.campaign)


def test_coverage_by_kind_drafts_only_counts_nothing_done(world):
    DvkModelFactory(campaign=world.campaign, unit=world.commune_a)
    DvkModelFactory(campaign=world.campaign, unit=world.commune_b)

    rows = selectors.coverage_by_kind(user=world.secretariat, campaign=world.campaign)

    assert [(r["kind"], r["total"], r["done"], r["missing"]) for r in rows] == [
        (UnitKind.COMMUNE, 2, 0, 2),
        (UnitKind.DEPARTMENT, 1, 0, 1),
        (UnitKind.MASS_ORGANISATION, 1, 0, 1),
        (UnitKind.PARTY_BODY, 2, 0, 2),
    ]


def test_coverage_by_kind_counts_units_with_non_draft_models(world):
    in_status(ModelStatus.SUBMITTED, world, world.commune_a)
    in_status(ModelStatus.ACCEPTED, world, world.commune_a)  # a second model: still one unit
    DvkModelFactory(campaign=world.campaign, unit=world.commune_b)
    in_status(ModelStatus.RETURNED, world, world.department)
    UnitFactory(parent=world.province, active=False)

    rows = selectors.coverage_by_kind(user=world.secretariat, campaign=world.campaign)

    assert [(r["kind"], r["total"], r["done"], r["missing"]) for r in rows] == [
        (UnitKind.COMMUNE, 2, 1, 1),
        (UnitKind.DEPARTMENT, 1, 1, 0),
        (UnitKind.MASS_ORGANISATION, 1, 0, 1),
        (UnitKind.PARTY_BODY, 2, 0, 2),
    ]


# --- Carry-over candidates ----------------------------------------------------------------


def test_carry_over_candidates_accepted_earlier_models_in_scope_not_yet_carried(world):
    last_year = CampaignFactory(organiser=world.province, year=world.campaign.year - 1)
    candidate = in_status(ModelStatus.ACCEPTED, world, world.commune_a, campaign=last_year)
    carried = in_status(ModelStatus.ACCEPTED, world, world.front_a, campaign=last_year)
    DvkModelFactory(campaign=world.campaign, unit=world.front_a, predecessor=carried)
    in_status(ModelStatus.SUBMITTED, world, world.commune_a, campaign=last_year)
    in_status(ModelStatus.ACCEPTED, world, world.commune_b, campaign=last_year)
    in_status(ModelStatus.ACCEPTED, world, world.commune_a)  # this year's

    candidates = selectors.carry_over_candidates(user=world.officer_a, campaign=world.campaign)

    assert [m.pk for m in candidates] == [candidate.pk]


def test_carry_over_candidates_drafts_of_earlier_year_excluded(world):
    last_year = CampaignFactory(organiser=world.province, year=world.campaign.year - 1)
    DvkModelFactory(campaign=last_year, unit=world.commune_a)

    assert (
        list(selectors.carry_over_candidates(user=world.officer_a, campaign=world.campaign)) == []
    )


# --- Search (IntakeFilter) ----------------------------------------------------------------


def search(query: str, **params) -> set[str]:
    filterset = IntakeFilter({"q": query, **params}, queryset=DvkModel.objects.all())
    return set(filterset.qs.values_list("name", flat=True))


@pytest.fixture
def named_models(world):
    DvkModelFactory(
        campaign=world.campaign, unit=world.commune_a, name="Dân vận khéo làm Đường thôn"
    )
    DvkModelFactory(
        campaign=world.campaign,
        unit=world.commune_b,
        name="Ngày Chủ nhật xanh",
        lead_name="Hoàng Thị Dương",
    )
    DvkModelFactory(campaign=world.campaign, unit=world.commune_b, name="Tổ tự quản an ninh")


def test_intake_filter_search_without_diacritics_finds_accented_name(named_models):
    assert search("dan van kheo") == {"Dân vận khéo làm Đường thôn"}


@pytest.mark.parametrize("query", ["dường", "duong", "ĐƯỜNG", "  Duong  "])
def test_intake_filter_search_d_with_stroke_matches_either_spelling(named_models, query):
    assert search(query) == {"Dân vận khéo làm Đường thôn", "Ngày Chủ nhật xanh"}


def test_intake_filter_search_matches_unit_name(named_models):
    assert search("thach ha") == {"Ngày Chủ nhật xanh", "Tổ tự quản an ninh"}


def test_intake_filter_search_blank_returns_everything(named_models):
    assert len(search("   ")) == 3


def test_intake_filter_unit_parameter_matches_unit_without_diacritics(named_models):
    assert search("", unit="cam xuyen") == {"Dân vận khéo làm Đường thôn"}


def test_intake_filter_field_includes_topics(world):
    parent = FieldFactory(name="Kinh tế")
    topic = FieldFactory(name="Nông thôn mới", parent=parent)
    DvkModelFactory(campaign=world.campaign, unit=world.commune_a, field=parent, name="Cha")
    DvkModelFactory(campaign=world.campaign, unit=world.commune_a, field=topic, name="Con")
    DvkModelFactory(campaign=world.campaign, unit=world.commune_a, name="Khác")

    assert search("", field=str(parent.pk)) == {"Cha", "Con"}


# --- Lineage, lists, history --------------------------------------------------------------


def test_dvk_model_lineage_runs_from_oldest_predecessor_to_successors(world):
    campaigns = [
        CampaignFactory(organiser=world.province, year=world.campaign.year - n) for n in (3, 2, 1)
    ]
    first = DvkModelFactory(campaign=campaigns[0], unit=world.commune_a)
    second = DvkModelFactory(campaign=campaigns[1], unit=world.commune_a, predecessor=first)
    third = DvkModelFactory(campaign=campaigns[2], unit=world.commune_a, predecessor=second)
    fourth = DvkModelFactory(campaign=world.campaign, unit=world.commune_a, predecessor=third)

    lineage = selectors.dvk_model_lineage(dvk_model=second)

    assert [m.pk for m in lineage] == [first.pk, second.pk, third.pk, fourth.pk]


def test_dvk_model_lineage_without_links_is_the_model_alone(world):
    dvk_model = DvkModelFactory(campaign=world.campaign, unit=world.commune_a)

    assert selectors.dvk_model_lineage(dvk_model=dvk_model) == [dvk_model]


def test_dvk_models_of_unit_lists_subtree_models_with_attachment_counts(world):
    own = DvkModelFactory(campaign=world.campaign, unit=world.commune_a)
    DvkModelFactory(campaign=world.campaign, unit=world.commune_b)

    rows = list(selectors.dvk_models_of_unit(user=world.officer_a, campaign=world.campaign))

    assert [(m.pk, m.attachment_count) for m in rows] == [(own.pk, 0)]


def test_campaign_current_for_officer_is_campaign_reaching_unit(world):
    CampaignFactory(organiser=world.other_province)

    assert selectors.campaign_current_for(user=world.officer_a) == world.campaign


def test_campaign_current_for_prefers_opened_campaign(world):
    CampaignFactory(
        organiser=world.province,
        year=world.campaign.year + 1,
        registration_opens=days(200),
        registration_closes=days(230),
        result_report_due=days(300),
        scoring_opens=days(301),
        scoring_closes=days(320),
    )

    assert selectors.campaign_current_for(user=world.officer_a) == world.campaign


def test_dvk_model_history_lists_changed_fields_newest_first(world):
    dvk_model = services.dvk_model_create(
        campaign=world.campaign, unit=world.commune_a, by=world.officer_a, data={"name": "A"}
    )
    services.dvk_model_update(
        dvk_model=dvk_model, by=world.officer_a, data={"name": "B"}, version=1
    )
    services.dvk_model_update(
        dvk_model=dvk_model, by=world.officer_a, data={"goals": "G", "area": "X"}, version=2
    )

    entries = selectors.dvk_model_history(dvk_model=dvk_model)

    label = {n: str(DvkModel._meta.get_field(n).verbose_name) for n in ("name", "goals", "area")}
    assert [sorted(e["fields"]) for e in entries] == [
        sorted([label["goals"], label["area"]]),
        [label["name"]],
    ]


def test_replication_candidates_hide_other_units_unless_campaign_shares(
    campaign, province, officer
):
    from models_registry.enums import ModelStatus as Status
    from models_registry.selectors import replication_candidates
    from tests.factories import UnitFactory
    from tests.factories.registry import dvk_model_in_status

    other = UnitFactory(parent=province)
    model = dvk_model_in_status(Status.ACCEPTED, campaign=campaign, unit=other)

    hidden = list(replication_candidates(user=officer, query="", exclude_unit=officer.unit))
    campaign.share_accepted_models = True
    campaign.save(update_fields=["share_accepted_models"])
    shared = list(replication_candidates(user=officer, query="", exclude_unit=officer.unit))

    assert (hidden, shared) == ([], [model])


# --- Reads of the model's page (issue 14) -------------------------------------------------


def _chain(world, years: int) -> list[DvkModel]:
    """An accepted model carried over ``years`` times by the same unit, oldest first."""
    models, predecessor = [], None
    for n in range(years, -1, -1):
        campaign = (
            world.campaign
            if n == 0
            else CampaignFactory(organiser=world.province, year=world.campaign.year - n)
        )
        predecessor = DvkModelFactory(
            campaign=campaign,
            unit=world.commune_a,
            predecessor=predecessor,
            status=ModelStatus.ACCEPTED,
        )
        models.append(predecessor)
    return models


@pytest.mark.parametrize("years", [1, 4])
def test_dvk_model_lineage_reads_once_whatever_the_years(world, years, django_assert_num_queries):
    chain = _chain(world, years)
    selectors.dvk_model_lineage(dvk_model=chain[0], viewer=world.officer_a)  # roles loaded
    middle = DvkModel.objects.select_related("campaign", "unit").get(pk=chain[1].pk)

    with django_assert_num_queries(1):
        lineage = selectors.dvk_model_lineage(dvk_model=middle, viewer=world.officer_a)
        replications = selectors.replications_of(middle, viewer=world.officer_a)
        years_shown = [m.campaign.year for m in lineage]

    assert [m.pk for m in lineage] == [m.pk for m in chain]
    assert years_shown == sorted(years_shown)
    assert replications == []


def test_dvk_model_lineage_component_follows_branches_for_awards(world):
    first, second = _chain(world, 1)
    # A second continuation of ``first`` in another campaign (a branch): the awards
    # section counts it, the lineage of ``second`` does not.
    other_year = CampaignFactory(organiser=world.province, year=world.campaign.year + 1)
    branch = DvkModelFactory(campaign=other_year, unit=world.commune_a, predecessor=first)

    component = selectors.dvk_model_lineage_component(dvk_model=second)
    lineage = selectors.dvk_model_lineage(dvk_model=second)

    assert set(component) == {first.pk, second.pk, branch.pk}
    assert [m.pk for m in lineage] == [first.pk, second.pk]


def test_dvk_model_lineage_hides_years_the_viewer_may_not_read(world):
    first, second = _chain(world, 1)
    draft_next = DvkModelFactory(
        campaign=CampaignFactory(organiser=world.province, year=world.campaign.year + 1),
        unit=world.commune_a,
        predecessor=second,
        status=ModelStatus.DRAFT,
    )

    def shown(user):
        fresh = DvkModel.objects.get(pk=second.pk)
        return [m.pk for m in selectors.dvk_model_lineage(dvk_model=fresh, viewer=user)]

    assert shown(world.officer_a) == [first.pk, second.pk, draft_next.pk]
    assert shown(world.secretariat) == [first.pk, second.pk]
    assert shown(world.outsider) == [second.pk]


@pytest.mark.parametrize("only_root", [False, True])
def test_in_subtree_q_keeps_the_subtree_with_or_without_other_roots(world, only_root):
    inside = DvkModelFactory(campaign=world.campaign, unit=world.front_a)
    outside = DvkModelFactory(
        campaign=CampaignFactory(organiser=world.other_province), unit=world.commune_c
    )
    if only_root:
        # The other tree moved under the province: its root is the only one left, so
        # the filter walks nothing and keeps every row.
        Unit.objects.filter(pk=world.other_province.pk).update(parent=world.province)

    in_province = DvkModel.objects.filter(selectors.in_subtree_q(world.province.pk))
    in_commune_b = DvkModel.objects.filter(selectors.in_subtree_q(world.commune_b.pk))

    assert inside in in_province
    assert (outside in in_province) is only_root
    assert list(in_commune_b) == []


def test_unit_id_in_scope_of_asks_once_per_unit(world, django_assert_num_queries):
    from models_registry.rules import unit_id_in_scope_of

    with django_assert_num_queries(2):
        for _ in range(3):
            assert unit_id_in_scope_of(world.secretariat, world.front_a.pk) is True
            assert unit_id_in_scope_of(world.secretariat, world.commune_c.pk) is False
