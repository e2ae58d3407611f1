"""The December report in a real browser: the secretariat writes the report's text,
previews the figures, requests the report, watches the run's page until the files are
ready and downloads the PDF. Selectors use names and addresses, not labels, so the
language does not matter."""

import io
import re

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from reports.models import Report, ReportNarrative
from tests.e2e.helpers import check_a11y, log_in
from tests.reports.conftest import tree, world  # noqa: F401 -- fixtures, used by name
from tests.reports.test_services import two_profiles

PASSWORD = "matkhau-an-toan-2026"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(browser: Browser, base_url: str, username: str) -> Page:
    return log_in(browser, base_url, username, downloads=True)


def test_report_journey_write_preview_request_download(live_server, browser, request):
    data = request.getfixturevalue("world")
    two_profiles(data)
    data.secretariat.username = "thuongtruc"
    data.secretariat.save(update_fields=["username"])
    base = live_server.url
    campaign = data.campaign
    page = _log_in(browser, base, "thuongtruc")

    # From the menu to the reports home, then to the campaign's text.
    page.locator("a.nav-link[href='/bao-cao/']").click()
    expect(page).to_have_url(f"{base}/bao-cao/")
    check_a11y(page)
    page.locator(f"a[href='/bao-cao/nam/{campaign.pk}/noi-dung/']").first.click()
    expect(page).to_have_url(f"{base}/bao-cao/nam/{campaign.pk}/noi-dung/")
    check_a11y(page)
    page.locator("textarea[name=leadership]").fill(
        "Ban Thường vụ Tỉnh ủy ban hành kế hoạch triển khai phong trào."
    )
    page.locator("textarea[name=lessons]").fill("Chọn việc khó, việc mới để xây dựng mô hình.")
    page.locator("input[name=number]").fill("15")
    page.locator("form.narrative-form button[type=submit]").click()

    # The preview: the header with the number, the text, the tables.
    expect(page).to_have_url(re.compile(rf"/bao-cao/nam/{campaign.pk}/xem-truoc/\?.*number=15"))
    preview = page.locator("article.report-preview")
    expect(preview).to_contain_text("Số 15-BC/BTGDVTU")
    expect(preview).to_contain_text("Ban Thường vụ Tỉnh ủy ban hành kế hoạch")
    expect(preview.locator("table[data-key=by_field]")).to_be_visible()
    assert ReportNarrative.objects.get(campaign=campaign).version == 1
    check_a11y(page)

    # Request: the run's page follows the run until its three files are ready.
    page.locator(f"form[action='/bao-cao/nam/{campaign.pk}/yeu-cau/'] button[type=submit]").click()
    report = Report.objects.get()
    expect(page).to_have_url(f"{base}/bao-cao/lan-lap/{report.pk}/")
    expect(page.locator("#report-status [data-status=done]")).to_be_visible(timeout=120_000)
    expect(page.locator("#report-status a[data-format]")).to_have_count(3)
    check_a11y(page, state="files ready")

    with page.expect_download() as download_info:
        page.locator("#report-status a[data-format=pdf]").click()
    with open(download_info.value.path(), "rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages[:2])
    assert "BÁO CÁO" in text
    assert "15-BC/BTGDVTU" in text
