"""Rubrics: building, validating, freezing, versioning and cloning.

A rubric's criteria and tiers are saved as whole lists (one formset each) through
``rubric_save_criteria`` and ``rubric_save_tiers``, which validate every row first and raise
``RowsValidationError`` with the messages keyed by row index and field. A rubric whose
criteria carry any score is frozen: every change is refused with a message that points to
``rubric_new_version``.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from danvan.models import Unit, User
from models_registry.models import Campaign

from ..eligibility import tree_paths, units_related_by_tree
from ..enums import RubricAppliesTo
from ..models import Criterion, Rubric, Tier
from ..selectors.rubrics import rubric_is_frozen
from .base import EvaluationError

POINT_STEP = Decimal("0.5")

# DOMAIN.md, "Evaluation as practised". Titles are data shown as written, in Vietnamese.
DEFAULT_COLLECTIVE_CRITERIA = [
    (
        "I. Nội dung mô hình",
        "Tính cụ thể: tên gọi, địa chỉ, mục tiêu, sản phẩm đầu ra; đúng lĩnh vực",
        "Điểm tối đa khi mô hình có tên gọi, địa chỉ áp dụng, mục tiêu và sản phẩm đầu ra rõ "
        "ràng, kiểm chứng được, đúng lĩnh vực đăng ký.",
        Decimal("15"),
    ),
    (
        "I. Nội dung mô hình",
        "Sự lãnh đạo của cấp ủy; sự phối hợp của chính quyền, Mặt trận và các đoàn thể",
        "Điểm tối đa khi cấp ủy có nghị quyết, kế hoạch chỉ đạo và chính quyền, Mặt trận, các "
        "đoàn thể phân công, phối hợp thực hiện cụ thể.",
        Decimal("15"),
    ),
    (
        "I. Nội dung mô hình",
        "Tính sáng tạo; tiết kiệm thời gian, chi phí",
        "Điểm tối đa khi cách làm mới, phù hợp thực tiễn địa phương, tiết kiệm thời gian và "
        "kinh phí so với cách làm trước.",
        Decimal("15"),
    ),
    (
        "II. Hiệu quả",
        "Hiệu quả kinh tế – xã hội, quốc phòng – an ninh đo đếm được",
        "Điểm tối đa khi kết quả đạt hoặc vượt mục tiêu, có số liệu, minh chứng cụ thể.",
        Decimal("25"),
    ),
    (
        "II. Hiệu quả",
        "Sự đồng thuận, tham gia của nhân dân; hài hòa lợi ích",
        "Điểm tối đa khi nhân dân đồng thuận, tích cực tham gia, đóng góp và lợi ích của Nhà "
        "nước, tập thể, người dân được hài hòa.",
        Decimal("15"),
    ),
    (
        "III. Tính bền vững",
        "Tính bền vững và khả năng nhân rộng",
        "Điểm tối đa khi mô hình duy trì được lâu dài và đã hoặc có thể nhân rộng ở nơi khác.",
        Decimal("15"),
    ),
]
DEFAULT_INDIVIDUAL_CRITERIA = [
    (
        "Tiêu chuẩn",
        "Gương mẫu, tiêu biểu của bản thân và gia đình",
        "Điểm tối đa khi bản thân và gia đình gương mẫu chấp hành chủ trương của Đảng, chính "
        "sách, pháp luật của Nhà nước và quy định của địa phương.",
        Decimal("20"),
    ),
    (
        "Tiêu chuẩn",
        "Có ý tưởng, sáng kiến, cách làm hay được đề xuất và áp dụng",
        "Điểm tối đa khi ý tưởng, sáng kiến được áp dụng và mang lại kết quả cụ thể.",
        Decimal("20"),
    ),
    (
        "Tiêu chuẩn",
        "Giải quyết được những vấn đề khó, tồn đọng kéo dài ở cơ sở",
        "Điểm tối đa khi góp phần giải quyết dứt điểm việc khó, tồn đọng lâu ngày.",
        Decimal("20"),
    ),
    (
        "Tiêu chuẩn",
        "Tận tuỵ, hết lòng phục vụ nhân dân",
        "Điểm tối đa khi được nhân dân tin yêu, ghi nhận sự tận tuỵ, trách nhiệm.",
        Decimal("20"),
    ),
    (
        "Tiêu chuẩn",
        "Gia đình đạt danh hiệu “Gia đình văn hóa” hằng năm; hoàn thành tốt nhiệm vụ được giao",
        "Điểm tối đa khi gia đình đạt danh hiệu hằng năm và bản thân hoàn thành tốt nhiệm vụ.",
        Decimal("20"),
    ),
]
DEFAULT_TIERS = [
    ("Xuất sắc", Decimal("90")),
    ("Tốt", Decimal("80")),
    ("Khá", Decimal("65")),
    ("Đạt", Decimal("50")),
    ("Không đạt", Decimal("0")),
]
DEFAULT_NAMES = {
    RubricAppliesTo.COLLECTIVE: "Bộ tiêu chí chấm mô hình, điển hình tập thể “Dân vận khéo”",
    RubricAppliesTo.INDIVIDUAL: "Bộ tiêu chí chấm điển hình cá nhân “Dân vận khéo”",
}


# --- Validation ---------------------------------------------------------------------------


@dataclass
class RowErrors:
    """Messages for a list of rows: ``rows[index][field]`` and ``general`` for the list."""

    rows: dict[int, dict[str, list[str]]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def add(self, index: int | None, field_name: str, message: str) -> None:
        if index is None:
            self.general.append(message)
        else:
            self.rows.setdefault(index, {}).setdefault(field_name, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.rows or self.general)


@dataclass
class RubricErrors:
    criteria: RowErrors
    tiers: RowErrors

    def __bool__(self) -> bool:
        return bool(self.criteria or self.tiers)

    @property
    def messages(self) -> list[str]:
        """Every message, flattened (for a summary above the forms)."""
        found = []
        for errors in (self.criteria, self.tiers):
            found += errors.general
            for fields in errors.rows.values():
                for messages in fields.values():
                    found += messages
        return found


class RowsValidationError(ValidationError):
    """A ``ValidationError`` about a list of rows (a formset).

    ``errors.rows[index][field]`` feeds each form, ``errors.general`` the formset's
    non-form errors. As a plain ``ValidationError`` its dict is keyed ``"<index>-<field>"``
    (and ``NON_FIELD_ERRORS``), the names the rows have in a formset with no prefix.
    """

    def __init__(self, errors: RowErrors):
        self.errors = errors
        flat = {
            f"{index}-{name}": messages
            for index, fields in errors.rows.items()
            for name, messages in fields.items()
        }
        if errors.general:
            flat[NON_FIELD_ERRORS] = list(errors.general)
        super().__init__(flat)


def parse_points(value) -> Decimal | None:
    """A number of points from a form value: Decimal, int, or text with "." or ",".

    Returns None for an empty value; raises ``ValueError`` for anything else that is not a
    finite number.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as error:
        raise ValueError(value) from error
    if not number.is_finite():
        raise ValueError(value)
    return number


