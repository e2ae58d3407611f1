"""models_registry/validators.py: each rule in one place, used by forms and services, with
the part the database can hold as a constraint."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from models_registry import services, validators
from models_registry.forms import CampaignForm, DvkModelForm
from models_registry.models import Campaign, DvkModel, Field
from tests.factories import DvkModelFactory
from tests.factories.registry import days

D = datetime.date


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        call()
    return excinfo.value.message_dict


def test_validate_planned_dates_end_before_start_error_on_end():
    assert list(
        errors_of(lambda: validators.validate_planned_dates(D(2026, 5, 2), D(2026, 5, 1)))
    ) == ["planned_end"]


@pytest.mark.parametrize(
    ("start", "end"), [(None, None), (D(2026, 5, 1), None), (D(2026, 5, 1), D(2026, 5, 1))]
)
def test_validate_planned_dates_open_or_ordered_accepted(start, end):
    validators.validate_planned_dates(start, end)


@pytest.mark.parametrize("year", [1899, days(366).year + 1])
def test_validate_birth_year_out_of_range_error(year):
    assert list(errors_of(lambda: validators.validate_birth_year(year))) == ["person_birth_year"]


@pytest.mark.parametrize("year", [None, 1900, days(0).year])
def test_validate_birth_year_in_range_accepted(year):
    validators.validate_birth_year(year)


def test_validate_campaign_dates_each_out_of_order_date_named():
    values = {
        "year": 2026,
        "registration_opens": D(2026, 3, 1),
        "registration_closes": D(2026, 2, 1),
        "result_report_due": D(2026, 1, 1),
        "scoring_opens": D(2026, 9, 2),
        "scoring_closes": D(2026, 9, 1),
    }

    assert sorted(errors_of(lambda: validators.validate_campaign_dates(values))) == [
        "registration_closes",
        "result_report_due",
        "scoring_closes",
    ]


def test_validate_campaign_dates_registration_far_from_year_error():
    values = {"year": 2030, "registration_opens": D(2026, 1, 15)}

    assert list(errors_of(lambda: validators.validate_campaign_dates(values))) == [
        "registration_opens"
    ]


@pytest.mark.django_db
def test_registration_form_and_service_give_the_same_birth_year_message(campaign, commune, officer):
    form = DvkModelForm(
        {"kind": "individual_exemplar", "name": "A", "person_birth_year": "1800"},
        fields_queryset=Field.objects.all(),
        replicates_queryset=DvkModel.objects.none(),
    )
    with pytest.raises(services.RegistrationError) as excinfo:
        services.dvk_model_create(
            campaign=campaign,
            unit=commune,
            by=officer,
            data={"name": "A", "person_birth_year": 1800},
        )

    assert form.errors["person_birth_year"] == excinfo.value.field_errors()["person_birth_year"]


@pytest.mark.django_db
def test_dvk_model_birth_year_before_1900_refused_by_the_database(campaign, commune):
    with pytest.raises(IntegrityError), transaction.atomic():
        DvkModelFactory(campaign=campaign, unit=commune, person_birth_year=1850)


@pytest.mark.django_db
def test_campaign_result_due_before_registration_closes_refused_by_the_database(campaign):
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(
            registration_closes=days(10), result_report_due=days(9)
        )


@pytest.mark.django_db
def test_campaign_form_and_service_give_the_same_date_message(province):
    dates = {
        "year": days(0).year,
        "registration_opens": days(5),
        "registration_closes": days(1),
        "result_report_due": days(60),
        "scoring_opens": days(61),
        "scoring_closes": days(70),
    }
    form = CampaignForm(
        {
            **{k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in dates.items()},
            "title": "T",
            "organiser": province.pk,
        },
        organisers=type(province).objects.filter(pk=province.pk),
    )
    with pytest.raises(services.RegistrationError) as excinfo:
        services.campaign_save(campaign=Campaign(title="T", organiser=province, **dates))

    assert form.errors["registration_closes"] == excinfo.value.field_errors()["registration_closes"]
