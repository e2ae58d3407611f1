"""Awards: the register, proposals, decisions and their awards, certificates, honouring
events and award types."""

import pytest

from .matrix import action, case_id, cases, check, page, pk
from .world import ADMIN, LEADER, SECRETARIAT

pytestmark = pytest.mark.django_db

MANAGERS = {ADMIN, SECRETARIAT}
OVERSEERS = {ADMIN, SECRETARIAT, LEADER}


def award(decision):
    return lambda side, role: {"pk": getattr(side, decision).pk, "award_pk": side.award.pk}


def line(side, role):
    return {"pk": side.proposal.pk, "line_pk": side.line.pk}


TABLE = {
    "awards:register": page(OVERSEERS),
    "awards:register_xlsx": page(OVERSEERS),
    "awards:proposal_list": page(OVERSEERS),
    "awards:proposal_create": page(MANAGERS),
    "awards:proposal_detail": page(OVERSEERS, pk("proposal")),
    "awards:proposal_send": action(MANAGERS, pk("proposal")),
    "awards:proposal_pdf": page(OVERSEERS, pk("proposal")),
    "awards:proposal_line_update": page(MANAGERS, line),
    "awards:proposal_line_remove": action(MANAGERS, line),
    "awards:decision_list": page(OVERSEERS),
    "awards:decision_create": page(MANAGERS),
    "awards:decision_detail": page(OVERSEERS, pk("decision")),
    "awards:decision_update": page(MANAGERS, pk("decision")),
    "awards:decision_scan": page(OVERSEERS, pk("issued")),
    "awards:decision_issue": action(MANAGERS, pk("decision")),
    "awards:decision_revoke": page(MANAGERS, pk("issued")),
    "awards:award_create": page(MANAGERS, pk("decision")),
    "awards:award_update": page(MANAGERS, award("decision")),
    "awards:award_remove": action(MANAGERS, award("decision")),
    # A draft decision's award cannot be revoked: back with a message.
    "awards:award_revoke": page(MANAGERS, award("decision"), ok=(200, 302)),
    "awards:certificates": action(OVERSEERS, pk("issued")),
    "awards:event_list": page(OVERSEERS),
    "awards:event_create": page(MANAGERS),
    "awards:event_detail": page(OVERSEERS, pk("event")),
    "awards:event_update": page(MANAGERS, pk("event")),
    "awards:type_list": page(MANAGERS),
    "awards:type_create": page(MANAGERS),
    "awards:type_update": page(MANAGERS, pk("award_type"), shared=True),
}


@pytest.mark.parametrize(("name", "role", "scope"), cases(TABLE), ids=case_id)
def test_awards_url(client, world, name, role, scope):
    check(client, world, TABLE, name, role, scope)