def is_step(value: Decimal, step: Decimal = POINT_STEP) -> bool:
    return value % step == 0


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


def criteria_errors(*, total_points: Decimal, criteria: list[dict]) -> RowErrors:
    """Check criterion rows against the rubric's total; pure (no database)."""
    errors = RowErrors()
    if not criteria:
        errors.add(None, "", _("Add at least one criterion."))
        return errors
    points_sum = Decimal(0)
    all_numbers = True
    for index, row in enumerate(criteria):
        if not (row.get("title") or "").strip():
            errors.add(index, "title", _("Please give the criterion a title."))
        try:
            points = parse_points(row.get("max_points"))
        except ValueError:
            points = None
            errors.add(index, "max_points", _("Enter a number of points, e.g. 15 or 12.5."))
            all_numbers = False
            continue
        if points is None:
            errors.add(index, "max_points", _("Please give the maximum points."))
            all_numbers = False
        elif points <= 0:
            errors.add(index, "max_points", _("The maximum must be more than 0 points."))
        elif not is_step(points):
            errors.add(index, "max_points", _("Points go in steps of 0.5."))
        if points is not None:
            points_sum += points
    if all_numbers and points_sum != total_points:
        errors.add(
            None,
            "",
            _("The criteria add up to %(sum)s points but the rubric's total is %(total)s.")
            % {"sum": _fmt(points_sum), "total": _fmt(total_points)},
        )
    return errors


