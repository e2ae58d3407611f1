"""The Steering Committee and its members (who, in which role, following which localities)."""

from django.db import transaction
from django.utils.translation import gettext as _

from danvan.activity import log_action
from danvan.enums import Role
from danvan.models import Unit, User
from danvan.services import user_set_roles

from ..models import Committee, CommitteeMember
from .base import EvaluationError


def _log(member: CommitteeMember, verb: str, by: User, **data) -> None:
    log_action(
        member,
        f"evaluation.committeemember.{verb}",
        actor=by,
        data={"committee": member.committee_id, "user": member.user_id, **data},
        unit=member.committee.unit,
    )


@transaction.atomic
def committee_create(*, unit: Unit, name: str, by: User) -> Committee:
    """Create the Steering Committee of ``unit`` (the province or a commune).

    Raises ``EvaluationError`` on ``name`` when empty or already used at that unit.
    """
    name = " ".join((name or "").split())
    if not name:
        raise EvaluationError(_("Please give the committee a name."), field="name")
    if Committee.objects.filter(unit=unit, name=name).exists():
        raise EvaluationError(_("This unit already has a committee with this name."), field="name")
    return Committee.objects.create(unit=unit, name=name)


@transaction.atomic
def committee_member_add(
    *,
    committee: Committee,
    user: User,
    role: str,
    by: User,
    followed_units: list[Unit] | None = None,
) -> CommitteeMember:
    """Add ``user`` to ``committee``; an active member is a reviewer of its rounds.

    Re-adding a former (inactive) member reactivates them. The user also joins the
    committee member role's group (keeping their other roles), which menus and the unit
    pages rely on; leaving a committee does not take it away. Raises ``EvaluationError`` on
    ``user`` when they are already an active member. One activity row.
    """
    member = CommitteeMember.objects.filter(committee=committee, user=user).first()
    if member is not None and member.active:
        raise EvaluationError(_("This person is already a member of the committee."), field="user")
    if member is None:
        member = CommitteeMember(committee=committee, user=user)
    member.role = role
    member.active = True
    member.full_clean(exclude=["committee", "user"])
    member.save()
    if followed_units is not None:
        member.followed_units.set(followed_units)
    if not user.has_role(Role.COMMITTEE_MEMBER):
        user_set_roles(user=user, roles=[*user.roles, Role.COMMITTEE_MEMBER])
    _log(member, "add", by, role=role)
    return member


@transaction.atomic
def committee_member_update(
    *,
    member: CommitteeMember,
    by: User,
    role: str | None = None,
    followed_units: list[Unit] | None = None,
    active: bool | None = None,
) -> CommitteeMember:
    """Change a member's role, the localities they follow, or whether they are active.

    Deactivating keeps their existing assignments and sheets; they get no new ones (one
    activity row "remove"; reactivating writes "add").
    """
    was_active = member.active
    changed = []
    if role is not None:
        member.role = role
        changed.append("role")
    if active is not None:
        member.active = active
        changed.append("active")
    if changed:
        member.full_clean(exclude=["committee", "user"])
        member.save(update_fields=changed)
    if followed_units is not None:
        member.followed_units.set(followed_units)
    if active is not None and active != was_active:
        _log(member, "add" if active else "remove", by)
    return member
