"""Where the personal data of a registration may be read (models_registry.privacy): the
individual's name and position wherever the model is read; the year of birth and the
contact (person in charge, phone, e-mail) only in the scope of the model's unit."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from danvan.enums import Role, UnitKind
from evaluation import services as evaluation_services
from models_registry import privacy
from models_registry.enums import ModelStatus
from models_registry.models import DvkModel
from tests.factories import RoundEntryFactory, RoundFactory, UnitFactory, UserFactory
from tests.factories.evaluation import CommitteeFactory, CommitteeMemberFactory, open_round
from tests.factories.registry import dvk_model_in_status
from tests.reports.test_showcase_support import build_library

PERSON = "Nguyễn Văn An"
POSITION = "Trưởng thôn"
# Only in scope: the year of birth and the contact.
SCOPED = ("1975", "Trần Thị Bình", "0912345678", "binh@example.vn")


@pytest.fixture
def exemplar(world):
    """An accepted individual exemplar of commune A in a campaign that shares its
    accepted models (every signed-in user with a unit reads it)."""
    world.campaign.share_accepted_models = True
    world.campaign.save(update_fields=["share_accepted_models"])
    return dvk_model_in_status(
        ModelStatus.ACCEPTED,
        campaign=world.campaign,
        unit=world.commune_a,
        individual=True,
        reviewer=world.secretariat,
    )


def _page(client, user, dvk_model) -> str:
    client.force_login(user)
    response = client.get(reverse("models_registry:model_detail", args=[dvk_model.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- The model's page ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer_a", "secretariat", "leader", "admin"])
def test_model_page_in_scope_shows_birth_year_and_contact(client, world, exemplar, who):
    html = _page(client, getattr(world, who), exemplar)

    assert PERSON in html
    for value in SCOPED:
        assert value in html, value


@pytest.mark.parametrize("who", ["officer_b", "outsider", "committee"])
def test_model_page_out_of_scope_hides_birth_year_and_contact(client, world, exemplar, who):
    """Readers of a shared model: another commune, another province, a department."""
    html = _page(client, getattr(world, who), exemplar)

    assert PERSON in html
    assert POSITION in html
    for value in SCOPED:
        assert value not in html, value
    assert "tel:" not in html
    assert "mailto:" not in html


def test_model_page_of_assigned_reviewer_hides_birth_year_and_contact(client, world):
    """A committee member of a provincial department scores a commune's exemplar: the
    name and position (what is scored), not the year of birth nor the contact."""
    committee = CommitteeFactory(unit=world.province)
    reviewer = CommitteeMemberFactory(committee=committee).user
    round_ = RoundFactory(campaign=world.campaign, created_by=world.secretariat)
    dvk_model = dvk_model_in_status(
        ModelStatus.ACCEPTED,
        campaign=world.campaign,
        unit=world.commune_a,
        individual=True,
        reviewer=world.secretariat,
    )
    entry = RoundEntryFactory(round=round_, dvk_model=dvk_model)
    evaluation_services.assignment_add(entry=entry, reviewer=reviewer, by=world.secretariat)
    open_round(round_)

    html = _page(client, reviewer, dvk_model)

    assert PERSON in html
    for value in SCOPED:
        assert value not in html, value


def test_model_page_of_library_reader_hides_contact(client, db):
    """A unit of the province reads another unit's library model's page (commune B's
    officer the exemplary model of commune A, commune A's officer the exemplar of a
    village of commune B)."""
    lib = build_library()

    html = _page(client, lib.officer_b, lib.exemplary)
    entry = _page(client, lib.officer_a, lib.recognised)

    for value in ("Trần Thị Bình", "0912345678", "binh@example.vn"):
        assert value not in html, value
    assert "Nguyễn Văn An" in entry
    assert "1975" not in entry


def test_library_entry_signed_in_has_no_contact_nor_birth_year(client, db):
    """Each entry read by the officer of the other commune, and the list."""
    lib = build_library()
    pages = []
    for user, dvk_model in ((lib.officer_b, lib.exemplary), (lib.officer_a, lib.recognised)):
        client.force_login(user)
        pages.append(client.get(reverse("showcase:entry", args=[dvk_model.pk])).content.decode())
    pages.append(client.get(reverse("showcase:library")).content.decode())

    html = "\n".join(pages)
    assert "Nguyễn Văn An" in html  # a recognised exemplar is published
    for value in ("Trần Thị Bình", "0912345678", "binh@example.vn", "1975"):
        assert value not in html, value


# --- The predicate and its queryset form agree ----------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("officer_a", True),
        ("secretariat", True),
        ("leader", True),
        ("admin", True),
        ("officer_b", False),
        ("outsider", False),
        ("committee", False),
    ],
)
def test_sees_personal_details_agrees_with_annotation(world, exemplar, who, expected):
    user = getattr(world, who)

    annotated = (
        DvkModel.objects.filter(pk=exemplar.pk)
        .annotate(personal=privacy.personal_details_annotation(user))
        .get()
        .personal
    )

    assert privacy.sees_personal_details(user, exemplar) is expected
    assert annotated is expected


def test_sees_personal_details_refuses_inactive_user(world, exemplar):
    world.officer_a.is_active = False

    assert privacy.sees_personal_details(world.officer_a, exemplar) is False


# --- The intake list's export -----------------------------------------------------------------


def _export_rows(client, user) -> list[list]:
    client.force_login(user)
    response = client.get(reverse("models_registry:intake_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_intake_export_in_scope_has_contact(client, world, exemplar):
    rows = _export_rows(client, world.secretariat)

    text = repr(rows)
    assert "Trần Thị Bình" in text
    assert "0912345678" in text


def test_intake_export_of_shared_model_out_of_scope_has_no_contact(client, world, exemplar):
    """The other province's secretariat reads the shared model in its intake list: the
    row is there, its contact is not."""
    commission = UnitFactory(
        name="Ban Tuyên giáo và Dân vận tỉnh khác",
        kind=UnitKind.PARTY_BODY,
        parent=world.other_province,
        oversees=world.other_province,
    )
    other_secretariat = UserFactory(unit=commission, roles=[Role.SECRETARIAT])

    rows = _export_rows(client, other_secretariat)

    names = [row[2] for row in rows]
    assert exemplar.name in names
    text = repr(rows)
    assert "Trần Thị Bình" not in text
    assert "0912345678" not in text
