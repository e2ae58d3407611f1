"""Administrative units from the national list (``vietnam-provinces``)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ..enums import UnitKind
from .common import COMMUNES_VALID_FROM, ImportSummary, UnitImportError, UnitWriter

# --------------------------------------------------------------------------------------
# The national list


def _strip_division_type(name: str, division_type: str) -> str:
    """The place name without its division type: "Xã Kỳ Xuân" → "Kỳ Xuân"."""
    for prefix in (division_type, "thành phố"):
        if name.lower().startswith(prefix + " "):
            return name[len(prefix) + 1 :]
    return name


@transaction.atomic
def units_import_province(*, province_code: int) -> ImportSummary:
    """Create or update a province and its communes, wards and special zones.

    Source: the ``vietnam-provinces`` package (the list in force since 1 July 2025). The
    province gets kind PROVINCE and its national code ("42"); each commune gets kind
    COMMUNE, its national code ("18754"), ``valid_from`` 1 July 2025 and the province as
    parent. Matching is by code; only differing fields are saved, so a second run changes
    nothing. Units missing from the list are left alone (a later import is not a deletion).

    Raises ``UnitImportError`` when the package knows no province with that code.
    """
    from vietnam_provinces import Province, ProvinceCode, VietNamDivisionType, Ward

    try:
        province = Province.from_code(ProvinceCode(int(province_code)))
    except (TypeError, ValueError) as exc:
        raise UnitImportError(
            _("There is no province with the national code %(code)s.") % {"code": province_code}
        ) from exc

    wards = sorted(Ward.iter_by_province(province.code), key=lambda ward: int(ward.code))
    province_unit_code = str(int(province.code))
    writer = UnitWriter(
        codes=[province_unit_code, *(str(int(ward.code)) for ward in wards)],
        change_reason=_("Imported from the national administrative list"),
    )
    if province.division_type == VietNamDivisionType.TINH:
        province_name = f"Tỉnh {province.name}"
    else:
        province_name = province.name
    province_unit = writer.write(
        code=province_unit_code,
        name=province_name,
        short_name=_strip_division_type(province.name, province.division_type.value),
        kind=UnitKind.PROVINCE,
        # A province is a root when first created; a deployment may hang it elsewhere later.
        parent=None,
        create_only=["parent"],
    )
    for ward in wards:
        writer.write(
            code=str(int(ward.code)),
            name=ward.name,
            kind=UnitKind.COMMUNE,
            parent=province_unit,
            valid_from=COMMUNES_VALID_FROM,
        )
    return writer.summary
