"""The evaluation journey in a real browser: the secretariat builds a rubric and a round and
auto-assigns, two reviewers score, another declares a conflict that the secretariat
approves, a sheet is reopened and resubmitted, the round is finalised, and the unit sees its
result. Selectors use form actions and names, not labels, so the language does not matter."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from danvan.enums import Role, UnitKind
from evaluation import services
from evaluation.enums import CommitteeRole, ConflictStatus, RoundStatus, SheetStatus
from evaluation.models import Assignment, Result, Round, Rubric, ScoreSheet
from models_registry import services as registry_services
from models_registry.enums import ModelStatus
from models_registry.models import Campaign
from tests.e2e.helpers import check_a11y, log_in
from tests.factories import UnitFactory, UserFactory
from tests.factories.registry import dvk_model_in_status

PASSWORD = "matkhau-an-toan-2026"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(browser: Browser, base_url: str, username: str) -> Page:
    # "Submit my scores" asks first.
    return log_in(browser, base_url, username, accept_dialogs=True)


def _post_button(page: Page, action: str):
    # A button with its own formaction posts elsewhere (the sheet's "Save the comment").
    return page.locator(f"form[action='{action}'] button[type=submit]:not([formaction])")


@pytest.fixture
def world():
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    province = UnitFactory(name="Tỉnh Hà Tĩnh", kind=UnitKind.PROVINCE)
    commission = UnitFactory(
        name="Ban Tuyên giáo và Dân vận Tỉnh ủy",
        kind=UnitKind.PARTY_BODY,
        parent=province,
        oversees=province,
    )
    communes = [
        UnitFactory(name="Xã Cẩm Xuyên", parent=province),
        UnitFactory(name="Xã Can Lộc", parent=province),
    ]
    campaign = Campaign.objects.create(
        year=today.year,
        title=f'Phong trào thi đua "Dân vận khéo" năm {today.year}',
        organiser=province,
        registration_opens=today - 30 * day,
        registration_closes=today + 5 * day,
        result_report_due=today + 10 * day,
        scoring_opens=today - day,
        scoring_closes=today + 20 * day,
    )
    secretariat = UserFactory(
        username="thuongtruc", full_name="Thường trực", unit=commission, roles=[Role.SECRETARIAT]
    )
    officer = UserFactory(username="canbo.xa", unit=communes[0], roles=[Role.UNIT_OFFICER])
    names = ["Dân vận khéo trong hiến đất làm đường", "Tổ tự quản an ninh bến cá"]
    models = []
    for commune, name in zip(communes, names, strict=True):
        dvk_model = dvk_model_in_status(
            ModelStatus.ACCEPTED, campaign=campaign, unit=commune, name=name, reviewer=secretariat
        )
        registry_services.result_report_save(
            dvk_model=dvk_model,
            by=dvk_model.created_by,
            data={
                "results": "Mở rộng 3 km đường.",
                "people_reached": 1200,
                "households": 340,
                "self_assessment": "Đạt mục tiêu.",
            },
            version=None,
            submit=True,
        )
        models.append(dvk_model)

    committee = services.committee_create(unit=province, name="Ban Chỉ đạo tỉnh", by=secretariat)
    reviewers = []
    for n in range(1, 4):
        department = UnitFactory(
            name=f"Sở số {n}", kind=UnitKind.DEPARTMENT, parent=province, code=f"S{n:03d}"
        )
        user = UserFactory(username=f"bcd{n}", full_name=f"Thành viên {n}", unit=department)
        services.committee_member_add(
            committee=committee, user=user, role=CommitteeRole.MEMBER, by=secretariat
        )
        reviewers.append(user)

    return {"campaign": campaign, "models": models, "reviewers": reviewers, "officer": officer}


def _sheet_of(reviewer, dvk_model) -> ScoreSheet:
    return ScoreSheet.objects.get(
        assignment__reviewer=reviewer, assignment__entry__dvk_model=dvk_model
    )


def test_evaluation_journey_assign_score_conflict_reopen_finalise(live_server, browser, world):
    base = live_server.url
    campaign = world["campaign"]
    scored_model = world["models"][0]
    secretariat = _log_in(browser, base, "thuongtruc")

    # The secretariat builds a rubric from the default criteria and tiers …
    secretariat.goto(base + "/cham-diem/bo-tieu-chi/moi/")
    check_a11y(secretariat)
    secretariat.locator("input[name=mode][value=default]").check()
    secretariat.locator("select[name=applies_to]").select_option("collective")
    secretariat.locator("select[name=organiser]").select_option(str(campaign.organiser_id))
    secretariat.locator("select[name=campaign]").select_option(str(campaign.pk))
    secretariat.locator("form:has(input[name=mode]) button[type=submit]").click()
    expect(secretariat).to_have_url(re.compile(r"/cham-diem/bo-tieu-chi/\d+/$"))
    check_a11y(secretariat)
    rubric = Rubric.objects.get(campaign=campaign)
    assert rubric.criteria.count() == 6

    # … and a provincial round using it: two reviewers per model, result report required.
    secretariat.goto(base + "/cham-diem/dot-cham/moi/")
    check_a11y(secretariat)
    secretariat.locator("select[name=campaign]").select_option(str(campaign.pk))
    secretariat.locator("select[name=scope_unit]").select_option(str(campaign.organiser_id))
    secretariat.locator("#id_name").fill("Xét chọn cấp tỉnh")
    secretariat.locator("select[name=rubric_collective]").select_option(str(rubric.pk))
    secretariat.locator("#id_reviewers_per_model").fill("2")
    secretariat.locator("#id_require_result_report").check()
    secretariat.locator("form:has(#id_name) button[type=submit]").first.click()
    expect(secretariat).to_have_url(re.compile(r"/cham-diem/dot-cham/\d+/$"))
    check_a11y(secretariat)
    round_ = Round.objects.get(campaign=campaign)
    _post_button(secretariat, f"/cham-diem/dot-cham/{round_.pk}/lay-mo-hinh/").click()
    expect(secretariat.locator(".alert-success").first).to_be_visible()
    check_a11y(secretariat, state="models taken in")
    _post_button(secretariat, f"/cham-diem/dot-cham/{round_.pk}/mo/").click()
    expect(secretariat.locator(".alert-success").first).to_be_visible()
    check_a11y(secretariat, state="opened")
    round_.refresh_from_db()
    assert (round_.status, round_.entries.count()) == (RoundStatus.OPEN, 2)

    # The secretariat assigns automatically: two reviewers per model.
    secretariat = _log_in(browser, base, "thuongtruc")
    secretariat.goto(base + f"/cham-diem/dot-cham/{round_.pk}/phan-cong/")
    check_a11y(secretariat)
    _post_button(secretariat, f"/cham-diem/dot-cham/{round_.pk}/phan-cong/tu-dong/").click()
    expect(secretariat.locator(".alert-success").first).to_be_visible()
    check_a11y(secretariat, state="assigned")
    assert Assignment.objects.filter(round=round_).count() == 4
    first, second = (
        a.reviewer
        for a in Assignment.objects.filter(entry__dvk_model=scored_model)
        .select_related("reviewer")
        .order_by("reviewer__username")
    )

    # Reviewer 1 finds the model in their queue, scores every criterion, and submits.
    reviewer = _log_in(browser, base, first.username)
    reviewer.locator(".site-navbar a[href='/cham-diem/phieu-cham/']").click()
    expect(reviewer).to_have_url(base + "/cham-diem/phieu-cham/")
    check_a11y(reviewer)
    reviewer.get_by_role("link", name=scored_model.name).click()
    expect(reviewer).to_have_url(re.compile(r"/cham-diem/phieu-cham/\d+/$"))
    check_a11y(reviewer)
    criteria = reviewer.locator("form.criterion")
    count = criteria.count()
    assert count == 6
    for i in range(count):
        form = criteria.nth(i)
        points = form.locator("input[name=points]")
        points.fill(points.get_attribute("data-max"))
        points.press("Tab")
        expect(form.locator(".criterion-status")).to_contain_text(re.compile(r"\d\d:\d\d"))
    expect(reviewer.locator("#sheet-total")).to_contain_text("100")
    check_a11y(reviewer, state="every criterion saved")
    sheet = _sheet_of(first, scored_model)
    _post_button(reviewer, f"/cham-diem/phieu-cham/{sheet.pk}/nop/").click()
    expect(reviewer).to_have_url(base + "/cham-diem/phieu-cham/")
    check_a11y(reviewer, state="sheet submitted")
    sheet.refresh_from_db()
    assert (sheet.status, sheet.total) == (SheetStatus.SUBMITTED, 100)

    # Reviewer 2 declares a conflict of interest.
    other = _log_in(browser, base, second.username)
    other_sheet = _sheet_of(second, scored_model)
    other.goto(base + f"/cham-diem/phieu-cham/{other_sheet.pk}/")
    check_a11y(other)
    other.locator("details:has(#id_reason) summary").click()
    check_a11y(other, state="conflict form open")
    other.locator("#id_reason").fill("Tôi là người xã Cẩm Xuyên.")
    _post_button(other, f"/cham-diem/phieu-cham/{other_sheet.pk}/xung-dot-loi-ich/").click()
    expect(other.locator(".alert-success").first).to_be_visible()
    check_a11y(other, state="conflict declared")
    conflicted = Assignment.objects.get(reviewer=second, entry__dvk_model=scored_model)
    assert conflicted.conflict_status == ConflictStatus.DECLARED

    # The secretariat approves it (the model goes to the third member) …
    assignments_url = base + f"/cham-diem/dot-cham/{round_.pk}/phan-cong/"
    secretariat.goto(assignments_url)
    check_a11y(secretariat, state="conflict declared")
    secretariat.locator(
        f"form[action='/cham-diem/dot-cham/{round_.pk}/phan-cong/{conflicted.pk}/xung-dot/'] "
        "button[value=approve]"
    ).click()
    expect(secretariat.locator(".alert-success").first).to_be_visible()
    check_a11y(secretariat, state="conflict approved")
    conflicted.refresh_from_db()
    assert conflicted.conflict_status == ConflictStatus.APPROVED

    # … and reopens reviewer 1's sheet with a reason.
    secretariat.goto(assignments_url)
    check_a11y(secretariat)
    reopen = secretariat.locator(f"form[action='/cham-diem/dot-cham/{round_.pk}/mo-lai-phieu/']")
    reopen.locator("select[name=sheet]").select_option(str(sheet.pk))
    reopen.locator("textarea[name=reason]").fill("Đề nghị xem lại tiêu chí hiệu quả.")
    reopen.locator("button[type=submit]").click()
    expect(secretariat.locator(".alert-success").first).to_be_visible()
    check_a11y(secretariat, state="sheet reopened")
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.IN_PROGRESS

    # Reviewer 1 sees the reason, lowers one criterion and submits again.
    reviewer.goto(base + f"/cham-diem/phieu-cham/{sheet.pk}/")
    expect(reviewer.locator("body")).to_contain_text("Đề nghị xem lại tiêu chí hiệu quả.")
    check_a11y(reviewer, state="reopened")
    form = reviewer.locator("form.criterion").nth(3)
    points = form.locator("input[name=points]")
    points.fill("20")
    points.press("Tab")
    expect(form.locator(".criterion-status")).to_contain_text(re.compile(r"\d\d:\d\d"))
    check_a11y(reviewer, state="criterion saved")
    _post_button(reviewer, f"/cham-diem/phieu-cham/{sheet.pk}/nop/").click()
    expect(reviewer).to_have_url(base + "/cham-diem/phieu-cham/")
    check_a11y(reviewer, state="sheet resubmitted")
    sheet.refresh_from_db()
    assert (sheet.status, sheet.total) == (SheetStatus.SUBMITTED, 95)

    # The member who replaced reviewer 2 scores the model too.
    replacement = (
        Assignment.objects.filter(
            entry__dvk_model=scored_model, conflict_status=ConflictStatus.NONE
        )
        .exclude(reviewer=first)
        .select_related("reviewer")
        .get()
    )
    third = _log_in(browser, base, replacement.reviewer.username)
    third_sheet = _sheet_of(replacement.reviewer, scored_model)
    third.goto(base + f"/cham-diem/phieu-cham/{third_sheet.pk}/")
    check_a11y(third)
    criteria = third.locator("form.criterion")
    for i in range(criteria.count()):
        form = criteria.nth(i)
        points = form.locator("input[name=points]")
        points.fill(str(int(float(points.get_attribute("data-max"))) - 2))
        points.press("Tab")
        expect(form.locator(".criterion-status")).to_contain_text(re.compile(r"\d\d:\d\d"))
    _post_button(third, f"/cham-diem/phieu-cham/{third_sheet.pk}/nop/").click()
    expect(third).to_have_url(base + "/cham-diem/phieu-cham/")
    check_a11y(third)
    third_sheet.refresh_from_db()
    assert (third_sheet.status, third_sheet.total) == (SheetStatus.SUBMITTED, 88)

    # The secretariat finalises, leaving out the sheets nobody submitted.
    secretariat.goto(base + f"/cham-diem/dot-cham/{round_.pk}/chot/")
    check_a11y(secretariat)
    force = secretariat.locator("input[name=force]")
    if force.count():
        force.check()
    secretariat.locator("main form:not([action]) button.btn-danger").click()
    expect(secretariat).to_have_url(base + f"/cham-diem/dot-cham/{round_.pk}/ket-qua/")
    check_a11y(secretariat, state="finalised")
    round_.refresh_from_db()
    assert round_.status == RoundStatus.FINALISED
    result = Result.objects.get(round=round_, dvk_model=scored_model)

    # The unit officer sees the result, without any reviewer's name.
    officer = _log_in(browser, base, "canbo.xa")
    officer.locator(".site-navbar a[href='/cham-diem/ket-qua-cua-don-vi/']").click()
    table = officer.locator("table.results-table")
    expect(table).to_contain_text(scored_model.name)
    expect(table).to_contain_text(result.tier_name)
    expect(table).not_to_contain_text(world["models"][1].name)
    expect(officer.locator("body")).not_to_contain_text(first.full_name)
