"""The leaders' dashboard's figures (``reports.dashboard.selectors.dashboard_for``) on the
hand-built province of tests/reports/conftest.py: each figure, equality with the December
report's figures, scope, the locality and field filters, last year's comparison, the
evaluation progress, the links, and a constant number of queries."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.enums import RecipientKind
from danvan.enums import Role, UnitKind
from evaluation.enums import ConflictStatus, RoundStatus, SheetStatus
from evaluation.models import Assignment, RoundEntry, ScoreSheet
from models_registry.enums import ModelKind
from reports import statistics
from reports.dashboard.data import Filters
from reports.dashboard.selectors import dashboard_for
from tests.factories import RoundFactory, UnitFactory, UserFactory
from tests.reports.conftest import campaign_for, decision_with, finalised_round, registered

pytestmark = pytest.mark.django_db

# The dashboard's whole budget (tree, fields, two for the models, tiers, awards, exemplary
# models, progress, previous campaign, its models): the same for 5 models and for 50.
QUERY_BUDGET = 10


def board_of(user, campaign, **filters):
    return dashboard_for(user, Filters(campaign=campaign, **filters))


def values(bars):
    return [(bar.label, bar.value) for bar in bars]


def query_of(url: str) -> dict:
    parts = urlsplit(url)
    return {key: value[0] for key, value in parse_qs(parts.query).items()}


@pytest.fixture
def leader_a(world):
    """A leader of commune A (Xã Đức Thọ: the women's union and village 1 below it)."""
    return UserFactory(unit=world.commune_a, roles=[Role.LEADER])


# --- Each figure against the hand-built data ------------------------------------------------


def test_registrations_against_last_year(world):
    board = board_of(world.secretariat, world.campaign)

    assert board.scope_name == "Tỉnh Hà Tĩnh"
    assert board.previous_year == 2024
    assert (board.registrations.value, board.registrations.previous) == (6, 3)
    assert [(b.label, b.value, b.previous) for b in board.by_kind] == [
        ("Mô hình", 4, 3),
        ("Điển hình tập thể", 1, 0),
        ("Điển hình cá nhân", 1, 0),
    ]
    assert [(b.key, b.value, b.previous) for b in board.by_origin] == [
        ("new", 4, 3),
        ("maintained", 1, 0),
        ("replicated", 1, 0),
    ]


def test_first_campaign_has_no_previous_year(world):
    board = board_of(world.secretariat, world.previous)

    assert board.previous_year is None
    assert board.registrations.previous is None
    assert {b.previous for b in board.by_kind} == {None}


def test_coverage_by_group_with_last_year(world):
    board = board_of(world.secretariat, world.campaign)

    assert (board.expected_units, board.registered_units) == (7, 5)
    assert board.units_without == ("Ban Tuyên giáo và Dân vận Tỉnh ủy", "Xã Đức Thọ")
    assert [(b.key, b.value, b.out_of, b.previous) for b in board.by_group] == [
        ("party", 0, 1, 0),
        ("state", 1, 1, 1),
        ("front", 2, 2, 0),
        ("armed", 1, 1, 0),
        ("local", 1, 2, 1),  # 2024: commune A; the district is not a registering kind
    ]


def test_models_by_field_and_kind(world):
    board = board_of(world.secretariat, world.campaign)

    assert [(f.label, f.by_kind, f.total) for f in board.by_field] == [
        ("Kinh tế", (1, 1, 0), 2),
        ("Văn hóa – xã hội", (3, 0, 0), 3),
        ("Chưa xác định lĩnh vực", (0, 0, 1), 1),
    ]


def test_locality_grid_one_cell_per_unit_below_the_root(world):
    board = board_of(world.secretariat, world.campaign)

    cells = [(c.name, c.expected, c.registered, c.models, c.exemplary) for c in board.localities]

    # Below the province the grid is its map: communes only (the departments, Party bodies
    # and the Front count in the panel by unit group). The historic district (no model
    # this year, not a registering kind) has no cell.
    assert cells == [
        ("Xã Can Lộc", 1, 1, 1, 1),
        ("Xã Đức Thọ", 2, 1, 2, 1),  # the commune and its women's union; village 1's model
    ]
    assert board.localities[-1].coverage == 50


def test_results_tiers_recognised_and_exemplary(world):
    board = board_of(world.secretariat, world.campaign)

    assert values(board.tiers) == [
        ("Xuất sắc", 2),
        ("Tốt", 1),
        ("Khá", 0),
        ("Đạt", 0),
        ("Không đạt", 1),
        ("Chưa xét chọn", 2),
    ]
    assert board.recognised == 3
    assert [(e.name, e.unit_name, e.tier) for e in board.exemplary] == [
        ("Bếp ăn nghĩa tình", "Hội Liên hiệp Phụ nữ xã Đức Thọ", "Xuất sắc"),
        ("Đường làng hiến đất", "Xã Can Lộc", "Xuất sắc"),
    ]


def test_awards_by_type_and_issuer_count_issued_not_revoked(world):
    board = board_of(world.secretariat, world.campaign)

    assert [(a.type_name, a.issuer, a.collectives, a.individuals) for a in board.awards] == [
        ("Bằng khen của Chủ tịch UBND tỉnh", "Ủy ban nhân dân tỉnh", 2, 1),
        ("Giấy khen của Ban Tuyên giáo và Dân vận", "Ban Tuyên giáo và Dân vận Tỉnh ủy", 1, 0),
    ]


def test_model_award_to_an_exemplary_individual_counts_as_individual(world):
    decision_with(
        world.campaign, world.province, [(world.bang_khen, RecipientKind.MODEL, world.hero)]
    )

    board = board_of(world.secretariat, world.campaign)

    assert (board.awards[0].collectives, board.awards[0].individuals) == (2, 2)


# --- Evaluation progress -----------------------------------------------------------------


def assign(round_, dvk_model, reviewer, *, status=SheetStatus.PENDING, conflict=None):
    entry, _created = RoundEntry.objects.get_or_create(round=round_, dvk_model=dvk_model)
    assignment = Assignment.objects.create(
        round=round_, entry=entry, reviewer=reviewer, assigned_by=reviewer
    )
    if conflict:
        Assignment.objects.filter(pk=assignment.pk).update(conflict_status=conflict)
    ScoreSheet.objects.create(assignment=assignment, status=status)
    return assignment


@pytest.fixture
def scoring(world):
    """Sheets in the provincial round: the road's (commune B) two, one submitted; the
    women's union's (commune A) two, one submitted and one of an approved conflict; and a
    draft round of commune A."""
    reviewers = [UserFactory(unit=world.province) for _ in range(3)]
    submitted = SheetStatus.SUBMITTED
    assign(world.round, world.road, reviewers[0], status=submitted)
    assign(world.round, world.road, reviewers[1])
    assign(world.round, world.women_model, reviewers[0], status=submitted)
    assign(
        world.round,
        world.women_model,
        reviewers[2],
        status=submitted,
        conflict=ConflictStatus.APPROVED,
    )
    return RoundFactory(
        campaign=world.campaign, scope_unit=world.commune_a, created_by=world.secretariat
    )


def test_progress_counts_rounds_and_active_sheets(world, scoring):
    progress = board_of(world.secretariat, world.campaign).progress

    assert (progress.rounds, progress.rounds_finalised) == (2, 1)
    assert (progress.sheets, progress.sheets_submitted) == (3, 2)


def test_progress_of_a_commune_counts_its_models_sheets_and_rounds_reaching_it(
    world, scoring, leader_a
):
    progress = board_of(leader_a, world.campaign).progress

    # The provincial round (it has the women's union's model) and the commune's own.
    assert (progress.rounds, progress.rounds_finalised) == (2, 1)
    assert (progress.sheets, progress.sheets_submitted) == (1, 1)


def test_progress_of_a_locality_leaves_out_rounds_of_other_communes(world, scoring):
    progress = board_of(world.secretariat, world.campaign, locality=world.commune_b).progress

    assert (progress.rounds, progress.rounds_finalised) == (1, 1)
    assert (progress.sheets, progress.sheets_submitted) == (2, 1)


# --- The same numbers as the December report ---------------------------------------------


def assert_same_as_report(board, campaign):
    data = statistics.load_year(campaign)
    cover = statistics.coverage(data)

    def lines(statistic):
        return [(line.label, line.value) for line in statistic(data)]

    assert board.registrations.value == statistics.registrations_total(data)
    assert values(board.by_kind) == lines(statistics.registrations_by_kind)
    assert values(board.by_origin) == lines(statistics.registrations_by_origin)
    assert [(f.label, f.by_kind) for f in board.by_field] == [
        (f.label, f.by_kind) for f in statistics.registrations_by_field(data)
    ]
    assert (board.expected_units, board.registered_units, board.units_without) == (
        cover.expected,
        cover.registered,
        cover.without,
    )
    assert [(b.label, b.out_of, b.value) for b in board.by_group] == [
        (label, expected, registered) for label, expected, _plan, registered in cover.by_group
    ]
    assert values(board.tiers) == lines(statistics.results_by_tier)
    assert board.recognised == statistics.recognised_count(data)
    assert [e.pk for e in board.exemplary] == [m.pk for m in statistics.exemplary_models(data)]
    assert [(a.type_name, a.issuer, a.collectives, a.individuals) for a in board.awards] == [
        (a.type_name, a.issuer, a.collectives, a.individuals)
        for a in statistics.awards_by_type_and_issuer(data)
    ]
    assert sum(a.total for a in board.awards) == statistics.awards_total(data)


def test_province_dashboard_equals_the_report(world):
    decision_with(
        world.campaign, world.province, [(world.bang_khen, RecipientKind.MODEL, world.hero)]
    )

    assert_same_as_report(board_of(world.secretariat, world.campaign), world.campaign)
    assert_same_as_report(board_of(world.secretariat, world.previous), world.previous)


def test_province_result_wins_over_a_lower_round_as_in_the_report(world):
    # A later commune round rates the Front's model higher: the provincial result counts.
    finalised_round(
        world.campaign,
        world.commune_b,
        [(world.front_model, 99, "Xuất sắc", True, True), (world.clinic, 70, "Khá", True, False)],
        by=world.secretariat,
    )
    board = board_of(world.secretariat, world.campaign)

    assert_same_as_report(board, world.campaign)
    assert values(board.tiers)[:3] == [("Xuất sắc", 2), ("Tốt", 1), ("Khá", 1)]  # the clinic


def test_administrator_without_unit_sees_the_organisers_tree(world):
    admin = UserFactory(unit=None, is_superuser=True, is_staff=True)

    board = board_of(admin, world.campaign)

    assert board.scope_name == "Tỉnh Hà Tĩnh"
    assert_same_as_report(board, world.campaign)


# --- Scope and filters --------------------------------------------------------------------


def test_commune_leader_sees_only_the_commune(world, leader_a):
    board = board_of(leader_a, world.campaign)

    assert board.scope_name == "Xã Đức Thọ"
    assert (board.registrations.value, board.registrations.previous) == (2, 1)
    assert (board.expected_units, board.registered_units) == (2, 1)
    assert board.units_without == ("Xã Đức Thọ",)
    assert [(c.name, c.models, c.exemplary) for c in board.localities] == [
        ("Hội Liên hiệp Phụ nữ xã Đức Thọ", 1, 1),
        ("Thôn 1", 1, 0),
    ]
    assert [e.name for e in board.exemplary] == ["Bếp ăn nghĩa tình"]
    assert values(board.tiers)[0] == ("Xuất sắc", 1)
    assert [(a.type_name, a.collectives, a.individuals) for a in board.awards] == [
        ("Bằng khen của Chủ tịch UBND tỉnh", 1, 0),  # the women's union's model
        ("Giấy khen của Ban Tuyên giáo và Dân vận", 1, 0),  # the commune itself
    ]


def test_commune_leader_never_sees_another_commune(world, leader_a):
    other = UserFactory(unit=world.commune_b, roles=[Role.LEADER])

    board_a = board_of(leader_a, world.campaign)
    board_b = board_of(other, world.campaign)

    assert "Đường làng hiến đất" not in [e.name for e in board_a.exemplary]
    assert board_b.registrations.value == 1
    assert [e.name for e in board_b.exemplary] == ["Đường làng hiến đất"]
    assert [c.name for c in board_b.localities] == []
    assert sum(a.total for a in board_b.awards) == 1  # the road's Bằng khen only


def test_locality_outside_the_scope_is_ignored(world, leader_a):
    board = board_of(leader_a, world.campaign, locality=world.commune_b)

    assert board.scope_name == "Xã Đức Thọ"
    assert board.registrations.value == 2


def test_locality_filter_narrows_to_its_subtree(world):
    board = board_of(world.secretariat, world.campaign, locality=world.commune_a)

    assert board.scope_name == "Xã Đức Thọ"
    assert (board.registrations.value, board.registrations.previous) == (2, 1)
    assert [c.name for c in board.localities] == ["Hội Liên hiệp Phụ nữ xã Đức Thọ", "Thôn 1"]
    assert sum(a.total for a in board.awards) == 2


def test_field_filter_keeps_the_field_and_its_topics(world):
    board = board_of(world.secretariat, world.campaign, field=world.economy)

    assert (board.registrations.value, board.registrations.previous) == (2, 2)
    assert [(f.label, f.by_kind) for f in board.by_field] == [("Kinh tế", (1, 1, 0))]
    assert [e.name for e in board.exemplary] == ["Bếp ăn nghĩa tình", "Đường làng hiến đất"]
    # Only the awards given to models of the field.
    assert [(a.type_name, a.collectives, a.individuals) for a in board.awards] == [
        ("Bằng khen của Chủ tịch UBND tỉnh", 2, 0)
    ]


def test_field_and_locality_filters_combine(world):
    board = board_of(
        world.secretariat, world.campaign, locality=world.commune_a, field=world.society
    )

    assert board.registrations.value == 1  # the village's clinic
    assert values(board.tiers)[-1] == ("Chưa xét chọn", 1)


def test_lower_organisers_campaign_stays_in_its_tree(world):
    campaign = campaign_for(world.commune_a, 2025)
    registered(campaign, world.women, "Phụ nữ giữ gìn bản sắc", by=world.secretariat)

    board = board_of(world.secretariat, campaign)

    assert board.scope_name == "Xã Đức Thọ"
    assert board.registrations.value == 1
    assert board.expected_units == 2


# --- Links ---------------------------------------------------------------------------------


def test_figures_link_to_the_lists_behind_them(world):
    board = board_of(world.secretariat, world.campaign, locality=world.commune_a)
    kind = board.by_kind[0]
    economy = board.by_field[0]

    assert urlsplit(kind.url).path == "/mo-hinh/tiep-nhan/"
    assert query_of(kind.url) == {
        "year": "2025",
        "kind": ModelKind.COLLECTIVE_MODEL,
        "locality": str(world.commune_a.pk),
    }
    assert query_of(economy.url)["field"] == str(world.economy.pk)
    assert query_of(board.by_origin[1].url)["origin"] == "maintained"
    assert board.coverage_url == f"/mo-hinh/dot/{world.campaign.pk}/chua-dang-ky/"
    assert query_of(board.tiers[0].url) == {
        "year": "2025",
        "tier": "Xuất sắc",
        "locality": str(world.commune_a.pk),
    }
    assert query_of(board.exemplary_url)["exemplary"] == "on"


def test_locality_cell_links_to_the_dashboard_narrowed_to_it(world):
    board = board_of(world.secretariat, world.campaign, field=world.economy)
    cell = board.localities[-1]

    assert urlsplit(cell.url).path == "/bao-cao/tong-quan/"
    assert query_of(cell.url) == {
        "year": str(world.campaign.pk),
        "locality": str(world.commune_a.pk),
        "field": str(world.economy.pk),
    }
    assert urlsplit(board.exemplary[0].url).path == f"/thu-vien/{world.women_model.pk}/"
    assert urlsplit(board.progress.url).path == "/cham-diem/dot-cham/"


def test_models_without_a_field_link_nowhere(world):
    board = board_of(world.secretariat, world.campaign)

    assert board.by_field[-1].label == "Chưa xác định lĩnh vực"
    assert board.by_field[-1].url == ""  # the intake list cannot filter "no field"


def test_award_link_opens_the_register_with_type_issuer_and_year(world):
    board = board_of(world.secretariat, world.campaign)

    assert query_of(board.awards[0].url) == {
        "award_type": str(world.bang_khen.pk),
        "issuer": str(world.province.pk),
        "year": "2025",
    }


# --- Queries -------------------------------------------------------------------------------


def add_models(world, count, *, start=0):
    """``count`` more models of new units (a commune each, with a women's union), half of
    them with a provincial result, and an award each."""
    results = []
    for n in range(start, start + count):
        commune = UnitFactory(name=f"Xã Mới {n}", kind=UnitKind.COMMUNE, parent=world.province)
        union = UnitFactory(
            name=f"Hội Phụ nữ xã Mới {n}", kind=UnitKind.MASS_ORGANISATION, parent=commune
        )
        dvk_model = registered(
            world.campaign, union, f"Mô hình {n}", field=world.topic, by=world.secretariat
        )
        if n % 2:
            results.append((dvk_model, 80, "Tốt", True, n % 4 == 1))
        decision_with(
            world.campaign, world.province, [(world.giay_khen, RecipientKind.MODEL, dvk_model)]
        )
    finalised_round(world.campaign, world.province, results, by=world.secretariat)


def test_queries_do_not_grow_with_the_number_of_models(world, django_assert_num_queries):
    add_models(world, 5)
    with CaptureQueriesContext(connection) as five:
        board = board_of(world.secretariat, world.campaign)
    assert board.registrations.value == 11
    assert len(five) <= QUERY_BUDGET

    add_models(world, 45, start=5)
    with django_assert_num_queries(len(five)):
        board = board_of(world.secretariat, world.campaign)

    assert board.registrations.value == 56
    assert_same_as_report(board, world.campaign)


def test_queries_of_a_narrowed_dashboard_are_within_the_budget(
    world, leader_a, django_assert_max_num_queries
):
    add_models(world, 5)

    with django_assert_max_num_queries(QUERY_BUDGET):
        board_of(leader_a, world.campaign, field=world.economy)


def test_grouped_rows_grow_with_units_not_with_models(world):
    for n in range(20):
        registered(world.campaign, world.department, f"Thêm {n}", field=world.society)
    tree = statistics.load_tree(world.province)

    grouped = statistics.load_year_grouped(world.campaign, tree=tree)

    assert grouped.total == 26
    assert [(row.unit_id, row.count) for row in grouped.by_unit.models if row.count > 1] == [
        (world.department.pk, 21)
    ]
    assert len(grouped.by_unit.models) == 6  # one row per registering unit
    assert len(grouped.by_kind.models) == 5  # (kind, field, origin) groups, not models
    assert sum(row.count for row in grouped.by_result.models) == 26


def test_round_status_is_read_not_its_dates(world):
    # A finalised round without a finalisation time (written directly) still counts.
    assert world.round.status == RoundStatus.FINALISED
    assert board_of(world.secretariat, world.campaign).progress.rounds_finalised == 1


@pytest.mark.parametrize("narrowed", [False, True])
def test_what_the_filter_form_read_gives_the_same_dashboard_without_reading_it_again(
    world, narrowed
):
    from django.http import QueryDict

    from reports.forms import DashboardFilterForm

    add_models(world, 3)
    query = f"locality={world.commune_a.pk}&field={world.economy.pk}" if narrowed else ""
    form = DashboardFilterForm(QueryDict(query), user=world.secretariat)
    filters = form.filters()

    with CaptureQueriesContext(connection) as alone:
        by_itself = dashboard_for(world.secretariat, filters)
    with CaptureQueriesContext(connection) as helped:
        with_loaded = dashboard_for(world.secretariat, filters, form.loaded(filters))

    assert with_loaded == by_itself
    assert with_loaded.previous_year == world.previous.year
    # The tree and last year's campaign; the fields too unless one field is chosen.
    assert len(helped) == len(alone) - (2 if narrowed else 3)
