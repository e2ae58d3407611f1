"""The site's own pages (danvan): home, units, the audit log, generated files,
notifications, the health check, the language switch and the account pages."""

import pytest

from .matrix import case_id, cases, check, page, public
from .world import ADMIN, LEADER, OFFICER, REVIEWER, SECRETARIAT, SIGNED_IN

pytestmark = pytest.mark.django_db

ALL = SIGNED_IN


def own(attr):
    """The acting user's own object (a notification, a generated file)."""

    def args(side, role):
        mine = getattr(side, attr)
        return {"pk": mine.get(role, mine[SECRETARIAT]).pk}

    return args


TABLE = {
    "home": page(ALL),
    "unit_tree": page(ALL, ok=(302,)),  # to the user's own unit
    # A committee member's scope is their department: commune A is outside it.
    "unit_detail": page(
        {ADMIN, SECRETARIAT, LEADER, OFFICER}, lambda side, role: {"pk": side.commune_a.pk}
    ),
    "activity_list": page({ADMIN, SECRETARIAT}),
    "generated_file": page(ALL, own("generated"), everywhere=False),
    "generated_file_download": page(ALL, own("generated"), everywhere=False),
    "notification_list": page(ALL),
    "notification_preferences": page(ALL),
    "notification_bell": page(ALL),
    "notification_mark_all_read": page(ALL, method="post", ok=(302,), post_only=True),
    "notification_open": page(ALL, own("notifications"), ok=(302,), everywhere=False),
    "health": public(),
    "set_language": public(method="post", ok=(302,), data={"language": "vi", "next": "/"}),
    "login": public(ok=(200, 302)),
    "logout": page(ALL, method="post", ok=(302,), post_only=True),
    "password_change": page(ALL),
    "password_change_done": page(ALL),
}

assert {LEADER, OFFICER, REVIEWER} <= ALL


@pytest.mark.parametrize(("name", "role", "scope"), cases(TABLE), ids=case_id)
def test_core_url(client, world, name, role, scope):
    check(client, world, TABLE, name, role, scope)
