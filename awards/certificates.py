"""Certificates of a decision: one page per recipient, made in the background.

``certificates_request`` checks the decision and queues a ``danvan.generation`` job of kind
``awards.certificates`` (params ``{"decision": pk}``); the job's generator (``run``) builds
one ``CertificateData`` per award that is not revoked, in the decision's order, and renders
them with ``awards.renderers.certificates_pdf``. The same decision gives the same bytes.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.enums import UnitKind
from danvan.generation import Generator, Progress, generated_file_request
from danvan.models import GeneratedFile, Unit, User

from .enums import DecisionStatus, RecipientKind
from .models import Award, AwardType, Decision
from .renderers import CertificateData, certificates_pdf
from .services import AwardsError

KIND = "awards.certificates"
DEFAULT_PLACE = "Hà Tĩnh"
# The kinds of unit whose name is a place ("địa danh", Nghị định 30/2020/NĐ-CP), and the
# administrative words that place names drop: "Tỉnh Hà Tĩnh" → "Hà Tĩnh".
_LOCALITY_KINDS = (UnitKind.COMMUNE, UnitKind.PROVINCE)
_ADMINISTRATIVE_PREFIXES = ("thành phố ", "tỉnh ", "đặc khu ", "phường ", "thị trấn ", "xã ")
# The title printed on the form, by the start of the award type's name; anything else is
# printed as a certificate (Giấy chứng nhận).
_TITLES = (("bằng khen", "BẰNG KHEN"), ("giấy khen", "GIẤY KHEN"))
CERTIFICATE_TITLE = "GIẤY CHỨNG NHẬN"
# Progress: the certificates' data, the rendered PDF, then the stored file (by the runner).
_STEPS = 3


# --- The request ---------------------------------------------------------------------------


def certificates_request(*, decision: Decision, by: User) -> GeneratedFile:
    """Queue the certificates PDF of an issued decision; returns the job to follow.

    Raises ``AwardsError`` for a draft or revoked decision and for one whose awards are all
    revoked (nothing to print).
    """
    _ensure_printable(decision)
    return generated_file_request(
        kind=KIND,
        params={"decision": decision.pk},
        title=_("Certificates of decision %(number)s") % {"number": decision.display_number},
        by=by,
        unit=decision.issuer,
    )


def _ensure_printable(decision: Decision) -> None:
    if decision.status == DecisionStatus.DRAFT:
        raise AwardsError(
            _("This decision is still a draft: mark it issued before printing its certificates.")
        )
    if decision.status == DecisionStatus.REVOKED:
        raise AwardsError(
            _("This decision has been revoked: its certificates can no longer be printed.")
        )
    if not _printable_awards(decision).exists():
        raise AwardsError(
            _("Every award of this decision has been revoked: there is no certificate to print.")
        )


# --- The generator -------------------------------------------------------------------------


def run(job: GeneratedFile, progress: Progress) -> tuple[str, str, bytes]:
    """The job's file: the certificates PDF of the decision in ``job.params``."""
    decision = (
        Decision.objects.select_related("issuer", "issuer__oversees")
        .filter(pk=job.params.get("decision"))
        .first()
    )
    if decision is None:
        raise AwardsError(_("The decision no longer exists."))
    _ensure_printable(decision)
    progress(0, _STEPS)
    certificates = certificate_data(decision)
    progress(1, _STEPS)
    result = certificates_pdf(
        certificates, filename_stem=f"Giấy chứng nhận {decision.display_number}"
    )
    progress(2, _STEPS)
    return result


def may_download(user: User, job: GeneratedFile) -> bool:
    """Whoever may read the decision may fetch its certificates."""
    decision = (
        Decision.objects.select_related("issuer").filter(pk=job.params.get("decision")).first()
    )
    return decision is not None and user.has_perm("awards.view_decision", decision)


def source(job: GeneratedFile) -> tuple[str, str] | None:
    """The decision's page, for the job page's breadcrumb."""
    decision = Decision.objects.filter(pk=job.params.get("decision")).first()
    if decision is None:
        return None
    return reverse("awards:decision_detail", args=[decision.pk]), decision.display_number


generator = Generator(
    run=run, may_download=may_download, label=gettext_lazy("Certificates"), source=source
)


# --- The data ------------------------------------------------------------------------------


def _printable_awards(decision: Decision):
    return (
        Award.objects.filter(decision=decision, revoked=False)
        .select_related("award_type", "unit", "dvk_model__unit")
        .order_by("position", "pk")
    )


def certificate_data(decision: Decision) -> list[CertificateData]:
    """One certificate per award that is not revoked, in the decision's order. Three
    queries whatever the number of awards (the awards with their recipients, the issuer's
    place in the tree and its ancestors) once the decision's issuer is loaded."""
    place = certificate_place(decision.issuer)
    issuer_lines = (decision.issuing_authority.upper(),) if decision.issuing_authority else ()
    return [
        CertificateData(
            recipient_name=award.recipient_name,
            recipient_detail=_recipient_detail(award),
            achievement=award.achievement,
            award_title=certificate_title(award.award_type),
            issuer_lines=issuer_lines,
            decision_number=decision.display_number,
            decision_date=decision.date,
            signer_title=decision.signer_title.upper(),
            signer_name=decision.signer_name,
            place=place,
        )
        for award in _printable_awards(decision)
    ]


def _recipient_detail(award: Award) -> str:
    """Line 2: an individual's position and unit, a model's unit (a collective: nothing,
    its name says it all)."""
    if award.recipient_kind == RecipientKind.INDIVIDUAL:
        unit = award.unit.name if award.unit_id else ""
        return ", ".join(part for part in (award.person_position, unit) if part)
    if award.recipient_kind == RecipientKind.MODEL and award.dvk_model_id:
        return award.dvk_model.unit.name
    return ""


def certificate_title(award_type: AwardType) -> str:
    name = award_type.name.strip().lower()
    for start, title in _TITLES:
        if name.startswith(start):
            return title
    return CERTIFICATE_TITLE


def certificate_place(issuer: Unit) -> str:
    """The place before the date: the commune or province the issuer works for (a body that
    oversees a locality takes the locality's name), else ``AWARDS_CERTIFICATE_PLACE``."""
    start = issuer.oversees or issuer
    localities = [
        unit for unit in start.ancestors(include_self=True) if unit.kind in _LOCALITY_KINDS
    ]
    if not localities:
        return getattr(settings, "AWARDS_CERTIFICATE_PLACE", DEFAULT_PLACE)
    return place_name(localities[-1].name)


def place_name(name: str) -> str:
    """ "Tỉnh Hà Tĩnh" → "Hà Tĩnh", "Xã Kỳ Xuân" → "Kỳ Xuân"; "Phường 1" stays."""
    lowered = name.lower()
    for prefix in _ADMINISTRATIVE_PREFIXES:
        rest = name[len(prefix) :].strip()
        if lowered.startswith(prefix) and rest and not rest.isdigit():
            return rest
    return name
