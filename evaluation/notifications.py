"""E-mails to reviewers: pure builders of (subject, body); the task sends them."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from danvan.dates import format_date

from .models import Assignment


def assignment_notice(*, reviewer, assignments: list[Assignment]) -> tuple[str, str]:
    """The e-mail telling ``reviewer`` which models they were asked to score.

    ``assignments`` share one round and carry ``round`` and ``entry__dvk_model__unit``.
    Built in the active language (the task activates the site's).
    """
    round_ = assignments[0].round
    subject = _("You have been asked to score models in “%(round)s”") % {"round": round_.name}
    lines = [
        _("Dear %(name)s,") % {"name": reviewer.get_full_name()},
        "",
        ngettext(
            "The secretariat has asked you to score %(count)d model in the round “%(round)s”:",
            "The secretariat has asked you to score %(count)d models in the round “%(round)s”:",
            len(assignments),
        )
        % {"count": len(assignments), "round": round_.name},
        "",
    ]
    for assignment in assignments:
        dvk_model = assignment.entry.dvk_model
        lines.append(f"- {dvk_model.name} ({dvk_model.unit})")
    lines += [
        "",
        _("Scoring is open from %(opens)s to %(closes)s.")
        % {
            "opens": format_date(round_.scoring_opens),
            "closes": format_date(round_.scoring_closes),
        },
        _(
            "Sign in to see your queue of score sheets. If you have a conflict of interest "
            "with one of these models, declare it on its sheet."
        ),
    ]
    return subject, "\n".join(lines)
