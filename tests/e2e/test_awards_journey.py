"""The awards journey in a real browser: from a finalised round the secretariat opens a
proposal (its exemplary and recognised models pre-selected), sends it, records the
People's Committee decision from it, marks it issued, prints the certificates (a
background job with a progress page) and downloads the PDF; the unit officer then sees
the award on the model's page. Selectors use form actions and names, not labels."""

import datetime
import re
import subprocess

import pytest
from playwright.sync_api import Browser, Page, expect

from danvan.enums import Role
from evaluation import services as evaluation_services
from models_registry.models import DvkModel
from tests.e2e.helpers import check_a11y, log_in
from tests.evaluation.helpers import scored_round
from tests.factories import (
    AwardTypeFactory,
    CampaignFactory,
    CommitteeFactory,
    RoundFactory,
    UserFactory,
)
from tests.factories.registry import secretariat_for

PASSWORD = "matkhau-an-toan-2026"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(browser: Browser, base_url: str, username: str) -> Page:
    # Send, issue and print ask first.
    return log_in(browser, base_url, username, accept_dialogs=True, downloads=True)


def _post_button(page: Page, action: str):
    return page.locator(f"form[action='{action}'] button[type=submit]")


@pytest.fixture
def world():
    campaign = CampaignFactory()
    secretariat = secretariat_for(campaign)
    secretariat.username = "thuongtruc"
    secretariat.save(update_fields=["username"])
    round_ = RoundFactory(campaign=campaign, created_by=secretariat)
    committee = CommitteeFactory(unit=campaign.organiser)
    entries, _members = scored_round(round_, committee, [[95], [60], [30]], by=secretariat)
    evaluation_services.round_finalise(round=round_, by=secretariat)
    exemplary = entries[0].dvk_model
    DvkModel.objects.filter(pk=exemplary.pk).update(name="Tổ dân phố xanh – sạch – đẹp")
    exemplary.refresh_from_db()
    officer = UserFactory(username="canbo.xa", unit=exemplary.unit, roles=[Role.UNIT_OFFICER])
    award_type = AwardTypeFactory(
        name="Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", default_amount=1_500_000
    )
    return {
        "campaign": campaign,
        "round": round_,
        "exemplary": exemplary,
        "officer": officer,
        "award_type": award_type,
    }


def test_awards_journey_from_finalised_results_to_a_printed_certificate(
    live_server, browser, world, tmp_path
):
    base = live_server.url
    campaign = world["campaign"]
    exemplary = world["exemplary"]
    page = _log_in(browser, base, "thuongtruc")

    # A proposal from the finalised round: the exemplary and recognised models come in.
    page.goto(base + "/khen-thuong/to-trinh/moi/")
    check_a11y(page)
    page.locator("select[name=round]").select_option(str(world["round"].pk))
    page.locator("select[name=award_type]").select_option(str(world["award_type"].pk))
    page.locator("form:has(select[name=round]) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/khen-thuong/to-trinh/(\d+)/$"))
    proposal_pk = re.search(r"/to-trinh/(\d+)/", page.url).group(1)
    expect(page.locator("main")).to_contain_text(exemplary.name)
    check_a11y(page)

    # Sent, it locks; the decision is recorded from it.
    _post_button(page, f"/khen-thuong/to-trinh/{proposal_pk}/gui/").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    check_a11y(page, state="sent")
    page.locator(f"a[href$='/khen-thuong/quyet-dinh/moi/?proposal={proposal_pk}']").first.click()
    expect(page).to_have_url(re.compile(r"/khen-thuong/quyet-dinh/moi/"))
    check_a11y(page)
    page.locator("input[name=number]").fill("1034/QĐ-UBND")
    page.locator("input[name=date]").fill(
        max(datetime.date.today(), campaign.registration_opens).isoformat()
    )
    page.locator("select[name=issuer]").select_option(str(campaign.organiser_id))
    page.locator("input[name=issuing_authority]").fill("Ủy ban nhân dân tỉnh Hà Tĩnh")
    page.locator("input[name=signer_name]").fill("Võ Trọng Hải")
    page.locator("input[name=signer_title]").fill("Chủ tịch")
    page.locator("form:has(input[name=number]) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/khen-thuong/quyet-dinh/(\d+)/$"))
    decision_pk = re.search(r"/quyet-dinh/(\d+)/", page.url).group(1)
    expect(page.locator("main")).to_contain_text("1034/QĐ-UBND")
    expect(page.locator("main")).to_contain_text(exemplary.name)
    check_a11y(page)

    # Issued, then the certificates: a job page that ends with the download.
    _post_button(page, f"/khen-thuong/quyet-dinh/{decision_pk}/ban-hanh/").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    check_a11y(page, state="issued")
    _post_button(page, f"/khen-thuong/quyet-dinh/{decision_pk}/giay-chung-nhan/").click()
    expect(page).to_have_url(re.compile(r"/tep/\d+/$"))
    download_link = page.locator("a[href$='/tai-ve/']")
    expect(download_link).to_be_visible(timeout=30_000)
    check_a11y(page, state="file ready")
    with page.expect_download() as info:
        download_link.click()
    pdf = tmp_path / "certificates.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert exemplary.name in text
    assert "1034/QĐ-UBND" in text

    # The unit officer sees the award on the model's page.
    officer = _log_in(browser, base, "canbo.xa")
    officer.goto(base + exemplary.get_absolute_url())
    expect(officer.locator("main")).to_contain_text("1034/QĐ-UBND")
    expect(officer.locator("main")).to_contain_text(world["award_type"].name)
