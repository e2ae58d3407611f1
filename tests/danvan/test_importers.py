import datetime

import pytest
from django.utils import translation
from openpyxl import Workbook

from danvan.enums import UnitKind
from danvan.importers import (
    ImportSummary,
    UnitImportError,
    units_import_province,
    units_import_table,
)
from danvan.models import Unit
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

HEADER = "code,name,kind,parent_code,short_name,valid_from\n"


@pytest.fixture
def province():
    return UnitFactory(code="42", name="Tỉnh Hà Tĩnh", kind=UnitKind.PROVINCE)


def import_csv(tmp_path, content, *, encoding="utf-8", parent=None, name="units.csv"):
    path = tmp_path / name
    path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
    with path.open("rb") as handle:
        return units_import_table(file=handle, filename=name, parent=parent)


def import_xlsx(tmp_path, rows, *, parent=None):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / "units.xlsx"
    workbook.save(path)
    with path.open("rb") as handle:
        return units_import_table(file=handle, filename="units.xlsx", parent=parent)


def refused(call, *args, **kwargs) -> UnitImportError:
    with pytest.raises(UnitImportError) as info:
        call(*args, **kwargs)
    return info.value


def positions(error: UnitImportError) -> list[tuple[int, str]]:
    return [(row.line, row.column) for row in error.errors]


# --- the national list -------------------------------------------------------------------


def test_units_import_province_creates_province_and_69_communes():
    summary = units_import_province(province_code=42)

    assert summary == ImportSummary(created=70, updated=0, unchanged=0)
    province = Unit.objects.get(code="42")
    assert (province.name, province.kind, province.parent) == ("Tỉnh Hà Tĩnh", "province", None)
    communes = Unit.objects.filter(kind=UnitKind.COMMUNE)
    assert communes.count() == 69
    assert set(communes.values_list("parent", flat=True)) == {province.pk}
    assert set(communes.values_list("valid_from", flat=True)) == {datetime.date(2025, 7, 1)}
    assert Unit.objects.get(code="18073").name == "Phường Thành Sen"


def test_units_import_province_second_run_changes_nothing():
    units_import_province(province_code=42)
    units_before = Unit.objects.count()
    history_before = Unit.history.count()

    summary = units_import_province(province_code=42)

    assert summary == ImportSummary(created=0, updated=0, unchanged=70)
    assert Unit.objects.count() == units_before
    assert Unit.history.count() == history_before


def test_units_import_province_restores_changed_name_only():
    units_import_province(province_code=42)
    Unit.objects.filter(code="18073").update(name="Phường Sai Tên")
    history_before = Unit.history.count()

    summary = units_import_province(province_code=42)

    assert summary == ImportSummary(created=0, updated=1, unchanged=69)
    assert Unit.objects.get(code="18073").name == "Phường Thành Sen"
    assert Unit.history.count() == history_before + 1


def test_units_import_province_unknown_code_refused():
    error = refused(units_import_province, province_code=99)

    assert "99" in error.message
    assert Unit.objects.count() == 0


# --- tables: happy paths -----------------------------------------------------------------


def test_units_import_table_csv_creates_units_in_file_order(tmp_path, province):
    content = HEADER + (
        "42-SNNMT,Sở Nông nghiệp và Môi trường,department,42,Sở NN&MT,01/07/2025\n"
        "42-MTTQ,Ủy ban MTTQ Việt Nam tỉnh Hà Tĩnh,Mặt trận Tổ quốc,42,,\n"
        "42-HLHPN,Hội Liên hiệp Phụ nữ tỉnh Hà Tĩnh,mass_org,42-MTTQ,,2025-07-01\n"
    )

    summary = import_csv(tmp_path, content)

    assert summary == ImportSummary(created=3, updated=0, unchanged=0)
    department = Unit.objects.get(code="42-SNNMT")
    assert (department.kind, department.parent, department.short_name) == (
        "department",
        province,
        "Sở NN&MT",
    )
    assert department.valid_from == datetime.date(2025, 7, 1)
    assert Unit.objects.get(code="42-MTTQ").kind == "mass_org"
    assert Unit.objects.get(code="42-HLHPN").parent.code == "42-MTTQ"


def test_units_import_table_second_run_changes_nothing(tmp_path, province):
    content = HEADER + "42-SYT,Sở Y tế,department,42,,\n42-CA,Công an tỉnh,armed_forces,42,,\n"
    import_csv(tmp_path, content)
    history_before = Unit.history.count()

    summary = import_csv(tmp_path, content)

    assert summary == ImportSummary(created=0, updated=0, unchanged=2)
    assert Unit.history.count() == history_before


