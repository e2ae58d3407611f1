from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import translation

from danvan.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from danvan.enums import Role, UnitKind
from danvan.models import Unit, UnitSuccession, User
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def run(*args, **options):
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def login(username, password):
    return authenticate(request=RequestFactory().post("/"), username=username, password=password)


def counts():
    return (
        Unit.objects.count(),
        Unit.history.count(),
        UnitSuccession.objects.count(),
        User.objects.count(),
    )


# --- import_units ------------------------------------------------------------------------


def test_import_units_province_prints_summary():
    out, _err = run("import_units", "--province", "42")

    assert "70 created, 0 updated, 0 unchanged" in out
    assert Unit.objects.filter(kind=UnitKind.COMMUNE).count() == 69


def test_import_units_unknown_province_fails():
    with pytest.raises(CommandError), translation.override("en"):
        call_command("import_units", "--province", "99", stdout=StringIO(), stderr=StringIO())

    assert Unit.objects.count() == 0


def test_import_units_file_with_parent_creates_units(tmp_path):
    UnitFactory(code="42", kind=UnitKind.PROVINCE)
    path = tmp_path / "units.csv"
    path.write_text("ma,ten,loai\n42-SYT,Sở Y tế,department\n", encoding="utf-8")

    out, _err = run("import_units", "--file", str(path), "--parent", "42")

    assert "1 created" in out
    assert Unit.objects.get(code="42-SYT").parent.code == "42"


def test_import_units_file_errors_go_to_stderr_and_fail(tmp_path):
    UnitFactory(code="42", kind=UnitKind.PROVINCE)
    path = tmp_path / "units.csv"
    path.write_text(
        "code,name,kind,parent_code\n42-SYT,Sở Y tế,department,NOPE\n42-SYT,,x,42\n",
        encoding="utf-8",
    )
    err = StringIO()

    with pytest.raises(CommandError) as info, translation.override("en"):
        call_command("import_units", "--file", str(path), stdout=StringIO(), stderr=err)

    assert "4 errors" in str(info.value)
    assert err.getvalue().splitlines() == [
        "Line 2, column “parent_code”: Parent code NOPE matches no existing unit and no "
        "earlier line.",
        "Line 3, column “code”: Code 42-SYT is already used on line 2.",
        "Line 3, column “name”: This cell is required.",
        "Line 3, column “kind”: Unknown kind “x”. Use one of: department, party_body, "
        "mass_org, armed_forces, residential.",
    ]
    assert Unit.objects.count() == 1


def test_import_units_unknown_parent_option_fails(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("code,name,kind\n", encoding="utf-8")

    with pytest.raises(CommandError):
        call_command("import_units", "--file", str(path), "--parent", "NOPE")


def test_import_units_requires_a_source():
    with pytest.raises(CommandError):
        call_command("import_units")


# --- seed_demo ---------------------------------------------------------------------------


def test_seed_demo_second_run_changes_nothing():
    run("seed_demo")
    first = counts()

    out, _err = run("seed_demo")

    assert counts() == first
    assert "0 created, 0 updated" in out


def test_seed_demo_builds_hatinh_organisation():
    run("seed_demo")

    province = Unit.objects.get(code="42")
    assert Unit.objects.filter(kind=UnitKind.COMMUNE, parent=province).count() == 69
    assert Unit.objects.get(code="42-BTGDV").parent.code == "42-TU"
    assert Unit.objects.get(code="42-HLHPN").parent.code == "42-MTTQ"
    assert Unit.objects.get(code="18073-HND").parent.code == "18073-MTTQ"
    districts = Unit.objects.filter(kind=UnitKind.DISTRICT)
    assert districts.count() == 13
    assert set(districts.values_list("active", flat=True)) == {False}
    assert sorted(
        UnitSuccession.objects.filter(predecessor__code="42-D-TPHATINH").values_list(
            "successor__name", flat=True
        )
    ) == ["Phường Hà Huy Tập", "Phường Thành Sen", "Phường Trần Phú"]


def test_seed_demo_accounts_authenticate_with_their_roles():
    run("seed_demo")

    for account in DEMO_ACCOUNTS:
        user = login(account.username, DEMO_PASSWORD)
        assert user is not None, account.username
        assert user.roles == [role for role in Role if role in account.roles]
        assert user.unit is not None
    admin = User.objects.get(username="admin")
    assert (admin.is_superuser, admin.is_staff, admin.unit.code) == (True, True, "42-BTGDV")


def test_seed_demo_rerun_keeps_changed_password():
    run("seed_demo")
    user = User.objects.get(username="thuongtruc")
    user.set_password("Mat-khau-moi-2026")
    user.save()

    run("seed_demo")

    assert login("thuongtruc", "Mat-khau-moi-2026") is not None
    assert login("thuongtruc", DEMO_PASSWORD) is None
