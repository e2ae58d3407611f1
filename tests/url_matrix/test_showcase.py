"""The library of exemplary models (showcase): the signed-in library, publishing, its
settings, the similar-models helper and the public page."""

import pytest

from .matrix import action, case_id, cases, check, page, pk, public
from .world import ADMIN, OFFICER, SECRETARIAT, SIGNED_IN

pytestmark = pytest.mark.django_db

MANAGERS = {ADMIN, SECRETARIAT}

TABLE = {
    "showcase:library": page(SIGNED_IN),
    "showcase:entry": page(SIGNED_IN, pk("exemplary")),
    "showcase:publish": action(MANAGERS, pk("exemplary")),
    "showcase:unpublish": action(MANAGERS, pk("exemplary")),
    "showcase:photo": page(SIGNED_IN, pk("photo")),
    "showcase:settings": page(MANAGERS),
    "showcase:similar": action({OFFICER}, ok=(200,), data={"name": "Đường làng"}),
    # The public page of every province that switched it on: no login, no scope.
    "showcase:public": public(),
    "showcase:public_entry": public(pk("exemplary")),
    "showcase:public_photo": public(pk("photo")),
}


@pytest.mark.parametrize(("name", "role", "scope"), cases(TABLE), ids=case_id)
def test_showcase_url(client, world, name, role, scope):
    check(client, world, TABLE, name, role, scope)
