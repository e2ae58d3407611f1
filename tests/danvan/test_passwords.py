"""Password validators: personal information and the current password are refused.

Issue 8 item 16: the user's full name, their unit's name and the current password were
accepted as a new password.
"""

import pytest
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

CURRENT = "matkhau-an-toan-2026"


def unchanged_message():
    return gettext("The new password must be different from your current password.")


@pytest.fixture
def user():
    unit = UnitFactory(name="Xã Cẩm Xuyên", short_name="Cẩm Xuyên")
    return UserFactory(
        username="canbo01",
        full_name="Nguyễn Thị Phương Thảo",
        position="Chủ tịch Hội Liên hiệp Phụ nữ",
        unit=unit,
    )


def _change(user, new):
    return PasswordChangeForm(
        user, {"old_password": CURRENT, "new_password1": new, "new_password2": new}
    )


@pytest.mark.parametrize(
    "password",
    [
        "Nguyễn Thị Phương Thảo",  # the full name as written
        "nguyenthiphuongthao",  # typed without diacritics or spaces
        "xacamxuyen",  # the unit's name, folded
        "Xã Cẩm Xuyên 1",
        "chutichhoilienhiepphunu",  # the job title
    ],
)
def test_password_change_refuses_personal_information(user, password):
    """Issue 8 item 16: name, unit name and job title are too similar."""
    form = _change(user, password)

    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["new_password2"]] == ["password_too_similar"]


def test_password_change_names_the_unit(user):
    form = _change(user, "xacamxuyen")

    form.is_valid()

    unit = gettext("the name of your unit")
    assert form.errors["new_password2"] == [f"Mật khẩu quá giống với {unit}."]


def test_password_change_refuses_the_current_password(user):
    """Issue 8 item 16: "changing" to the same password is refused."""
    form = _change(user, CURRENT)

    assert not form.is_valid()
    codes = [e.code for e in form.errors.as_data()["new_password2"]]
    assert codes == ["password_unchanged"]
    assert form.errors["new_password2"] == [unchanged_message()]


def test_password_change_accepts_an_unrelated_password(user):
    form = _change(user, "bau-troi-xanh-ngat-47")

    assert form.is_valid(), form.errors


def test_validate_password_for_a_new_user_without_password_passes():
    unit = UnitFactory(name="Phường Bắc Hồng Lĩnh")
    new_user = UserFactory.build(username="moi", full_name="Trần Văn Bình", unit=unit, password="")

    validate_password("bau-troi-xanh-ngat-47", new_user)


def test_validate_password_without_a_unit_checks_the_other_fields():
    new_user = UserFactory.build(username="moi", full_name="Trần Văn Bình", unit=None)

    with pytest.raises(ValidationError):
        validate_password("tranvanbinh", new_user)


def test_password_change_page_shows_the_refusal(client, user):
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {"old_password": CURRENT, "new_password1": CURRENT, "new_password2": CURRENT},
    )

    assert response.status_code == 200
    assert escape(unchanged_message()) in response.text