def test_units_import_table_updates_by_code(tmp_path, province):
    UnitFactory(code="42-SYT", name="Sở Y Tế cũ", kind=UnitKind.DEPARTMENT, parent=province)

    summary = import_csv(tmp_path, HEADER + "42-SYT,Sở Y tế,department,42,,\n")

    assert summary == ImportSummary(created=0, updated=1, unchanged=0)
    assert Unit.objects.get(code="42-SYT").name == "Sở Y tế"


def test_units_import_table_utf8_bom_semicolons_and_vietnamese_headers(tmp_path, province):
    content = (
        "Mã;Tên;Loại;Mã đơn vị cấp trên;Tên viết tắt;Từ ngày\n"
        "42-TU;Tỉnh ủy Hà Tĩnh;Cơ quan Đảng;42;;\n"
        "42-BTGDV;Ban Tuyên giáo và Dân vận Tỉnh ủy;party_body;42-TU;Ban TG&DV;1/3/2025\n"
    )

    summary = import_csv(tmp_path, content, encoding="utf-8-sig")

    assert summary.created == 2
    commission = Unit.objects.get(code="42-BTGDV")
    assert (commission.name, commission.parent.code) == (
        "Ban Tuyên giáo và Dân vận Tỉnh ủy",
        "42-TU",
    )
    assert commission.valid_from == datetime.date(2025, 3, 1)


def test_units_import_table_empty_parent_code_uses_chosen_parent(tmp_path, province):
    summary = import_csv(tmp_path, "ma,ten,loai\n42-STP,Sở Tư pháp,department\n", parent=province)

    assert summary.created == 1
    assert Unit.objects.get(code="42-STP").parent == province


def test_units_import_table_xlsx_creates_units(tmp_path, province):
    rows = [
        ["Mã", "Tên", "Loại", "Mã đơn vị cấp trên", "Tên viết tắt", "Từ ngày"],
        ["42-BCHQS", "Bộ Chỉ huy Quân sự tỉnh Hà Tĩnh", "Lực lượng vũ trang", 42, None, None],
        [7001, "Thôn 1", "residential", "42-BCHQS", None, datetime.datetime(2025, 7, 1)],
    ]

    summary = import_xlsx(tmp_path, rows)

    assert summary == ImportSummary(created=2, updated=0, unchanged=0)
    village = Unit.objects.get(code="7001")
    assert (village.kind, village.parent.code) == ("residential", "42-BCHQS")
    assert village.valid_from == datetime.date(2025, 7, 1)


# --- tables: refusals --------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["cp1258", "latin-1"])
def test_units_import_table_non_utf8_refused(tmp_path, province, encoding):
    content = HEADER + "42-HND,Hội Nông dân,mass_org,42,,\n".replace("Hội", "Hoi")

    error = refused(import_csv, tmp_path, content, encoding=encoding)

    with translation.override("en"):
        assert "UTF-8" in error.message
        assert "dòng 2" in error.message
    assert Unit.objects.count() == 1


def test_units_import_table_unknown_and_missing_columns_refused(tmp_path, province):
    content = "STT,ma,ten,loai_xyz\n1,42-SYT,Sở Y tế,department\n"

    error = refused(import_csv, tmp_path, content)

    assert positions(error) == [(1, "loai_xyz"), (1, "kind")]
    assert Unit.objects.count() == 1


def test_units_import_table_repeated_column_refused(tmp_path, province):
    error = refused(import_csv, tmp_path, "code,name,ten,kind,parent_code\n")

    assert positions(error) == [(1, "ten")]


def test_units_import_table_empty_file_refused(tmp_path):
    error = refused(import_csv, tmp_path, "\n\n")

    assert error.errors == []


def test_units_import_table_empty_required_cells_refused(tmp_path, province):
    content = HEADER + ",Sở Y tế,department,42,,\n42-STC,,,,,\n"

    error = refused(import_csv, tmp_path, content)

    assert positions(error) == [
        (2, "code"),
        (3, "name"),
        (3, "kind"),
        (3, "parent_code"),
    ]
    assert Unit.objects.count() == 1


def test_units_import_table_duplicate_codes_refused(tmp_path, province):
    content = HEADER + (
        "42-SYT,Sở Y tế,department,42,,\n"
        "42-STC,Sở Tài chính,department,42,,\n"
        "42-SYT,Sở Y tế (lần 2),department,42,,\n"
    )

    error = refused(import_csv, tmp_path, content)

    assert positions(error) == [(4, "code")]
    with translation.override("en"):
        assert "dòng 2" in error.errors[0].message
    assert Unit.objects.count() == 1


