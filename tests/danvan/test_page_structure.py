"""Page structure (issue 16): on every page each demo role reaches, one <h1> and headings
that never skip a level, one <main> and every content inside a landmark, a name on each
<nav> when there are several, a Vietnamese accessible name on every link and button, a
label on every field, alt on every image, scoped headers and a caption on data tables.
The fragments htmx loads into a page get the link, field and table checks.

The pages are those of the demo, found by following links from each role's home page
(tests/danvan/demo_world.py, tests/danvan/csp_support.py); the checks are in
tests/danvan/structure_support.py.
"""

import pytest
from django.test import Client
from django.urls import reverse

from danvan.models import User
from models_registry import services
from models_registry.enums import AttachmentPurpose
from models_registry.models import Campaign
from reports.showcase.services import library_public_page_set
from tests.danvan.csp_support import crawl
from tests.danvan.demo_world import ROLES, client_for, world_fixture  # noqa: F401 -- a fixture
from tests.danvan.structure_support import fragment_problems, page_problems, unique
from tests.factories.registry import pdf_bytes, upload


class _Crawl:
    """A page check for ``crawl`` that also remembers the htmx fragments the pages load."""

    def __init__(self):
        self.fragments: list[str] = []

    def __call__(self, html):
        problems, links, fragments = page_problems(html)
        self.fragments.extend(fragments)
        return problems, links


def _fragments(client, paths) -> dict[str, list[str]]:
    checked = {}
    for path in unique(paths):
        response = client.get(path, headers={"HX-Request": "true"})
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            checked[path] = fragment_problems(response.content.decode())
    return checked


@pytest.fixture(scope="module")
def crawled(world):
    """Each role's crawl, once for the module: {username: (pages checked, fragments)}."""
    return {}


def _crawl(world, crawled, username):
    if username not in crawled:
        client = client_for(world, username)
        check = _Crawl()
        checked = crawl(client, limit=80, check=check)
        crawled[username] = (checked, _fragments(client, check.fragments))
    return crawled[username]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_pages_of_each_demo_role_have_headings_landmarks_and_names(world, crawled, username):
    checked, _fragments_checked = _crawl(world, crawled, username)

    offending = {path: problems for path, problems in checked.items() if problems}
    assert len(checked) >= 5, sorted(checked)
    assert offending == {}


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_htmx_fragments_of_each_demo_role_name_links_and_fields(world, crawled, username):
    _checked, fragments = _crawl(world, crawled, username)

    offending = {path: problems for path, problems in fragments.items() if problems}
    assert fragments, "no htmx fragment found"
    assert offending == {}


@pytest.mark.django_db
def test_draft_registration_form_with_evidence_has_headings_and_names(world):
    services.attachment_add(
        dvk_model=world.dvk_model,
        uploaded_file=upload("ke-hoach.pdf", pdf_bytes(), "application/pdf"),
        by=world.dvk_model.created_by,
        purpose=AttachmentPurpose.REGISTRATION,
    )
    client = client_for(world, "phuong.thanhsen")
    path = reverse("models_registry:model_update", args=[world.dvk_model.pk])

    problems, _links, _fragments = page_problems(client.get(path).content.decode())

    assert problems == []


@pytest.mark.django_db
def test_public_library_pages_have_headings_landmarks_and_names(world):
    secretariat = User.objects.get(username="thuongtruc")
    organiser = Campaign.objects.order_by("-year").first().organiser
    library_public_page_set(unit=organiser, public_page=True, by=secretariat)
    check = _Crawl()

    checked = crawl(Client(), reverse("showcase:public"), limit=10, check=check)

    offending = {path: problems for path, problems in checked.items() if problems}
    assert len(checked) >= 2, sorted(checked)
    assert offending == {}


@pytest.mark.django_db
def test_anonymous_and_error_pages_have_headings_landmarks_and_names(world, client):
    for path in (reverse("login"), "/khong-co-trang-nay/"):
        problems, _links, _fragments = page_problems(client.get(path).content.decode())

        assert problems == [], path


@pytest.mark.django_db
@pytest.mark.parametrize("template", ["403.html", "404.html", "500.html", "403_csrf.html"])
def test_error_templates_have_headings_landmarks_and_names(world, rf, template):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = AnonymousUser()

    problems, _links, _fragments = page_problems(render_to_string(template, request=request))

    assert problems == []


# ---- the checks themselves ----

PAGE = """<!DOCTYPE html><html lang="vi"><head><title>t</title></head><body>
  <a class="skip-link" href="#main">Bỏ qua</a>
  <header><nav aria-label="Menu chính"><a href="/">Trang chủ</a></nav></header>
  <main id="main">{}</main>
  <footer>Chân trang</footer>
</body></html>"""


def test_page_problems_accepts_a_well_built_page():
    html = PAGE.format("""
      <h1>Mô hình</h1>
      <h2 class="h5 card-title">Thẻ</h2><h3>Mục</h3><h2>Khác</h2>
      <nav aria-label="Phân trang"><a href="?page=2" aria-label="Trang sau">›</a></nav>
      <a href="/mo-hinh/1/">Xem<span class="visually-hidden"> Mô hình A</span></a>
      <a href="/mo-hinh/2/">Xem<span class="visually-hidden"> Mô hình B</span></a>
      <a href="tel:0912345678">0912 345 678</a>
      <button type="button" class="btn-close" aria-label="Đóng"></button>
      <label for="q">Tìm</label><input id="q" name="q">
      <label>Năm <select name="year"><option>2026</option></select></label>
      <input type="hidden" name="x"><img src="/a.png" alt="">
      <table><caption>Kết quả</caption><tr><th scope="col">Tên</th></tr></table>
    """)

    problems, links, _fragments = page_problems(html)

    assert problems == []
    assert "/mo-hinh/1/" in links


def test_page_problems_finds_every_failure():
    html = PAGE.format("""
      <h1>Một</h1><h1>Hai</h1><h3>Nhảy cấp</h3><h2></h2>
      <nav><a href="/a/">A</a></nav>
      <a href="/x/"><svg aria-hidden="true"></svg></a>
      <button type="button">×</button>
      <a href="/mo-hinh/1/">Sửa</a><a href="/mo-hinh/2/">Sửa</a>
      <input name="q"><select name="s"></select><textarea name="t"></textarea>
      <img src="/a.png">
      <table><tr><th>Tên</th></tr></table>
    """).replace("</body>", "<div>Ngoài vùng mốc</div><main></main></body>")

    problems, _links, _fragments = page_problems(html)

    assert [problem.split(":")[0] for problem in problems] == [
        "2 <h1> instead of one",
        "heading skips from h1",
        "empty heading",
        "2 <main> instead of one",
        "one of 2 <nav> without aria-label",
        "outside every landmark",
        "no accessible name",
        "name '×' has no word",
        "2 links named 'sửa' lead to different pages",
        "field without a label",
        "field without a label",
        "field without a label",
        "image without alt",
        "table header without scope",
        "data table without a caption",
    ], problems


def test_fragment_problems_checks_names_and_labels_only():
    assert fragment_problems('<h3>Mục</h3><a href="/x/">Mở</a>') == []
    assert len(fragment_problems('<a href="/x/">↑</a><input name="score">')) == 2
