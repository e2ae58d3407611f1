"""The honouring cadence as data: its periods, its checks, where each level stands in the
current period (``honouring_cadence_status``), and the demo seed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from awards import demo, selectors, services
from awards.enums import EventLevel
from awards.models import HonouringCadence
from danvan.enums import Role, UnitKind
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2027, 6, 1)  # inside the 2026–2030 phase


@pytest.fixture
def province(db):
    return UnitFactory(name="Tỉnh Hà Tĩnh", kind=UnitKind.PROVINCE)


@pytest.fixture
def secretariat(province):
    commission = UnitFactory(kind=UnitKind.PARTY_BODY, parent=province, oversees=province)
    return UserFactory(unit=commission, roles=[Role.SECRETARIAT])


@pytest.fixture
def cadences(db):
    return {
        EventLevel.COMMUNE: HonouringCadence.objects.create(
            level=EventLevel.COMMUNE, events_per_period=2, period_years=5, base_year=2021
        ),
        EventLevel.PROVINCE: HonouringCadence.objects.create(
            level=EventLevel.PROVINCE,
            events_per_period=1,
            period_years=5,
            base_year=2021,
            usual_day=15,
            usual_month=10,
        ),
    }


def _event(unit, level, date, by):
    return services.honouring_event_save(
        data={"name": f"Hội nghị {unit.name} {date}", "date": date, "level": level, "unit": unit},
        awards=[],
        by=by,
    )


def _status(user, on=ON):
    return {
        status.cadence.level: status
        for status in selectors.honouring_cadence_status(user=user, on=on)
    }


# --- The model ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "period"),
    [(2021, (2021, 2025)), (2025, (2021, 2025)), (2026, (2026, 2030)), (2019, (2016, 2020))],
)
def test_cadence_period_of_follows_the_five_year_phases(year, period):
    assert HonouringCadence(period_years=5, base_year=2021).period_of(year) == period


def test_cadence_period_of_yearly():
    assert HonouringCadence(period_years=1, base_year=2021).period_of(2027) == (2027, 2027)


def test_cadence_day_that_does_not_exist_refused():
    cadence = HonouringCadence(level=EventLevel.PROVINCE, usual_day=31, usual_month=2)

    with pytest.raises(ValidationError) as refused:
        cadence.full_clean()

    assert "usual_day" in refused.value.message_dict


def test_cadence_day_without_month_refused():
    cadence = HonouringCadence(level=EventLevel.PROVINCE, usual_day=15)

    with pytest.raises(ValidationError):
        cadence.full_clean()
    with pytest.raises(IntegrityError):
        cadence.save()


def test_cadence_zero_events_refused():
    with pytest.raises(ValidationError):
        HonouringCadence(level=EventLevel.PROVINCE, events_per_period=0).full_clean()


def test_cadence_one_row_per_level(cadences):
    with pytest.raises(ValidationError):
        HonouringCadence(level=EventLevel.PROVINCE).full_clean()


# --- Where each level stands -------------------------------------------------------------


def test_cadence_status_nothing_held_is_due(secretariat, cadences):
    status = _status(secretariat)

    province = status[EventLevel.PROVINCE]
    assert (province.period_start, province.period_end) == (2026, 2030)
    assert (province.held, province.organisers, province.due) == (0, 0, True)
    assert status[EventLevel.COMMUNE].due is True


def test_cadence_status_province_event_in_period_not_due(province, secretariat, cadences):
    _event(province, EventLevel.PROVINCE, datetime.date(2026, 10, 15), secretariat)

    status = _status(secretariat)[EventLevel.PROVINCE]

    assert (status.held, status.organisers, status.short, status.due) == (1, 1, 0, False)


def test_cadence_status_event_of_previous_period_does_not_count(province, secretariat, cadences):
    _event(province, EventLevel.PROVINCE, datetime.date(2025, 10, 15), secretariat)

    assert _status(secretariat)[EventLevel.PROVINCE].held == 0
    assert _status(secretariat, on=datetime.date(2025, 12, 31))[EventLevel.PROVINCE].held == 1


def test_cadence_status_commune_counted_per_organiser(province, secretariat, cadences):
    first = UnitFactory(kind=UnitKind.COMMUNE, parent=province)
    second = UnitFactory(kind=UnitKind.COMMUNE, parent=province)
    _event(first, EventLevel.COMMUNE, datetime.date(2026, 10, 15), secretariat)
    _event(first, EventLevel.COMMUNE, datetime.date(2029, 10, 15), secretariat)
    _event(second, EventLevel.COMMUNE, datetime.date(2027, 10, 15), secretariat)

    status = _status(secretariat)[EventLevel.COMMUNE]

    assert (status.held, status.organisers, status.short, status.due) == (3, 2, 1, True)


def test_cadence_status_counts_only_the_users_scope(province, secretariat, cadences):
    other = UnitFactory(kind=UnitKind.PROVINCE)
    other_secretariat = UserFactory(
        unit=UnitFactory(kind=UnitKind.PARTY_BODY, parent=other, oversees=other),
        roles=[Role.SECRETARIAT],
    )
    _event(other, EventLevel.PROVINCE, datetime.date(2026, 10, 15), other_secretariat)

    assert _status(secretariat)[EventLevel.PROVINCE].held == 0
    assert _status(other_secretariat)[EventLevel.PROVINCE].held == 1


def test_cadence_status_inactive_cadence_left_out(secretariat, cadences):
    cadences[EventLevel.COMMUNE].active = False
    cadences[EventLevel.COMMUNE].save()

    assert list(_status(secretariat)) == [EventLevel.PROVINCE]


def test_cadence_status_two_queries_whatever_the_events(
    province, secretariat, cadences, django_assert_num_queries
):
    for year in (2026, 2027, 2028):
        _event(province, EventLevel.PROVINCE, datetime.date(year, 10, 15), secretariat)
        _event(
            UnitFactory(kind=UnitKind.COMMUNE, parent=province),
            EventLevel.COMMUNE,
            datetime.date(year, 10, 15),
            secretariat,
        )

    with django_assert_num_queries(2):
        statuses = selectors.honouring_cadence_status(user=secretariat, on=ON)

    assert [s.held for s in statuses] == [3, 3]


def test_cadence_status_without_cadences_is_empty(secretariat):
    assert selectors.honouring_cadence_status(user=secretariat) == []


# --- The demo seed -----------------------------------------------------------------------


def test_demo_seeds_cadences_once_and_keeps_changes():
    demo.seed()
    assert sorted(
        HonouringCadence.objects.values_list(
            "level", "events_per_period", "period_years", "usual_day", "usual_month"
        )
    ) == [(EventLevel.COMMUNE, 2, 5, None, None), (EventLevel.PROVINCE, 1, 5, 15, 10)]
    HonouringCadence.objects.filter(level=EventLevel.COMMUNE).update(events_per_period=3)

    demo.seed()

    assert HonouringCadence.objects.count() == 2
    assert HonouringCadence.objects.get(level=EventLevel.COMMUNE).events_per_period == 3