def test_units_import_table_unknown_parent_refused(tmp_path, province):
    content = HEADER + (
        "42-MTTQ,Ủy ban MTTQ Việt Nam tỉnh,mass_org,42,,\n"
        "42-HND,Hội Nông dân tỉnh,mass_org,KHONG-CO,,\n"
        "42-DTN,Tỉnh đoàn,mass_org,42-LATER,,\n"
        "42-LATER,Đơn vị khai báo sau,department,42,,\n"
    )

    error = refused(import_csv, tmp_path, content)

    assert positions(error) == [(3, "parent_code"), (4, "parent_code")]
    assert Unit.objects.count() == 1


def test_units_import_table_unknown_kind_refused(tmp_path, province):
    content = HEADER + "42-SYT,Sở Y tế,bệnh viện,42,,\n42-SCT,Sở Công Thương,department,42,,\n"

    error = refused(import_csv, tmp_path, content)

    assert positions(error) == [(2, "kind")]
    assert Unit.objects.count() == 1


def test_units_import_table_administrative_kinds_refused(tmp_path, province):
    content = HEADER + (
        "18073,Phường Thành Sen,phường,42,,\n"
        "42-D-X,Huyện Can Lộc,district,42,,\n"
        "42-P,Tỉnh mới,province,42,,\n"
    )

    error = refused(import_csv, tmp_path, content)

    assert positions(error) == [(2, "kind"), (3, "kind"), (4, "kind")]
    assert Unit.objects.count() == 1


def test_units_import_table_administrative_code_refused(tmp_path, province):
    error = refused(import_csv, tmp_path, HEADER + "42,Tỉnh Hà Tĩnh,department,,,\n")

    assert (2, "code") in positions(error)
    assert Unit.objects.get(code="42").kind == UnitKind.PROVINCE


def test_units_import_table_bad_date_refused(tmp_path, province):
    content = HEADER + (
        "42-SYT,Sở Y tế,department,42,,31/02/2025\n"
        "42-STC,Sở Tài chính,department,42,,01/07/2025\n"
        "42-SXD,Sở Xây dựng,department,42,,ngày 1 tháng 7\n"
    )

    error = refused(import_csv, tmp_path, content)

    assert positions(error) == [(2, "valid_from"), (4, "valid_from")]
    assert Unit.objects.count() == 1


def test_units_import_table_overlong_name_refused(tmp_path, province):
    content = HEADER + f"42-SYT,{'Sở ' * 100},department,42,,\n"

    error = refused(import_csv, tmp_path, content)

    assert positions(error) == [(2, "name")]


def test_units_import_table_line_numbers_count_blank_lines_and_multiline_cells(tmp_path, province):
    content = HEADER + (
        "42-SYT,Sở Y tế,department,42,,\n"
        "\n"
        '42-STC,"Sở Tài chính\n(tên dài hai dòng)",department,42,,\n'
        "42-SXD,Sở Xây dựng,khong-ro,42,,\n"
    )

    error = refused(import_csv, tmp_path, content)

    assert positions(error) == [(6, "kind")]


def test_units_import_table_errors_use_file_headers(tmp_path, province):
    error = refused(import_csv, tmp_path, "Mã,Tên,Loại,Mã đơn vị cấp trên\n42-X,Tên,loại lạ,42\n")

    assert positions(error) == [(2, "Loại")]


def test_units_import_table_xlsx_errors_report_sheet_rows(tmp_path, province):
    rows = [
        ["code", "name", "kind", "parent_code"],
        ["42-SYT", "Sở Y tế", "department", "42"],
        [None, None, None, None],
        ["42-SYT", "Sở Y tế", "nonsense", "42"],
    ]

    error = refused(import_xlsx, tmp_path, rows)

    assert positions(error) == [(4, "code"), (4, "kind")]
    assert Unit.objects.count() == 1


def test_units_import_table_moving_unit_below_itself_refused(tmp_path, province):
    front = UnitFactory(code="42-MTTQ", kind=UnitKind.MASS_ORGANISATION, parent=province)
    UnitFactory(code="42-HND", kind=UnitKind.MASS_ORGANISATION, parent=front)

    error = refused(import_csv, tmp_path, HEADER + "42-MTTQ,Ủy ban MTTQ,mass_org,42-HND,,\n")

    assert positions(error) == [(2, "parent_code")]
    assert Unit.objects.get(code="42-MTTQ").parent == province


def test_units_import_table_other_extension_refused(tmp_path):
    error = refused(import_csv, tmp_path, HEADER, name="units.xls")

    assert error.errors == []
    assert "units.xls" in error.message


def test_units_import_table_broken_xlsx_refused(tmp_path):
    path = tmp_path / "units.xlsx"
    path.write_bytes(b"code,name,kind\n")

    with path.open("rb") as handle:
        error = refused(units_import_table, file=handle, filename="units.xlsx")

    assert error.errors == []
    assert Unit.objects.count() == 0