def tiers_errors(*, total_points: Decimal, tiers: list[dict]) -> RowErrors:
    """Check tier rows: unique names and minimums, the lowest at 0, none above the total."""
    errors = RowErrors()
    if not tiers:
        errors.add(None, "", _("Add at least one tier."))
        return errors
    names: set[str] = set()
    minimums: set[Decimal] = set()
    for index, row in enumerate(tiers):
        name = " ".join((row.get("name") or "").split())
        if not name:
            errors.add(index, "name", _("Please give the tier a name."))
        elif name.casefold() in names:
            errors.add(index, "name", _("Another tier already has this name."))
        names.add(name.casefold())
        try:
            minimum = parse_points(row.get("min_score"))
        except ValueError:
            errors.add(index, "min_score", _("Enter a number of points, e.g. 80 or 65.5."))
            continue
        if minimum is None:
            errors.add(index, "min_score", _("Please give the score this tier starts from."))
            continue
        if minimum < 0:
            errors.add(index, "min_score", _("A tier cannot start below 0."))
        elif minimum > total_points:
            errors.add(
                index,
                "min_score",
                _("A tier cannot start above the rubric's total of %(total)s points.")
                % {"total": _fmt(total_points)},
            )
        elif not is_step(minimum, Decimal("0.1")):
            errors.add(index, "min_score", _("Use at most one decimal place."))
        if minimum in minimums:
            errors.add(
                index, "min_score", _("Two tiers cannot start from the same score: they overlap.")
            )
        minimums.add(minimum)
    if minimums and min(minimums) != 0:
        errors.add(
            None,
            "",
            _("The lowest tier must start from 0 so that every score falls in a tier."),
        )
    return errors


def rubric_validate(*, rubric: Rubric) -> RubricErrors:
    """Validate the stored criteria and tiers of ``rubric`` (two queries, no writes).

    Returns ``RubricErrors`` (falsy when the rubric is complete and consistent).
    """
    criteria = list(rubric.criteria.values("group", "title", "guidance", "max_points"))
    tiers = list(rubric.tiers.values("name", "min_score"))
    return RubricErrors(
        criteria=criteria_errors(total_points=rubric.total_points, criteria=criteria),
        tiers=tiers_errors(total_points=rubric.total_points, tiers=tiers),
    )


# --- Freezing -----------------------------------------------------------------------------


def _ensure_editable(rubric: Rubric) -> None:
    if rubric_is_frozen(rubric=rubric):
        raise EvaluationError(
            _(
                "This rubric is already used by a round that has scores, so it can no longer "
                "be changed. Create a new version of it and change that one instead."
            )
        )


def _lock_rubric(rubric: Rubric) -> Rubric:
    return Rubric.objects.select_for_update().get(pk=rubric.pk)


# --- Writes -------------------------------------------------------------------------------


@transaction.atomic
def rubric_create(
    *,
    organiser: Unit,
    campaign: Campaign | None,
    applies_to: str,
    name: str,
    by: User,
    total_points: Decimal = Decimal("100"),
) -> Rubric:
    """Create an empty rubric (criteria and tiers follow through the save services)."""
    rubric = Rubric(
        organiser=organiser,
        campaign=campaign,
        applies_to=applies_to,
        name=(name or "").strip(),
        total_points=total_points,
        created_by=by,
    )
    _validate_header(rubric)
    rubric.save()
    return rubric


