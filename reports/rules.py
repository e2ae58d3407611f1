"""Who may write the reports' data: the secretariat writes the narrative of a campaign in
its scope and the issuer profiles; a unit records its own yearly plan, and the secretariat
may record it for any unit in its scope. Leaders read. Runs and pages add their own
permissions in the later stage."""

import rules

from danvan.rules import is_admin, is_leader, is_secretariat, is_unit_officer, unit_in_scope_of


@rules.predicate
def campaign_in_scope(user, campaign):
    return campaign is not None and unit_in_scope_of(user, campaign.organiser)


@rules.predicate
def unit_in_user_scope(user, unit):
    return unit is not None and unit_in_scope_of(user, unit)


@rules.predicate
def is_own_unit(user, unit):
    return unit is not None and user.is_authenticated and user.unit_id == unit.pk


is_overseer = is_secretariat | is_leader

rules.add_perm("reports.edit_narrative", is_admin | (is_secretariat & campaign_in_scope))
rules.add_perm("reports.view_narrative", is_admin | (is_overseer & campaign_in_scope))
rules.add_perm("reports.manage_issuer", is_admin | is_secretariat)
# The object is the unit whose plan is recorded.
rules.add_perm(
    "reports.record_plan",
    is_admin | (is_secretariat & unit_in_user_scope) | (is_unit_officer & is_own_unit),
)
rules.add_perm(
    "reports.view_plan", is_admin | ((is_overseer | is_unit_officer) & unit_in_user_scope)
)

# --- The reports pages (reports.views) ----------------------------------------------------


@rules.predicate
def run_in_scope(user, report):
    """A report run (``Report``) of an organiser in the user's subtree."""
    return report is not None and unit_in_scope_of(user, report.organiser)


# The reports home, the summary page and the plans overview (lists: filtered by scope).
rules.add_perm("reports.view_reports", is_admin | is_overseer)
rules.add_perm("reports.view_plan_statistics", is_admin | is_overseer)
# Buttons on those lists, whose rows are already in the user's scope (no per-row query).
rules.add_perm("reports.write_reports", is_admin | is_secretariat)
# The object is the campaign (for the summary: the phase's last campaign).
rules.add_perm("reports.request_report", is_admin | (is_secretariat & campaign_in_scope))
# The object is the run: its page, its files; retrying a failed one.
rules.add_perm("reports.view_report", is_admin | (is_overseer & run_in_scope))
rules.add_perm("reports.retry_report", is_admin | (is_secretariat & run_in_scope))

# --- The leaders' dashboard (reports.views.dashboard) --------------------------------------

# A list over the user's subtree (the selectors narrow it to the scope): no object.
rules.add_perm("reports.view_dashboard", is_admin | is_overseer)

# --- The showcase (reports.views.showcase) -------------------------------------------------


@rules.predicate
def has_unit(user):
    return user.is_authenticated and user.unit_id is not None


@rules.predicate
def library_model_in_scope(user, dvk_model):
    """The model's campaign is organised in the user's scope (the secretariat publishes
    the library models of its own campaigns and of those below it)."""
    return dvk_model is not None and unit_in_scope_of(user, dvk_model.campaign.organiser)


# The library (a list narrowed by ``reports.showcase.library_models``): everyone with a unit.
rules.add_perm("reports.view_library", is_admin | has_unit)
# The object is a library model: publish it on the public page or take it off.
rules.add_perm(
    "reports.publish_library_model", is_admin | (is_secretariat & library_model_in_scope)
)
# The library settings page (lists the organisers in scope); the object of the switch is
# the organiser unit.
rules.add_perm("reports.manage_library", is_admin | is_secretariat)
rules.add_perm("reports.switch_public_page", is_admin | (is_secretariat & unit_in_user_scope))
