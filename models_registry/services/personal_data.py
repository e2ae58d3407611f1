"""Personal data of an individual named in a registration (điển hình cá nhân, its contact):
export everything the system holds about the person, and remove it on request.

Removal anonymises, it does not delete: the model, its field history
(``HistoricalDvkModel`` rows), its result report and their activity rows stay, only the
personal values go. The names become ``REMOVED_NAME`` wherever the system wrote them as
text: the model's name and ten items (every version), the result report's texts (every
version), the evidence files' names and descriptions, the activity rows' ``object_repr``
(the model's own and any other row naming the model by a name that held the person's:
assignments, score sheets) and the notifications about the model. The position, year of
birth, phone and e-mail are emptied.

The finished results spreadsheets made in the background for the model's campaign (working
copies, made again on request) are deleted. Not changed (docs/security.md, "Personal
data"): awards and award proposals (decisions with legal force; the export lists them),
the content of uploaded files, reports as sent and award certificates, downloads already
made, and backups until they rotate out.
"""

from django.apps import apps
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from danvan.activity import log_action
from danvan.dates import format_date
from danvan.models import ActivityLog, GeneratedFile, GeneratedFileStatus, Notification, User
from danvan.xlsx import XLSX, new_workbook, workbook_bytes, write_table

from ..models import Attachment, DvkModel, ResultReport
from .common import RegistrationError, lock_dvk_model

ACTION_REMOVE = "models_registry.dvkmodel.remove_personal_data"

# Stored data, not an interface text: the same in every language.
REMOVED_NAME = "Cá nhân đã xóa dữ liệu"
NAME_FIELDS = ["person_name", "lead_name"]
EMPTIED_FIELDS = ["person_position", "lead_phone", "lead_email"]
PERSONAL_FIELDS = [
    "person_name",
    "person_position",
    "person_birth_year",
    "lead_name",
    "lead_phone",
    "lead_email",
]
# Texts of the registration in which a unit may have written the person's name.
MODEL_TEXTS = ["name", *DvkModel.ITEM_TEXTS]
REPORT_TEXTS = ["results", "participants", "self_assessment"]
ATTACHMENT_TEXTS = ["original_name", "description"]
FINISHED = (GeneratedFileStatus.DONE, GeneratedFileStatus.FAILED)


def _names_held(dvk_model: DvkModel) -> set[str]:
    """Every name of the person or the contact the model or its history has held."""
    history = dvk_model.history.model.objects.filter(id=dvk_model.pk)
    names = {getattr(dvk_model, field) for field in NAME_FIELDS}
    for row in history.values_list(*NAME_FIELDS):
        names.update(row)
    return {name for name in names if name and name != REMOVED_NAME}


def _model_names_naming(dvk_model: DvkModel, names: set[str]) -> set[str]:
    """The model's names (current and past) that contain one of ``names``: how other
    rows (an assignment's, a score sheet's activity; a notification) name the model."""
    held = {dvk_model.name}
    held.update(
        dvk_model.history.model.objects.filter(id=dvk_model.pk).values_list("name", flat=True)
    )
    return {title for title in held if title and any(name in title for name in names)}


def _anonymised_values(values: dict) -> dict:
    changes = {}
    for field in NAME_FIELDS:
        if values[field] and values[field] != REMOVED_NAME:
            changes[field] = REMOVED_NAME
    for field in EMPTIED_FIELDS:
        if values[field]:
            changes[field] = ""
    if values["person_birth_year"] is not None:
        changes["person_birth_year"] = None
    return changes


def _longest_first(names: set[str]) -> list[str]:
    # A name contained in another is not replaced inside it.
    return sorted(names, key=len, reverse=True)


def _replace_names(queryset, fields: list[str], names: set[str]) -> int:
    """Replace each of ``names`` inside each of ``fields`` with ``REMOVED_NAME``; the
    number of updates that changed rows."""
    changed = 0
    for field in fields:
        for name in _longest_first(names):
            changed += queryset.filter(**{f"{field}__contains": name}).update(
                **{field: Replace(field, Value(name), Value(REMOVED_NAME))}
            )
    return changed


def _any_contains(fields: list[str], texts: set[str]) -> Q:
    condition = Q(pk__in=[])
    for field in fields:
        for text in texts:
            condition |= Q(**{f"{field}__contains": text})
    return condition


