"""Issue 16: a refused form says so — its page title starts with "Lỗi:" and an error
summary at the top of the form (templates/includes/form_errors.html) lists every error, a
field's as a link to an element of the page (static/js/errors.js focuses it).

One world (tests/url_matrix/world.py) for the module; for every form page that can refuse
input, the right user posts invalid data. The tests match on structure (the title's
prefix, the summary's marker, its links' targets); the prefix is gettext("Error:"), which
the catalogue makes "Lỗi:" (test_error_prefix_is_vietnamese, red until the catalogue of
issue 16 is merged).
"""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils.translation import gettext

from danvan.models import NotificationPreference
from tests.url_matrix.conftest import _media_root, matrix_media  # noqa: F401 -- fixtures
from tests.url_matrix.conftest import world as url_matrix_world  # noqa: F401 -- fixture
from tests.url_matrix.world import ADMIN, OFFICER, SECRETARIAT

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(url_matrix_world):  # noqa: F811 -- the fixture imported above
    """The side of the URL matrices' world that the users act in."""
    return url_matrix_world.inside


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def summary_of(html: str) -> str:
    """The error summary's markup, from its marker to the end of its list."""
    start = html.index("data-error-summary")
    return html[start : html.index("</ul>", start)]


def assert_refused_page(html: str) -> list[str]:
    """The title starts with "Lỗi:", the summary is there with at least one item, and every
    link of it names an element of the page. Returns the links' targets."""
    assert title_of(html).startswith(gettext("Error:") + " ")
    assert 'tabindex="-1"' in html[html.rfind("<div", 0, html.index("data-error-summary")) :][:400]
    summary = summary_of(html)
    assert summary.count("<li>") >= 1
    targets = re.findall(r'href="#([^"]+)"', summary)
    for target in targets:
        assert f'id="{target}"' in html, target
    return targets


# (case id, role, URL name, URL kwargs from the world's side, POST data, a link expected).
# Some views bind only a non-empty POST (``request.POST or None``): they get an empty name.
PAGES = [
    ("password_change", OFFICER, "password_change", None, {}, "id_old_password"),
    ("model_create", OFFICER, "models_registry:model_create", None, {"name": ""}, "id_name"),
    ("result_report", OFFICER, "models_registry:result_report", "exemplary", {"submit": "1"}, None),
    ("carry_over", OFFICER, "models_registry:carry_over", None, {"source": "0"}, "id_source"),
    (
        "campaign_create",
        SECRETARIAT,
        "models_registry:campaign_create",
        None,
        {"name": ""},
        "id_title",
    ),
    ("field_create", SECRETARIAT, "models_registry:field_create", None, {"name": ""}, "id_name"),
    (
        "campaign_indicators",
        SECRETARIAT,
        "models_registry:campaign_indicators",
        "campaign",
        {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-position": "x"},
        "id_form-0-position",
    ),
    (
        "assignments_bulk",
        SECRETARIAT,
        "evaluation:assignments_bulk",
        "open_round",
        {"entries": ""},
        "bulk-entries-errors",
    ),
    ("rubric_create", SECRETARIAT, "evaluation:rubric_create", None, {}, None),
    ("committee_create", SECRETARIAT, "evaluation:committee_create", None, {}, "id_name"),
    ("member_update", SECRETARIAT, "evaluation:member_update", "member", {}, None),
    ("round_create", SECRETARIAT, "evaluation:round_create", None, {}, "id_name"),
    ("round_update", SECRETARIAT, "evaluation:round_update", "draft_round", {}, "id_name"),
    ("decision_create", SECRETARIAT, "awards:decision_create", None, {}, "id_number"),
    ("decision_revoke", SECRETARIAT, "awards:decision_revoke", "issued", {}, "id_reason"),
    ("award_create", SECRETARIAT, "awards:award_create", "decision", {}, None),
    ("type_create", ADMIN, "awards:type_create", None, {"name": ""}, "id_name"),
    ("event_create", SECRETARIAT, "awards:event_create", None, {"name": ""}, "id_name"),
    ("issuer_create", SECRETARIAT, "reports:issuer_create", None, {}, None),
    ("summary_report", SECRETARIAT, "reports:summary", None, {"from_year": "x"}, None),
]


@pytest.mark.parametrize(
    ("role", "name", "attr", "data", "link"),
    [case[1:] for case in PAGES],
    ids=[case[0] for case in PAGES],
)
def test_refused_form_page_has_error_title_and_linked_summary(
    client, world, role, name, attr, data, link
):
    client.force_login(world.users[role])
    kwargs = {"pk": getattr(world, attr).pk} if attr else {}

    response = client.post(reverse(name, kwargs=kwargs), data)

    assert response.status_code in (200, 422)
    targets = assert_refused_page(response.content.decode())
    if link:
        assert link in targets
    else:
        assert targets


def test_login_wrong_password_summary_lists_the_form_error(client, world):
    response = client.post(
        reverse("login"), {"username": world.officer.username, "password": "sai-mat-khau"}
    )

    html = response.content.decode()
    assert_refused_page(html)
    # The error belongs to no field: an item without a link.
    assert "<li>" in summary_of(html) and 'href="#' not in summary_of(html)


def test_sheet_submit_with_missing_scores_links_each_criterion(client, world):
    client.force_login(world.reviewer)

    response = client.post(reverse("evaluation:sheet_submit", args=[world.sheet.pk]))

    assert response.status_code == 422
    targets = assert_refused_page(response.content.decode())
    assert f"id_c{world.criterion.pk}_points" in targets


def test_plan_edit_refused_lists_missing_fields(client, world):
    client.force_login(world.officer)
    url = reverse(
        "reports:plan_edit",
        kwargs={"campaign_pk": world.campaign.pk, "unit_pk": world.commune_a.pk},
    )

    response = client.post(url, {})

    assert "id_number" in assert_refused_page(response.content.decode())


def test_notification_preferences_refused_choice_links_to_first_radio(client, world):
    client.force_login(world.officer)
    response = client.get(reverse("notification_preferences"))
    field = next(iter(response.context["form"].fields))

    response = client.post(reverse("notification_preferences"), {field: "bogus"})

    targets = assert_refused_page(response.content.decode())
    assert f"id_{field}_0" in targets
    assert not NotificationPreference.objects.filter(user=world.officer).exists()


def test_error_prefix_is_vietnamese():
    assert gettext("Error:") == "Lỗi:"


def test_pages_without_errors_have_no_error_prefix(client, world):
    client.force_login(world.secretariat)
    for name in ("home", "evaluation:round_create", "awards:decision_create"):
        html = client.get(reverse(name)).content.decode()
        assert not title_of(html).startswith(gettext("Error:"))
        assert "data-error-summary" not in html


def test_summary_counts_and_links_formset_rows():
    """A formset's row errors link to the row's field; its own errors are plain items."""
    from django import forms

    class Row(forms.Form):
        title = forms.CharField()

    rows = forms.formset_factory(Row, min_num=1, validate_min=True)(
        {"r-TOTAL_FORMS": "1", "r-INITIAL_FORMS": "0", "r-0-title": ""}, prefix="r"
    )
    html = Template('{% include "includes/form_errors.html" with form=rows %}').render(
        Context({"rows": rows})
    )

    assert 'href="#id_r-0-title"' in html
    assert "data-error-summary" in html and 'aria-labelledby="r-error-summary-title"' in html
    assert 'id="r-error-summary-title"' in html
