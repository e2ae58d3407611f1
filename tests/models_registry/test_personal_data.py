"""Personal data of an individual exemplar: export on request, removal by an administrator
(models_registry.services.personal_data and the two admin actions)."""

import io

import pytest
from django.contrib.admin import helpers, site
from django.urls import reverse
from openpyxl import load_workbook

from awards.enums import RecipientKind
from awards.models import Award
from danvan.activity import action_label, activity_for
from danvan.enums import Role
from danvan.models import ActivityLog
from danvan.utils import fold_vietnamese
from models_registry import services
from models_registry.models import DvkModel
from tests.factories import DvkModelFactory, UserFactory
from tests.factories.awards import AwardTypeFactory, DecisionFactory

ACTION_REMOVE = "models_registry.dvkmodel.remove_personal_data"
PERSON = "Nguyễn Văn An"
LEAD = "Trần Thị Bình"
REMOVED = services.REMOVED_NAME


@pytest.fixture
def admin_user(db):
    return UserFactory(unit=None, is_superuser=True, is_staff=True)


@pytest.fixture
def exemplar(campaign, commune, officer):
    """An individual exemplar named after the person, edited once (two history rows and
    two activity rows carrying the name)."""
    dvk_model = services.dvk_model_create(
        campaign=campaign,
        unit=commune,
        by=officer,
        data={
            "kind": "individual_exemplar",
            "name": f"Điển hình {PERSON} vận động hiến đất",
            "person_name": PERSON,
            "person_position": "Trưởng thôn",
            "person_birth_year": 1975,
            "lead_name": LEAD,
            "lead_phone": "0912345678",
            "lead_email": "binh@example.vn",
        },
    )
    return services.dvk_model_update(
        dvk_model=dvk_model,
        by=officer,
        data={"person_position": "=Bí thư chi bộ", "lead_phone": "0987654321"},
        version=dvk_model.version,
    )


def _history(dvk_model):
    return DvkModel.history.model.objects.filter(id=dvk_model.pk).order_by("history_id")


def _removal_rows(dvk_model):
    return activity_for(dvk_model).filter(action=ACTION_REMOVE)


# --- Removal ------------------------------------------------------------------------------


def test_person_data_remove_anonymises_model(exemplar, admin_user):
    version = exemplar.version

    assert services.person_data_remove(dvk_model=exemplar, by=admin_user) is True

    stored = DvkModel.objects.get(pk=exemplar.pk)
    assert stored.person_name == REMOVED
    assert stored.lead_name == REMOVED
    assert stored.name == f"Điển hình {REMOVED} vận động hiến đất"
    assert (stored.person_position, stored.person_birth_year) == ("", None)
    assert (stored.lead_phone, stored.lead_email) == ("", "")
    assert fold_vietnamese(PERSON) not in stored.search_text
    assert stored.version == version + 1
    assert exemplar.person_name == REMOVED  # the caller's instance is refreshed


def test_person_data_remove_anonymises_every_history_row(exemplar, admin_user):
    before = _history(exemplar).count()

    services.person_data_remove(dvk_model=exemplar, by=admin_user)

    rows = list(_history(exemplar).values())
    assert len(rows) == before + 1  # kept, plus the removal's own version
    for row in rows:
        assert row["person_name"] == REMOVED
        assert row["lead_name"] == REMOVED
        assert PERSON not in row["name"]
        assert row["person_position"] == ""
        assert row["person_birth_year"] is None
        assert row["lead_phone"] == ""
        assert row["lead_email"] == ""


def test_person_data_remove_anonymises_activity_and_logs_one_row(exemplar, admin_user):
    services.person_data_remove(dvk_model=exemplar, by=admin_user)

    rows = list(activity_for(exemplar))
    assert [row.action.rsplit(".", 1)[1] for row in rows] == [
        "create",
        "update",
        "remove_personal_data",
    ]
    assert all(PERSON not in row.object_repr for row in rows)
    assert rows[0].object_repr == f"Điển hình {REMOVED} vận động hiến đất"
    removal = rows[-1]
    assert removal.actor == admin_user
    assert removal.unit == exemplar.unit
    assert PERSON not in str(removal.data)
    assert action_label(ACTION_REMOVE) != ACTION_REMOVE


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.UNIT_OFFICER, Role.LEADER])
def test_person_data_remove_refused_for_non_admin(exemplar, commune, role):
    user = UserFactory(unit=commune, roles=[role], is_staff=True)
    history = list(_history(exemplar).values())
    activity = list(ActivityLog.objects.values())

    with pytest.raises(services.RegistrationError, match="quản trị viên"):
        services.person_data_remove(dvk_model=exemplar, by=user)

    stored = DvkModel.objects.get(pk=exemplar.pk)
    assert (stored.person_name, stored.person_birth_year) == (PERSON, 1975)
    assert list(_history(exemplar).values()) == history
    assert list(ActivityLog.objects.values()) == activity


def test_person_data_remove_is_idempotent(exemplar, admin_user):
    services.person_data_remove(dvk_model=exemplar, by=admin_user)
    history = list(_history(exemplar).values())

    assert services.person_data_remove(dvk_model=exemplar, by=admin_user) is False

    assert list(_history(exemplar).values()) == history
    assert _removal_rows(exemplar).count() == 1


