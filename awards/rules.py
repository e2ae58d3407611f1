"""Who may do what with awards: the secretariat manages decisions and proposals in its
scope, leaders read them, unit officers read their own units' awards once issued.

The same policy as ``selectors.decisions_visible_to`` / ``awards_visible_to``.
"""

import rules

from danvan.rules import is_admin, is_leader, is_secretariat, is_unit_officer, unit_in_scope_of

from .enums import DecisionStatus, ProposalStatus


@rules.predicate
def decision_in_scope(user, decision):
    return decision is not None and unit_in_scope_of(user, decision.issuer)


@rules.predicate
def decision_is_draft(user, decision):
    return decision is not None and decision.status == DecisionStatus.DRAFT


@rules.predicate
def decision_is_issued(user, decision):
    return decision is not None and decision.status == DecisionStatus.ISSUED


@rules.predicate
def proposal_in_scope(user, proposal):
    return proposal is not None and unit_in_scope_of(user, proposal.unit)


@rules.predicate
def proposal_is_draft(user, proposal):
    return proposal is not None and proposal.status == ProposalStatus.DRAFT


@rules.predicate
def award_issuer_in_scope(user, award):
    return award is not None and unit_in_scope_of(user, award.decision.issuer)


@rules.predicate
def award_recipient_in_scope(user, award):
    if award is None or award.decision.status == DecisionStatus.DRAFT:
        return False
    unit = award.unit if award.unit_id else (award.dvk_model.unit if award.dvk_model_id else None)
    return unit_in_scope_of(user, unit)


is_manager = is_admin | is_secretariat
is_overseer = is_secretariat | is_leader

rules.add_perm("awards.manage", is_manager)
rules.add_perm("awards.manage_award_types", is_manager)
rules.add_perm("awards.view_register", is_admin | is_overseer)
rules.add_perm("awards.view_decision", is_admin | (is_overseer & decision_in_scope))
rules.add_perm(
    "awards.change_decision", (is_admin | (is_secretariat & decision_in_scope)) & decision_is_draft
)
rules.add_perm(
    "awards.issue_decision", (is_admin | (is_secretariat & decision_in_scope)) & decision_is_draft
)
rules.add_perm(
    "awards.revoke_decision",
    (is_admin | (is_secretariat & decision_in_scope)) & decision_is_issued,
)
rules.add_perm("awards.view_proposal", is_admin | (is_overseer & proposal_in_scope))
rules.add_perm(
    "awards.change_proposal", (is_admin | (is_secretariat & proposal_in_scope)) & proposal_is_draft
)
rules.add_perm(
    "awards.view_award",
    is_admin
    | (is_overseer & award_issuer_in_scope)
    | ((is_overseer | is_unit_officer) & award_recipient_in_scope),
)
