"""What a registration reminder says (pure builders: data in, ``Message`` out). Bodies
are plain text, paragraphs separated by blank lines, links absolute (``SITE_URL``)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from danvan.dates import format_date
from danvan.models import User
from danvan.notifications import Message

from .selection import Due


def absolute_url(path: str) -> str:
    """A site path as a link an e-mail can carry (``settings.SITE_URL``)."""
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}"


def days_left_text(deadline: datetime.date, on: datetime.date) -> str:
    """ "3 days left", or "the deadline is today"."""
    left = (deadline - on).days
    if left <= 0:
        return _("the deadline is today")
    return ngettext("%(count)d day left", "%(count)d days left", left) % {"count": left}


def signature() -> str:
    """The sender every reminder signs with."""
    return _("Standing office of the Steering Committee of the “Dân vận khéo” emulation movement")


def greeting(user: User) -> str:
    return _("Dear %(name)s,") % {"name": user.get_full_name()}


def unregistered_message(user: User, due: list[Due], *, on: datetime.date) -> Message:
    """The reminder that the user's unit has registered nothing yet (pure builder)."""
    due = sorted(due, key=lambda d: (d.deadline, d.campaign.pk))
    first = due[0]
    title = _(
        "Reminder: %(unit)s has not registered a “Dân vận khéo” model yet — deadline %(date)s"
    ) % {"unit": first.unit.name, "date": format_date(first.deadline)}
    lines = [
        _(
            "“%(campaign)s”: %(unit)s has not registered any model yet; the deadline is %(date)s (%(left)s)."
        )
        % {
            "campaign": d.campaign.title,
            "unit": d.unit.name,
            "date": format_date(d.deadline),
            "left": days_left_text(d.deadline, on),
        }
        for d in due
    ]
    url = reverse("models_registry:my_models")
    body = [
        greeting(user),
        "\n".join(lines),
        _(
            "Every unit registers at least one “Dân vận khéo” model or exemplar a year. "
            "Please register your unit's model and submit it before the deadline: %(url)s"
        )
        % {"url": absolute_url(url)},
        signature(),
    ]
    return Message(title=title, body="\n\n".join(body), url=url)


def _model_lines(due: list[Due], *, returned: bool) -> list[str]:
    lines = []
    for item in due:
        for dvk_model in item.models:
            lines.append(
                _("- %(model)s (%(unit)s), deadline %(date)s: %(url)s")
                % {
                    "model": dvk_model.name,
                    "unit": item.unit.name,
                    "date": format_date(dvk_model.reminder_deadline),
                    "url": absolute_url(dvk_model.get_absolute_url()),
                }
            )
            if returned and dvk_model.return_reason:
                lines.append(
                    "  " + _("Reason for return: %(reason)s") % {"reason": dvk_model.return_reason}
                )
    return lines


def _models_url(due: list[Due]) -> str:
    dvk_models = [m for d in due for m in d.models]
    if len(dvk_models) == 1:
        return dvk_models[0].get_absolute_url()
    return reverse("models_registry:my_models")


def drafts_message(user: User, due: list[Due], *, on: datetime.date) -> Message:
    """The reminder listing the user's drafts not yet submitted (pure builder)."""
    count = sum(len(d.models) for d in due)
    deadline = min(d.deadline for d in due)
    title = ngettext(
        "Reminder: %(count)d draft not yet submitted — deadline %(date)s",
        "Reminder: %(count)d drafts not yet submitted — deadline %(date)s",
        count,
    ) % {"count": count, "date": format_date(deadline)}
    body = [
        greeting(user),
        ngettext(
            "This registration of your unit is still a draft: it has not been sent to the "
            "Standing office of the Steering Committee.",
            "These registrations of your unit are still drafts: they have not been sent to "
            "the Standing office of the Steering Committee.",
            count,
        ),
        "\n".join(_model_lines(due, returned=False)),
        _(
            "A draft is not considered until it is submitted. Open it, complete the items "
            "still missing and submit it before the deadline (%(left)s)."
        )
        % {"left": days_left_text(deadline, on)},
        signature(),
    ]
    return Message(title=title, body="\n\n".join(body), url=_models_url(due))


def returned_message(user: User, due: list[Due], *, on: datetime.date) -> Message:
    """The reminder listing the user's returned models to resubmit (pure builder)."""
    count = sum(len(d.models) for d in due)
    deadline = min(d.deadline for d in due)
    title = ngettext(
        "Reminder: %(count)d returned model to resubmit by %(date)s",
        "Reminder: %(count)d returned models to resubmit by %(date)s",
        count,
    ) % {"count": count, "date": format_date(deadline)}
    body = [
        greeting(user),
        ngettext(
            "The Standing office of the Steering Committee returned this registration for "
            "changes and is waiting for it again:",
            "The Standing office of the Steering Committee returned these registrations for "
            "changes and is waiting for them again:",
            count,
        ),
        "\n".join(_model_lines(due, returned=True)),
        _("Please make the changes asked for and submit again before the deadline (%(left)s).")
        % {"left": days_left_text(deadline, on)},
        signature(),
    ]
    return Message(title=title, body="\n\n".join(body), url=_models_url(due))