def test_person_data_remove_leaves_other_models(exemplar, admin_user, campaign, commune):
    other = DvkModelFactory(campaign=campaign, unit=commune, individual=True)

    services.person_data_remove(dvk_model=exemplar, by=admin_user)

    other.refresh_from_db()
    assert (other.person_name, other.lead_phone) == (PERSON, "0912345678")
    assert _history(other).get().person_name == PERSON


# --- Export -------------------------------------------------------------------------------


def _sheets(content: bytes) -> dict[str, list[list]]:
    book = load_workbook(io.BytesIO(content))
    return {
        sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()]
        for sheet in book.worksheets
    }


def _award(exemplar, name):
    decision = DecisionFactory(issuer=exemplar.campaign.organiser)
    return Award.objects.create(
        decision=decision,
        recipient_kind=RecipientKind.INDIVIDUAL,
        person_name=name,
        person_position="Trưởng thôn",
        award_type=AwardTypeFactory(),
        achievement="Vận động nhân dân hiến 2.000 m² đất làm đường.",
    )


def test_person_data_export_holds_current_history_and_awards(exemplar):
    _award(exemplar, PERSON)
    _award(exemplar, "Người Khác")

    filename, content_type, content = services.person_data_export(dvk_model=exemplar)

    assert filename.endswith(".xlsx")
    assert "spreadsheetml" in content_type
    current, history, awards, _proposals = _sheets(content).values()
    values = {row[0]: row[1] for row in current[2:]}
    assert PERSON in values.values()
    assert "1975" in values.values()
    assert "'=Bí thư chi bộ" in values.values()  # never a formula
    assert "0987654321" in values.values()
    phones = {row[-2] for row in history[2:]}
    assert phones == {"0912345678", "0987654321"}  # both versions, with their dates
    assert all(row[0] for row in history[2:])
    assert [row[5] for row in awards[2:]] == [PERSON]


def test_person_data_export_cells_are_text(exemplar):
    content = services.person_data_export(dvk_model=exemplar)[2]

    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type in ("s", "n") and (
                    cell.value is None or isinstance(cell.value, str)
                ), (sheet.title, cell.coordinate, cell.value)


def test_person_data_export_after_removal_holds_nothing_personal(exemplar, admin_user):
    services.person_data_remove(dvk_model=exemplar, by=admin_user)

    content = services.person_data_export(dvk_model=exemplar)[2]

    text = repr(_sheets(content))
    assert PERSON not in text
    assert "0912345678" not in text


# --- Admin actions ------------------------------------------------------------------------

CHANGELIST = "admin:models_registry_dvkmodel_changelist"


def _post_action(client, action, dvk_model, **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [dvk_model.pk], **extra},
    )


def _staff():
    """Staff status without being an administrator (the admin site answers 404)."""
    return UserFactory(unit=None, is_staff=True)


def test_admin_actions_offered_to_superuser_only(client, rf, exemplar, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse(CHANGELIST))
    assert b"export_personal_data" in page.content
    assert b"remove_personal_data" in page.content

    staff = _staff()
    client.force_login(staff)
    assert client.get(reverse(CHANGELIST)).status_code == 404  # not a 500
    model_admin = site._registry[DvkModel]
    request = rf.get(reverse(CHANGELIST))
    request.user = staff
    assert "export_personal_data" not in model_admin.get_actions(request)
    assert "remove_personal_data" not in model_admin.get_actions(request)


def test_admin_export_action_downloads_xlsx(client, exemplar, admin_user):
    client.force_login(admin_user)

    response = _post_action(client, "export_personal_data", exemplar)

    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert "no-store" in response["Cache-Control"]
    assert PERSON in repr(_sheets(response.content))


def test_admin_remove_action_confirms_then_anonymises(client, exemplar, admin_user):
    client.force_login(admin_user)

    confirm = _post_action(client, "remove_personal_data", exemplar)
    assert confirm.status_code == 200
    assert PERSON in confirm.content.decode()
    assert DvkModel.objects.get(pk=exemplar.pk).person_name == PERSON  # not yet

    done = _post_action(client, "remove_personal_data", exemplar, post="yes")
    assert done.status_code == 302
    assert DvkModel.objects.get(pk=exemplar.pk).person_name == REMOVED
    assert _removal_rows(exemplar).count() == 1


@pytest.mark.parametrize("action", ["export_personal_data", "remove_personal_data"])
def test_admin_actions_refused_for_staff(client, exemplar, action):
    client.force_login(_staff())

    response = _post_action(client, action, exemplar, post="yes")

    assert response.status_code == 404
    assert "spreadsheetml" not in response.get("Content-Type", "")
    assert DvkModel.objects.get(pk=exemplar.pk).person_name == PERSON
    assert not _removal_rows(exemplar).exists()


def test_admin_actions_anonymous_redirects_to_login(client, exemplar):
    response = _post_action(client, "remove_personal_data", exemplar, post="yes")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert DvkModel.objects.get(pk=exemplar.pk).person_name == PERSON