def _anonymise_around(dvk_model: DvkModel, names: set[str]) -> int:
    """Everything around the model that holds the names as text (see the module
    docstring); the number of updates that changed rows. The model row itself is the
    caller's."""
    model_titles = _model_names_naming(dvk_model, names)
    history = dvk_model.history.model.objects.filter(id=dvk_model.pk)
    changed = 0
    for row in history.values("history_id", *PERSONAL_FIELDS):
        if changes := _anonymised_values(row):
            changed += history.filter(history_id=row["history_id"]).update(**changes)
    changed += _replace_names(history, MODEL_TEXTS, names)
    reports = ResultReport.objects.filter(dvk_model=dvk_model)
    if report_changed := _replace_names(reports, REPORT_TEXTS, names):
        # A form opened before the removal is refused on save instead of writing the
        # name back (the report's compare-and-set counter).
        reports.update(version=F("version") + 1)
    changed += report_changed
    changed += _replace_names(
        ResultReport.history.model.objects.filter(dvk_model_id=dvk_model.pk), REPORT_TEXTS, names
    )
    changed += _replace_names(
        Attachment.objects.filter(dvk_model=dvk_model), ATTACHMENT_TEXTS, names
    )
    own_activity = ActivityLog.objects.filter(
        content_type__app_label="models_registry",
        content_type__model="dvkmodel",
        object_id=dvk_model.pk,
    )
    changed += _replace_names(own_activity, ["object_repr"], names)
    if model_titles:
        # Other rows naming the model (an assignment "reviewer → model", a score sheet).
        naming = ActivityLog.objects.filter(_any_contains(["object_repr"], model_titles))
        changed += _replace_names(naming, ["object_repr"], names)
    notifications = Notification.objects.filter(
        Q(activity__in=own_activity.values("pk"))
        | Q(url__startswith=dvk_model.get_absolute_url())
        | _any_contains(["title", "body"], model_titles)
    )
    changed += _replace_names(notifications, ["title", "body"], names)
    return changed


# Background files that are working copies anyone allowed can make again from the data
# (issue 14's results spreadsheet of a large round): deleted when a person's data is
# removed from a model of the round's campaign. Reports as sent and award certificates
# are documents as issued and stay.
REMADE_FILE_KINDS = {"evaluation.results_xlsx": ("evaluation", "Round", "round")}


def _delete_remade_files(dvk_model: DvkModel) -> int:
    """Delete the finished working copies (``REMADE_FILE_KINDS``) made for the model's
    campaign; their files go once the transaction commits. The number deleted."""
    deleted = 0
    for kind, (app_label, model_name, param) in REMADE_FILE_KINDS.items():
        if not apps.is_installed(app_label):
            continue
        owners = apps.get_model(app_label, model_name).objects.filter(
            campaign_id=dvk_model.campaign_id
        )
        ids = {str(pk) for pk in owners.values_list("pk", flat=True)}
        jobs = GeneratedFile.objects.filter(kind=kind, status__in=FINISHED)
        for job in jobs.only("pk", "params", "file"):
            if str(job.params.get(param)) not in ids:
                continue
            name, storage = job.file.name, job.file.storage
            job.delete()
            if name:
                transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
            deleted += 1
    return deleted


def person_data_remove(*, dvk_model: DvkModel, by: User) -> bool:
    """Anonymise the personal data of ``dvk_model`` (see the module docstring) in the
    model, every history row of it, its result report, its files' names, the activity rows
    and the notifications naming it; log ``remove_personal_data`` (no personal value in
    its data). One transaction: all of it or nothing.

    Administrators only: anyone else is refused with ``RegistrationError`` and nothing
    changes. Idempotent: returns False (and logs nothing) when nothing personal was left.
    """
    if not (by.is_active and by.is_superuser):
        raise RegistrationError(_("Only an administrator may remove a person's data."))
    with transaction.atomic():
        locked = lock_dvk_model(dvk_model)
        names = _names_held(locked)
        changed = _anonymise_around(locked, names) if names else 0
        if changed or names:
            changed += _delete_remade_files(locked)
        changes = _anonymised_values({f: getattr(locked, f) for f in PERSONAL_FIELDS})
        for field in MODEL_TEXTS:
            text = getattr(locked, field)
            for name in _longest_first(names):
                text = text.replace(name, REMOVED_NAME)
            if text != getattr(locked, field):
                changes[field] = text
        if changes:
            for field, value in changes.items():
                setattr(locked, field, value)
            locked.version += 1
            # A history row of its own, already anonymised: the removal shows in the
            # field history as one more version.
            locked.save(update_fields=[*changes, "version"])
        if not (changes or changed):
            return False
        log_action(
            locked,
            ACTION_REMOVE,
            actor=by,
            data={"fields": sorted({*changes} - {"version"}) or sorted(PERSONAL_FIELDS)},
            unit=locked.unit,
        )
    dvk_model.refresh_from_db()
    return True


