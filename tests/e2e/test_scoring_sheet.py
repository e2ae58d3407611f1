"""The score sheet in a real browser (issue 8 items 1–3): scores typed the Vietnamese way,
refused values that say so at the field and never keep a stale "saved", the overall comment
saved as you type and with the submission, and the question asked before submitting — at
desktop width and on a phone. Selectors use ids, names and form actions, not labels."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, Page, expect

from evaluation import services
from evaluation.models import CriterionScore, ScoreSheet
from tests.e2e.helpers import check_a11y
from tests.factories import (
    CampaignFactory,
    CommitteeFactory,
    CommitteeMemberFactory,
    CriterionFactory,
    RoundEntryFactory,
    RoundFactory,
    RubricFactory,
    TierFactory,
)
from tests.factories.evaluation import DEFAULT_TIERS, open_round, sheet_of
from tests.factories.registry import secretariat_for

PASSWORD = "matkhau-an-toan-2026"
SAVED_AT = re.compile(r"\d\d:\d\d")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sheet():
    """An open round of two criteria (10 and 15 points) and one sheet to fill."""
    campaign = CampaignFactory()
    secretariat = secretariat_for(campaign)
    rubric = RubricFactory(organiser=campaign.organiser, total_points=Decimal(25))
    for position, max_points in enumerate([10, 15]):
        CriterionFactory(
            rubric=rubric,
            title=f"Tiêu chí {position + 1}",
            max_points=max_points,
            position=position,
        )
    for position, (name, minimum) in enumerate(DEFAULT_TIERS, start=1):
        TierFactory(rubric=rubric, name=name, min_score=25 * minimum / 100, position=position)
    round_ = RoundFactory(
        campaign=campaign, created_by=secretariat, rubric_collective=rubric, reviewers_per_model=1
    )
    entry = RoundEntryFactory(round=round_)
    open_round(round_, by=secretariat)
    member = CommitteeMemberFactory(committee=CommitteeFactory(unit=campaign.organiser))
    return sheet_of(services.assignment_add(entry=entry, reviewer=member.user, by=secretariat))


def _open_sheet(browser: Browser, base_url: str, sheet: ScoreSheet, width: int) -> Page:
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(base_url + "/dang-nhap/")
    check_a11y(page)
    page.locator("input[name=username]").fill(sheet.assignment.reviewer.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    expect(page).to_have_url(base_url + "/")
    check_a11y(page)
    page.goto(base_url + reverse("evaluation:sheet", args=[sheet.pk]))
    check_a11y(page)
    return page


def _saved_points(sheet, position):
    row = CriterionScore.objects.filter(sheet=sheet, criterion__position=position).first()
    return row.points if row else None


def test_scores_typed_with_a_comma_or_refused_at_the_field(live_server, browser, sheet):
    """Issue 8 item 2: "7,5" is 7.5; 99, -1, letters and 7.3 show an error at the field and
    the status never keeps the old "saved"."""
    page = _open_sheet(browser, live_server.url, sheet, 1280)
    form = page.locator("form.criterion").first
    points = form.locator("input[name=points]")
    status = form.locator(".criterion-status")
    error = form.locator(".field-error").first
    assert points.get_attribute("type") == "text"
    assert points.get_attribute("inputmode") == "decimal"

    points.fill("7,5")
    points.press("Tab")
    expect(status).to_contain_text(SAVED_AT)
    expect(page.locator("#sheet-total")).to_contain_text("7,5")
    assert _saved_points(sheet, 0) == Decimal("7.5")

    for typed in ["99", "-1", "mười", "7.3"]:
        points.fill(typed)
        expect(status).not_to_contain_text(SAVED_AT)  # cleared as soon as it is typed
        points.press("Tab")
        expect(error).not_to_be_empty()
        expect(status.locator(".text-danger")).to_have_count(1)
        expect(status).not_to_contain_text(SAVED_AT)
        expect(points).to_have_value(typed)
        assert _saved_points(sheet, 0) == Decimal("7.5")
        check_a11y(page, state=f"{typed!r} refused")

    points.fill("8.5")
    points.press("Tab")
    expect(status).to_contain_text(SAVED_AT)
    expect(error).to_be_empty()
    assert _saved_points(sheet, 0) == Decimal("8.5")
    check_a11y(page, state="saved again")

    page.reload()
    expect(page.locator("form.criterion").first.locator("input[name=points]")).to_have_value("8,5")


@pytest.mark.parametrize("width", [1280, 390])
def test_submit_asks_first_and_keeps_the_typed_comment(live_server, browser, sheet, width):
    """Issue 8 items 1 and 3: "Submit" asks what cannot be undone; the comment typed just
    before it is submitted with the sheet (no Save pressed), on a phone too."""
    page = _open_sheet(browser, live_server.url, sheet, width)
    # One save at a time: the in-memory SQLite of the tests cannot take two writers at once.
    for form in page.locator("form.criterion").all():
        points = form.locator("input[name=points]")
        points.fill(points.get_attribute("data-max"))
        points.press("Tab")
        expect(form.locator(".criterion-status")).to_contain_text(SAVED_AT)
    expect(page.locator("#sheet-total strong")).to_have_text("25")
    page.locator("#id_overall_comment").fill("Mô hình có sức lan tỏa, nên nhân rộng.")
    submit = page.locator("#sheet-submit button[data-confirm]")
    questions = []

    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    submit.click()
    # Cancelled: still on the sheet (leaving the box autosaved the comment meanwhile).
    expect(page.locator("#overall-status")).to_contain_text(SAVED_AT)
    expect(page).to_have_url(live_server.url + reverse("evaluation:sheet", args=[sheet.pk]))
    assert ScoreSheet.objects.get(pk=sheet.pk).status != "submitted"

    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    submit.click()
    expect(page).to_have_url(live_server.url + reverse("evaluation:queue"))

    with translation.override(settings.LANGUAGE_CODE):
        question = translation.gettext(
            "Submit this score sheet? Once submitted, it is locked: you can no longer change "
            "its points or comments. Only the secretariat can reopen it."
        )
    assert questions == [question, question]
    sheet.refresh_from_db()
    assert (sheet.status, sheet.total, sheet.overall_comment) == (
        "submitted",
        Decimal(25),
        "Mô hình có sức lan tỏa, nên nhân rộng.",
    )


def test_overall_comment_saves_as_you_type(live_server, browser, sheet):
    """Issue 8 item 1: the comment autosaves (after a pause, and on leaving the box), each
    save moving the form to the new version so the next one is not taken as stale."""
    page = _open_sheet(browser, live_server.url, sheet, 390)
    comment = page.locator("#id_overall_comment")
    status = page.locator("#overall-status")

    comment.press_sequentially("Bản nháp một.")  # keys, no blur: saved after a pause
    expect(status).to_contain_text(SAVED_AT, timeout=10_000)
    sheet.refresh_from_db()
    assert sheet.overall_comment == "Bản nháp một."

    comment.fill("Bản nháp hai.")
    expect(status).not_to_contain_text(SAVED_AT)
    comment.press("Tab")  # leaving the box saves at once
    expect(status).to_contain_text(SAVED_AT, timeout=10_000)
    expect(status).not_to_have_class(re.compile(r"text-danger"))
    sheet.refresh_from_db()
    assert sheet.overall_comment == "Bản nháp hai."


def test_data_confirm_contract_on_forms_buttons_and_htmx(live_server, browser, sheet):
    """Issue 8 item 3: the generic data-confirm (static/js/confirm.js, on every page) stops a
    form, a submit button or an htmx request on "Cancel" and lets it go on "OK"."""
    page = _open_sheet(browser, live_server.url, sheet, 1280)
    page.evaluate(
        """() => {
            const main = document.querySelector('main');
            main.insertAdjacentHTML('beforeend', `
              <form id="t-form" data-confirm="Form?" action="#form-sent" method="get">
                <button id="t-form-go" type="submit">go</button>
                <button id="t-form-own" type="submit" data-confirm="Own?" formaction="#own-sent">own</button>
              </form>
              <button id="t-htmx" hx-post="/nowhere/" hx-swap="none" data-confirm="Htmx?">htmx</button>`);
            htmx.process(main);
            window.htmxSent = 0;
            document.body.addEventListener('htmx:beforeRequest', () => { window.htmxSent += 1; });
        }"""
    )
    asked = []

    def answer(accept):
        page.once(
            "dialog",
            lambda dialog: (
                asked.append(dialog.message),
                dialog.accept() if accept else dialog.dismiss(),
            ),
        )

    answer(False)
    page.locator("#t-form-go").click()
    answer(False)
    page.locator("#t-form-own").click()
    answer(False)
    page.locator("#t-htmx").click()
    assert "#" not in page.url
    assert page.evaluate("window.htmxSent") == 0

    answer(True)
    page.locator("#t-htmx").click()
    page.wait_for_function("() => window.htmxSent === 1")  # a function: no eval() under the CSP
    answer(True)
    page.locator("#t-form-own").click()
    expect(page).to_have_url(re.compile(r"#own-sent$"))
    assert asked == ["Form?", "Own?", "Htmx?", "Htmx?", "Own?"]  # one question per action
