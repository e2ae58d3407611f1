"""Uploads in a real browser (issue 13, "uploads for real connections"): a file over the
limit is refused before any request; several files go one by one with a progress bar and
appear in the list with a thumbnail; the preview opens in the page. Selectors use ids,
data attributes and form actions, not labels."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, Page, expect

from danvan.enums import Role
from models_registry.models import Attachment
from tests.e2e.helpers import check_a11y, log_in
from tests.factories import CampaignFactory, DvkModelFactory, UnitFactory, UserFactory
from tests.factories.registry import pdf_bytes, png_bytes

PASSWORD = "matkhau-an-toan-2026"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft():
    campaign = CampaignFactory()
    commune = UnitFactory(name="Xã Cẩm Xuyên", parent=campaign.organiser)
    officer = UserFactory(username="canbo.xa", unit=commune, roles=[Role.UNIT_OFFICER])
    return DvkModelFactory(campaign=campaign, unit=commune, created_by=officer)


def _log_in(browser: Browser, base_url: str, width: int = 1280) -> Page:
    return log_in(browser, base_url, "canbo.xa", width=width)


def test_upload_big_file_refused_before_sending_others_uploaded_and_previewed(
    live_server, browser, draft, tmp_path
):
    big = tmp_path / "Ảnh quá lớn.pdf"
    with big.open("wb") as handle:  # 30 MB, mostly a hole: nothing to write to disk
        handle.write(pdf_bytes())
        handle.truncate(30 * 1024 * 1024)
    pdf = tmp_path / "Biên bản họp dân.pdf"
    pdf.write_bytes(pdf_bytes())
    photo = tmp_path / "Ảnh hiện trường.png"
    photo.write_bytes(png_bytes())
    page = _log_in(browser, live_server.url)
    upload_path = reverse("models_registry:attachment_upload", args=[draft.pk])
    posts = []
    page.on(
        "request",
        lambda request: (
            posts.append(request.url)
            if request.method == "POST" and upload_path in request.url
            else None
        ),
    )
    page.goto(live_server.url + draft.get_absolute_url())
    check_a11y(page)
    form = page.locator("form[data-upload]")
    queue = form.locator("[data-upload-queue]")

    # A 30 MB file: refused at once, next to the box, and never sent.
    form.locator("input[type=file]").set_input_files(str(big))
    refused = queue.locator(".upload-item--error")
    with translation.override("vi"):
        message = translation.gettext(
            "“%(name)s” is larger than %(limit)s MB and was not sent. Make it smaller (or split "
            "it) and choose it again."
        ) % {"name": big.name, "limit": settings.FILE_UPLOAD_MAX_MB}
    expect(refused.locator(".upload-item-errors")).to_have_text(message)
    check_a11y(page, state="a file refused")
    form.locator("button[type=submit]").click()
    expect(form.locator("[data-upload-status]")).to_be_visible()  # "choose a file first"
    assert posts == []

    # A PDF and a photo: each sent on its own, with its bar, then listed.
    form.locator("input[type=file]").set_input_files([str(pdf), str(photo)])
    expect(queue.locator(".upload-item--ready")).to_have_count(2)
    expect(queue.locator(".upload-item--error")).to_have_count(0)  # a new batch
    form.locator("button[type=submit]").click()
    done = queue.locator(".upload-item--done")
    expect(done).to_have_count(2)
    assert page.eval_on_selector_all(
        ".upload-item--done progress", "bars => bars.map(bar => bar.value)"
    ) == [100, 100]
    expect(done.locator(".upload-item-percent")).to_have_text(["100 %", "100 %"])
    assert len(posts) == 2
    assert sorted(Attachment.objects.values_list("original_name", flat=True)) == sorted(
        [pdf.name, photo.name]
    )
    files = page.locator("#evidence [data-attachment-list]")
    expect(files.locator(".list-group-item")).to_have_count(2)
    thumbnail = files.locator(f"img[alt='{photo.name}']")
    expect(thumbnail).to_be_visible()
    assert thumbnail.get_attribute("loading") == "lazy"
    # The thumbnail is the image itself, served through the permission check (1×1 px);
    # being visible is not being loaded yet: wait for it to load.
    page.wait_for_function("(img) => img.complete", arg=thumbnail.element_handle())
    assert page.evaluate("(img) => img.naturalWidth", thumbnail.element_handle()) == 1

    # "View" on the photo: a modal with the photo, in the page; closed with Escape.
    files.locator("a.btn[data-preview='image']").click()
    modal = page.locator(".attachment-preview.show")
    expect(modal).to_be_visible()
    expect(modal.locator(".modal-title")).to_have_text(photo.name)
    expect(modal.locator(f"img[alt='{photo.name}']")).to_be_visible()
    check_a11y(page, state="preview open")
    # A function, not an expression: Playwright evaluates an expression with eval(), which
    # the site's Content-Security-Policy forbids.
    page.wait_for_function("() => document.activeElement.closest('.attachment-preview') !== null")
    page.keyboard.press("Escape")
    expect(modal).to_have_count(0)

    # "View" on the PDF: the same modal with the PDF inline (where the browser has a viewer).
    pdf_link = files.locator("a.btn[data-preview='pdf']")
    if page.evaluate("navigator.pdfViewerEnabled"):
        pdf_link.click()
        frame = page.locator(".attachment-preview.show iframe")
        expect(frame).to_have_attribute("src", pdf_link.get_attribute("href"))
