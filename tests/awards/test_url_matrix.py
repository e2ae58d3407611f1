"""Every URL of the awards stage, whoever asks: the matrix is built from the URL conf, so
a page added later without an entry here fails ``test_every_awards_url_is_in_the_matrix``.

Anonymous → the login page; a unit officer, a committee member and another province's
secretariat → refused (403/404, or 405 for GET on a POST-only action) with nothing
written; the secretariat in scope → the page, the action, or back with a message (revoking
an award of a draft decision)."""

import pytest
from django.urls import URLPattern, reverse

from awards import services
from awards.enums import EventLevel, RecipientKind
from awards.models import Decision
from awards.urls import urlpatterns
from danvan.enums import Role
from danvan.models import ActivityLog
from tests.awards.conftest import collective_award, decision_data
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

# URL name → which object its <pk> is (the other keyword arguments follow their names).
PK_OF = {
    "register": None,
    "register_xlsx": None,
    "proposal_list": None,
    "proposal_create": None,
    "proposal_detail": "proposal",
    "proposal_send": "proposal",
    "proposal_pdf": "proposal",
    "proposal_line_update": "proposal",
    "proposal_line_remove": "proposal",
    "decision_list": None,
    "decision_create": None,
    "decision_detail": "decision",
    "decision_update": "decision",
    "decision_scan": "decision",
    "decision_issue": "decision",
    "decision_revoke": "decision",
    "award_create": "decision",
    "award_update": "decision",
    "award_remove": "decision",
    "award_revoke": "decision",
    "certificates": "decision",
    "event_list": None,
    "event_create": None,
    "event_detail": "event",
    "event_update": "event",
    "type_list": None,
    "type_create": None,
    "type_update": "award_type",
}
# Lists a unit officer may not open either; objects answer 404 to other provinces. Award
# types are the installation's data (no owning unit): every secretariat keeps them.
SHARED = {name for name, target in PK_OF.items() if target in (None, "award_type")}


def _names() -> list[str]:
    return [p.name for p in urlpatterns if isinstance(p, URLPattern)]


@pytest.fixture
def objects(world):
    proposal = services.proposal_create_from_round(round=world.round, by=world.secretariat)
    line = proposal.lines.first()
    decision = services.decision_create(
        data=decision_data(world), campaigns=[world.campaign], by=world.secretariat
    )
    award = services.award_add(
        decision=decision,
        data=collective_award(world, world.exemplary.unit, recipient_kind=RecipientKind.COLLECTIVE),
        by=world.secretariat,
    )
    issued = services.decision_create(
        data=decision_data(world, number=7), campaigns=[world.campaign], by=world.secretariat
    )
    presented = services.award_add(
        decision=issued, data=collective_award(world, world.recognised.unit), by=world.secretariat
    )
    services.decision_issue(decision=issued, by=world.secretariat)
    event = services.honouring_event_save(
        data={
            "name": "Hội nghị biểu dương",
            "date": world.campaign.registration_opens,
            "level": EventLevel.PROVINCE,
            "unit": world.province,
        },
        awards=[presented],
        by=world.secretariat,
    )
    return {
        "proposal": proposal,
        "line": line,
        "decision": decision,
        "award": award,
        "event": event,
        "award_type": world.award_type,
    }


def _url(name: str, objects: dict) -> str:
    pattern = next(p for p in urlpatterns if isinstance(p, URLPattern) and p.name == name)
    kwargs = {}
    for key in pattern.pattern.converters:
        if key == "pk":
            kwargs["pk"] = objects[PK_OF[name]].pk
        elif key == "award_pk":
            kwargs[key] = objects["award"].pk
        elif key == "line_pk":
            kwargs[key] = objects["line"].pk
        else:  # pragma: no cover -- a new keyword needs a line here
            raise AssertionError(f"no object for <{key}> in {name}")
    return reverse(f"awards:{name}", kwargs=kwargs)


def test_every_awards_url_is_in_the_matrix():
    assert sorted(_names()) == sorted(PK_OF)


def test_anonymous_goes_to_the_login_page(client, objects):
    for name in sorted(PK_OF):
        url = _url(name, objects)
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, (name, method)
            assert response.url.startswith(reverse("login"))


@pytest.fixture
def outsiders(world):
    return {
        "unit_officer": UserFactory(unit=world.exemplary.unit, roles=[Role.UNIT_OFFICER]),
        "committee_member": UserFactory(unit=world.province, roles=[Role.COMMITTEE_MEMBER]),
        "other_secretariat": UserFactory(unit=UnitFactory(), roles=[Role.SECRETARIAT]),
    }


@pytest.mark.parametrize("who", ["unit_officer", "committee_member", "other_secretariat"])
def test_outsiders_are_refused_and_nothing_is_written(client, objects, outsiders, who):
    client.force_login(outsiders[who])
    rows = ActivityLog.objects.count()
    states = list(Decision.objects.values_list("pk", "status"))
    for name in sorted(PK_OF):
        if who == "other_secretariat" and name in SHARED:
            continue  # its own lists and the shared award types; scope: each area's tests
        url = _url(name, objects)
        get = client.get(url)
        post = client.post(url, {"reason": "x", "name": "x"})
        assert get.status_code in (403, 404, 405), (who, name, get.status_code)
        assert post.status_code in (403, 404), (who, name, post.status_code)
        if who == "other_secretariat":  # objects of another scope do not exist for them
            assert post.status_code == 404, name
    assert ActivityLog.objects.count() == rows
    assert list(Decision.objects.values_list("pk", "status")) == states


def test_the_secretariat_in_scope_opens_every_page(client, world, objects):
    client.force_login(world.secretariat)
    for name in sorted(set(PK_OF) - {"decision_scan"}):  # no scan uploaded here
        response = client.get(_url(name, objects))
        assert response.status_code in (200, 302, 405), (name, response.status_code)
