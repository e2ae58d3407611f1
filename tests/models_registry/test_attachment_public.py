"""Showing an evidence photo in the library of exemplary models: the upload checkbox, the
toggle in the attachment list, the service with its activity rows and refusals."""

import pytest
from django.urls import reverse

from danvan.enums import Role
from danvan.models import ActivityLog
from models_registry import services
from models_registry.enums import AttachmentPurpose, ModelStatus
from models_registry.models import Attachment
from tests.factories import CampaignFactory, UnitFactory, UserFactory
from tests.factories.registry import dvk_model_in_status, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    campaign = CampaignFactory()
    commune = UnitFactory(parent=campaign.organiser)
    officer = UserFactory(unit=commune, roles=[Role.UNIT_OFFICER])
    dvk_model = dvk_model_in_status(ModelStatus.DRAFT, campaign=campaign, unit=commune)
    return type(
        "W", (), {"campaign": campaign, "commune": commune, "officer": officer, "model": dvk_model}
    )


def add(w, name, content, *, public=False, dvk_model=None):
    return services.attachment_add(
        dvk_model=dvk_model or w.model,
        uploaded_file=upload(name, content),
        by=w.officer,
        purpose=AttachmentPurpose.REGISTRATION,
        public=public,
    )


def test_attachment_is_not_public_by_default(w):
    assert add(w, "anh.png", png_bytes()).public is False


def test_attachment_add_public_photo(w):
    assert add(w, "anh.png", png_bytes(), public=True).public is True


def test_attachment_add_refuses_a_public_pdf_on_the_field(w):
    with pytest.raises(services.RegistrationError) as refused:
        add(w, "bien-ban.pdf", pdf_bytes(), public=True)

    assert refused.value.field == "public"
    assert Attachment.objects.count() == 0


def test_attachment_set_public_logs_each_change(w):
    photo = add(w, "anh.png", png_bytes())
    before = ActivityLog.objects.count()

    services.attachment_set_public(attachment=photo, public=True, by=w.officer)
    services.attachment_set_public(attachment=photo, public=True, by=w.officer)
    services.attachment_set_public(attachment=photo, public=False, by=w.officer)

    rows = list(ActivityLog.objects.order_by("pk")[before:].values_list("action", flat=True))
    assert rows == [
        "models_registry.dvkmodel.show_attachment",
        "models_registry.dvkmodel.hide_attachment",
    ]
    photo.refresh_from_db()
    assert photo.public is False


def test_attachment_set_public_refuses_a_pdf(w):
    pdf = add(w, "bien-ban.pdf", pdf_bytes())

    with pytest.raises(services.RegistrationError):
        services.attachment_set_public(attachment=pdf, public=True, by=w.officer)

    pdf.refresh_from_db()
    assert pdf.public is False


def test_upload_form_has_the_public_checkbox(client, w):
    client.force_login(w.officer)

    html = client.get(w.model.get_absolute_url()).content.decode()

    assert 'name="public"' in html


def test_upload_with_the_checkbox_marks_the_photo_public(client, w):
    client.force_login(w.officer)

    client.post(
        reverse("models_registry:attachment_upload", args=[w.model.pk]),
        {"file": upload("anh.png", png_bytes()), "public": "on", "purpose": "registration"},
    )

    assert Attachment.objects.get().public is True


def test_upload_of_a_public_pdf_is_refused_at_the_field_with_the_description_kept(client, w):
    client.force_login(w.officer)

    response = client.post(
        reverse("models_registry:attachment_upload", args=[w.model.pk]),
        {
            "file": upload("bien-ban.pdf", pdf_bytes()),
            "public": "on",
            "purpose": "registration",
            "description": "Biên bản họp dân",
        },
    )

    assert response.status_code == 200
    assert response.context["attachment_form"].errors["public"]
    assert "Biên bản họp dân" in response.content.decode()
    assert Attachment.objects.count() == 0


def test_toggle_in_the_list_shows_and_hides_the_photo(client, w):
    photo = add(w, "anh.png", png_bytes())
    client.force_login(w.officer)
    url = reverse("models_registry:attachment_public", args=[photo.pk])

    assert url in client.get(w.model.get_absolute_url()).content.decode()
    assert client.post(url, {"public": "1"}).status_code == 302
    photo.refresh_from_db()
    assert photo.public is True
    client.post(url, {"public": "0"})
    photo.refresh_from_db()
    assert photo.public is False


def test_toggle_works_after_acceptance(client, w):
    accepted = dvk_model_in_status(ModelStatus.ACCEPTED, campaign=w.campaign, unit=w.commune)
    photo = Attachment.objects.create(
        dvk_model=accepted,
        original_name="anh.png",
        extension=".png",
        content_type="image/png",
        size=10,
        sha256="x" * 64,
        file="evidence/anh.png",
        uploaded_by=w.officer,
    )
    client.force_login(w.officer)

    client.post(reverse("models_registry:attachment_public", args=[photo.pk]), {"public": "1"})

    photo.refresh_from_db()
    assert photo.public is True


def test_toggle_not_offered_for_a_pdf(client, w):
    pdf = add(w, "bien-ban.pdf", pdf_bytes())
    client.force_login(w.officer)

    html = client.get(w.model.get_absolute_url()).content.decode()

    assert reverse("models_registry:attachment_public", args=[pdf.pk]) not in html


def test_toggle_refused_for_a_pdf_with_a_message(client, w):
    pdf = add(w, "bien-ban.pdf", pdf_bytes())
    client.force_login(w.officer)

    response = client.post(
        reverse("models_registry:attachment_public", args=[pdf.pk]), {"public": "1"}, follow=True
    )

    assert len(list(response.context["messages"])) == 1
    pdf.refresh_from_db()
    assert pdf.public is False


def test_toggle_anonymous_goes_to_login(client, w):
    photo = add(w, "anh.png", png_bytes())

    response = client.post(reverse("models_registry:attachment_public", args=[photo.pk]))

    assert response.status_code == 302 and "next=" in response["Location"]


def test_toggle_out_of_scope_is_404_and_wrong_role_refused(client, w):
    photo = add(w, "anh.png", png_bytes())
    url = reverse("models_registry:attachment_public", args=[photo.pk])
    client.force_login(UserFactory(unit=UnitFactory(), roles=[Role.UNIT_OFFICER]))
    assert client.post(url, {"public": "1"}).status_code == 404
    assert client.get(url).status_code == 405
    leader = UserFactory(unit=w.campaign.organiser, roles=[Role.LEADER])
    client.force_login(leader)
    client.post(url, {"public": "1"})

    photo.refresh_from_db()
    assert photo.public is False