def _validate_header(rubric: Rubric) -> None:
    errors = {}
    if not rubric.name:
        errors["name"] = _("Please give the rubric a name.")
    if rubric.total_points is None or rubric.total_points <= 0:
        errors["total_points"] = _("The total must be more than 0 points.")
    elif not is_step(rubric.total_points):
        errors["total_points"] = _("Points go in steps of 0.5.")
    if rubric.campaign_id and rubric.campaign.organiser_id != rubric.organiser_id:
        # A commune may use the province's campaign for its own rubric.
        paths = tree_paths([rubric.organiser_id, rubric.campaign.organiser_id])
        if not units_related_by_tree(rubric.organiser_id, rubric.campaign.organiser_id, paths):
            errors["campaign"] = _("This campaign is not run by the rubric's organiser.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def rubric_update(*, rubric: Rubric, by: User, data: dict) -> Rubric:
    """Change the name, campaign or total of a rubric that is not frozen.

    ``applies_to`` may change only while no round uses the rubric. Raises
    ``EvaluationError`` when frozen, ``ValidationError`` keyed by field.
    """
    rubric = _lock_rubric(rubric)
    _ensure_editable(rubric)
    changed = []
    for name in ("name", "campaign", "total_points", "applies_to"):
        if name in data:
            setattr(rubric, name, data[name].strip() if name == "name" else data[name])
            changed.append(name)
    if "applies_to" in data and (
        rubric.rounds_collective.exists() or rubric.rounds_individual.exists()
    ):
        raise ValidationError(
            {"applies_to": _("A round already uses this rubric: create a new rubric instead.")}
        )
    _validate_header(rubric)
    rubric.save(update_fields=changed)
    return rubric


@transaction.atomic
def rubric_save_criteria(*, rubric: Rubric, criteria: list[dict], by: User) -> list[Criterion]:
    """Replace the criteria of ``rubric`` with ``criteria``, in that order.

    Each row: ``group``, ``title``, ``guidance``, ``max_points`` and, for an existing
    criterion, its ``id`` (kept, so its id stays stable); criteria missing from the list
    are deleted. Refuses a frozen rubric (``EvaluationError``) and invalid rows
    (``RowsValidationError``: points must add up to the total, be more than 0 and go in
    steps of 0.5).
    """
    rubric = _lock_rubric(rubric)
    _ensure_editable(rubric)
    errors = criteria_errors(total_points=rubric.total_points, criteria=criteria)
    existing = {c.pk: c for c in rubric.criteria.all()}
    for index, row in enumerate(criteria):
        if row.get("id") and row["id"] not in existing:
            errors.add(index, "id", _("This criterion belongs to another rubric."))
    if errors:
        raise RowsValidationError(errors)
    kept_ids = {row["id"] for row in criteria if row.get("id")}
    Criterion.objects.filter(rubric=rubric).exclude(pk__in=kept_ids).delete()
    to_create, to_update = [], []
    for position, row in enumerate(criteria, start=1):
        values = {
            "group": (row.get("group") or "").strip(),
            "title": row["title"].strip(),
            "guidance": (row.get("guidance") or "").strip(),
            "max_points": parse_points(row["max_points"]),
            "position": position,
        }
        if row.get("id"):
            criterion = existing[row["id"]]
            for name, value in values.items():
                setattr(criterion, name, value)
            to_update.append(criterion)
        else:
            to_create.append(Criterion(rubric=rubric, **values))
    Criterion.objects.bulk_update(
        to_update, ["group", "title", "guidance", "max_points", "position"]
    )
    Criterion.objects.bulk_create(to_create)
    return list(rubric.criteria.all())


@transaction.atomic
def rubric_save_tiers(*, rubric: Rubric, tiers: list[dict], by: User) -> list[Tier]:
    """Replace the tiers of ``rubric`` (rows of ``name`` and ``min_score``).

    Tiers are rewritten as a whole: nothing refers to a tier row (results copy its name).
    Refuses a frozen rubric (``EvaluationError``) and invalid rows (``RowsValidationError``:
    unique names and minimums, the lowest starting at 0, none above the total).
    """
    rubric = _lock_rubric(rubric)
    _ensure_editable(rubric)
    errors = tiers_errors(total_points=rubric.total_points, tiers=tiers)
    if errors:
        raise RowsValidationError(errors)
    Tier.objects.filter(rubric=rubric).delete()
    ordered = sorted(tiers, key=lambda row: parse_points(row["min_score"]), reverse=True)
    Tier.objects.bulk_create(
        Tier(
            rubric=rubric,
            name=" ".join(row["name"].split()),
            min_score=parse_points(row["min_score"]),
            position=position,
        )
        for position, row in enumerate(ordered, start=1)
    )
    return list(rubric.tiers.all())


def _copy(source: Rubric, **overrides) -> Rubric:
    """A new rubric with the header, criteria and tiers of ``source`` (three queries)."""
    rubric = Rubric.objects.create(
        organiser=overrides.pop("organiser", source.organiser),
        campaign=overrides.pop("campaign", source.campaign),
        applies_to=source.applies_to,
        name=source.name,
        total_points=source.total_points,
        previous_version=source,
        **overrides,
    )
    Criterion.objects.bulk_create(
        Criterion(
            rubric=rubric,
            group=c.group,
            title=c.title,
            guidance=c.guidance,
            max_points=c.max_points,
            position=c.position,
        )
        for c in source.criteria.all()
    )
    Tier.objects.bulk_create(
        Tier(rubric=rubric, name=t.name, min_score=t.min_score, position=t.position)
        for t in source.tiers.all()
    )
    return rubric


@transaction.atomic
def rubric_new_version(*, rubric: Rubric, by: User) -> Rubric:
    """A copy of ``rubric`` numbered one higher, to change while the original stays frozen.

    Rounds keep using the original until the secretariat picks the new version (and a
    round with scores cannot change rubric). Refuses when that version already exists.
    """
    rubric = _lock_rubric(rubric)
    latest = Rubric.objects.filter(previous_version=rubric, version__gt=rubric.version).aggregate(
        v=Max("version")
    )["v"]
    if latest is not None:
        raise EvaluationError(
            _("Version %(version)d of this rubric already exists: change that one.")
            % {"version": latest}
        )
    return _copy(rubric, version=rubric.version + 1, created_by=by)


@transaction.atomic
def rubric_clone(
    *, source: Rubric, campaign: Campaign | None, by: User, organiser: Unit | None = None
) -> Rubric:
    """Copy ``source`` (e.g. last year's rubric) as version 1 of a rubric for ``campaign``.

    The organiser defaults to the campaign's organiser (or the source's without a campaign).
    """
    organiser = organiser or (campaign.organiser if campaign else source.organiser)
    return _copy(source, organiser=organiser, campaign=campaign, version=1, created_by=by)


@transaction.atomic
def rubric_create_default(
    *, organiser: Unit, campaign: Campaign | None, applies_to: str, by: User
) -> Rubric:
    """A complete rubric with the default criteria and tiers of DOMAIN.md (100 points).

    Collectives: six criteria (15, 15, 15, 25, 15, 15); individuals: five standards of 20.
    Tiers: Xuất sắc ≥ 90, Tốt ≥ 80, Khá ≥ 65, Đạt ≥ 50, Không đạt ≥ 0.
    """
    applies_to = RubricAppliesTo(applies_to)
    rows = (
        DEFAULT_INDIVIDUAL_CRITERIA
        if applies_to == RubricAppliesTo.INDIVIDUAL
        else DEFAULT_COLLECTIVE_CRITERIA
    )
    rubric = rubric_create(
        organiser=organiser,
        campaign=campaign,
        applies_to=applies_to,
        name=DEFAULT_NAMES[applies_to],
        by=by,
    )
    rubric_save_criteria(
        rubric=rubric,
        criteria=[
            {"group": group, "title": title, "guidance": guidance, "max_points": points}
            for group, title, guidance, points in rows
        ],
        by=by,
    )
    rubric_save_tiers(
        rubric=rubric,
        tiers=[{"name": name, "min_score": minimum} for name, minimum in DEFAULT_TIERS],
        by=by,
    )
    return rubric