# --- Export -------------------------------------------------------------------------------


def _text(value) -> str:
    """Every cell of the export is text (a year or a phone is not a number to compute)."""
    if value is None:
        return ""
    return str(value)


def _field_label(field: str) -> str:
    return str(DvkModel._meta.get_field(field).verbose_name).capitalize()


def _naming(model_name: str, dvk_model: DvkModel) -> list:
    """Rows of ``awards.<model_name>`` (an award or a proposal line) for the model or naming
    the person (``awards`` is a later app: read only when installed)."""
    if not apps.is_installed("awards"):
        return []
    condition = Q(dvk_model=dvk_model)
    for name in _names_held(dvk_model):
        condition |= Q(person_name__iexact=name)
    return list(apps.get_model("awards", model_name).objects.filter(condition).order_by("pk"))


def _award_rows(dvk_model: DvkModel) -> list[list]:
    rows = []
    for award in _naming("Award", dvk_model):
        decision = award.decision
        status = decision.get_status_display()
        if award.is_revoked:
            status = pgettext("decision", "Revoked")
        rows.append(
            [
                decision.display_number,
                format_date(decision.date),
                _text(decision.issuing_authority),
                str(status),
                _text(award.award_type),
                award.person_name,
                award.person_position,
                award.achievement,
            ]
        )
    return rows


def _proposal_rows(dvk_model: DvkModel) -> list[list]:
    rows = []
    for line in _naming("ProposalLine", dvk_model):
        proposal = line.proposal
        sent = timezone.localtime(proposal.sent_at).date() if proposal.sent_at else None
        rows.append(
            [
                proposal.title,
                str(proposal.get_status_display()),
                format_date(sent),
                _text(line.award_type),
                line.person_name,
                line.person_position,
                line.achievement,
            ]
        )
    return rows


def person_data_export(*, dvk_model: DvkModel) -> tuple[str, str, bytes]:
    """What the system holds about the individual (and the contact) of ``dvk_model``,
    for a request by the person: the current values, every historical value with its
    date, and the awards and award proposals for the model or naming the person (with
    their decision's date, issuer and status: issued or revoked). ``(filename, content_type, bytes)``; every
    cell is text written through ``danvan.xlsx.safe_row``."""
    book = new_workbook()
    title = [_("Personal data held in the registration of “%(name)s”") % {"name": dvk_model.name}]
    current = [
        [_("Model"), dvk_model.name],
        [_("Unit"), str(dvk_model.unit)],
        [_("Campaign"), str(dvk_model.campaign)],
        *([_field_label(f), _text(getattr(dvk_model, f))] for f in PERSONAL_FIELDS),
    ]
    write_table(
        book.create_sheet(_("Current data")),
        title_rows=[title],
        header=[_("Item"), _("Value")],
        rows=current,
        bold_rows=(0,),
    )
    history = (
        dvk_model.history.model.objects.filter(id=dvk_model.pk)
        .order_by("history_date", "history_id")
        .values("history_date", "history_type", *PERSONAL_FIELDS)
    )
    kinds = {
        "+": pgettext("version", "Created"),
        "~": pgettext("version", "Changed"),
        "-": pgettext("version", "Deleted"),
    }
    write_table(
        book.create_sheet(_("History")),
        title_rows=[title],
        header=[_("Date"), _("Change"), *map(_field_label, PERSONAL_FIELDS)],
        rows=[
            [
                format_date(timezone.localtime(row["history_date"]).date()),
                str(kinds.get(row["history_type"], row["history_type"])),
                *(_text(row[f]) for f in PERSONAL_FIELDS),
            ]
            for row in history
        ],
        bold_rows=(0,),
    )
    write_table(
        book.create_sheet(_("Awards")),
        title_rows=[title],
        header=[
            _("Decision"),
            _("Date"),
            _("Issuing authority"),
            _("Status"),
            _("Award type"),
            _("Full name"),
            _("Position held"),
            _("Achievement"),
        ],
        rows=_award_rows(dvk_model),
        bold_rows=(0,),
    )
    write_table(
        book.create_sheet(_("Award proposals")),
        title_rows=[title],
        header=[
            _("Proposal"),
            _("Status"),
            _("Sent"),
            _("Award type"),
            _("Full name"),
            _("Position held"),
            _("Achievement"),
        ],
        rows=_proposal_rows(dvk_model),
        bold_rows=(0,),
    )
    return f"du-lieu-ca-nhan-{dvk_model.pk}.xlsx", XLSX, workbook_bytes(book)
