"""Where awards show outside the awards pages: a section on the model's page and on the
unit's page, and a home panel (registered in ``awards.extensions`` through
``danvan.extensions``). Each context function returns None to hide its block."""

from django.db.models import Count, Q

from danvan.dates import today
from danvan.enums import Role

from . import selectors

UNIT_SECTION_LIMIT = 10
HOME_LIMIT = 5


def _visible(qs, user):
    """``qs`` restricted to the awards ``user`` may read (drafts never reach an officer)."""
    return qs.filter(selectors.award_visibility(user=user))


def model_awards_section(request, dvk_model) -> dict | None:
    """The awards of the model and its carried-over lineage, across years, newest first;
    hidden when there is none the user may see."""
    awards = list(_visible(selectors.awards_for_model(dvk_model=dvk_model), request.user))
    if not awards:
        return None
    return {"awards": awards, "dvk_model": dvk_model}


def unit_awards_section(request, unit) -> dict | None:
    """The unit's collective and individual awards and its models' awards, newest first,
    capped at ``UNIT_SECTION_LIMIT`` with the total and a link to the whole list in the
    register for those who may open it."""
    user = request.user
    qs = _visible(selectors.awards_for_unit(unit=unit), user)
    total = qs.count()
    if not total:
        return None
    return {
        "awards": list(qs[:UNIT_SECTION_LIMIT]),
        "total": total,
        "more": total > UNIT_SECTION_LIMIT,
        "can_open_register": user.has_perm("awards.view_register"),
        "unit": unit,
    }


def home_panel_awards(request) -> dict | None:
    """For a unit officer, the latest awards of the unit and its models with this year's
    count; for those who keep or read the register, this year's and last year's count and
    prize money (``overview``: a list of ``{year, count, total_amount}``).
    Hidden when neither applies or there is nothing to show. The unit's part is a role
    section, like the unit officer's panel: an administrator (every permission) sees the
    overview only."""
    user = request.user
    year = today().year
    context = {"year": year, "unit": None, "overview": None}
    if user.unit_id and user.has_role(Role.UNIT_OFFICER):
        qs = _visible(selectors.awards_for_unit(unit=user.unit), user)
        # One more than shown: when they are all here, this year's count needs no query.
        latest = list(qs[: HOME_LIMIT + 1])
        if latest:
            # Revoked awards stay listed (struck through) but do not count.
            if len(latest) <= HOME_LIMIT:
                this_year = sum(1 for a in latest if a.decision.year == year and not a.revoked_any)
            else:
                this_year = qs.aggregate(
                    n=Count("pk", filter=Q(decision__year=year, revoked_any=False))
                )["n"]
            context["unit"] = {"awards": latest[:HOME_LIMIT], "this_year": this_year}
    if user.has_perm("awards.view_register"):
        # Last year's too: most decisions of a year are issued at its end.
        years = [year, year - 1]
        totals = selectors.award_register_totals(user=user, years=years)
        context["overview"] = [{"year": y, **totals[y]} for y in years]
    if context["unit"] is None and context["overview"] is None:
        return None
    return context
