"""Security headers (issue 15): a Content-Security-Policy with nothing inline, the
Permissions-Policy, Referrer-Policy and Cross-Origin-Opener-Policy on every response, and
``Cache-Control: no-store`` on whatever may carry personal data (docs/security.md).

The pages are those of the demo (``seed_demo``), loaded once for the module inside a
transaction rolled back at the end; each demo role's pages are found by following links
from its home page (tests/danvan/csp_support.py).
"""

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from danvan.middleware import SecurityHeadersMiddleware
from models_registry import services
from models_registry.enums import AttachmentPurpose
from models_registry.models import Attachment
from tests.danvan.csp_support import crawl, inline_code
from tests.danvan.demo_world import ROLES, client_for, world_fixture  # noqa: F401 -- a fixture
from tests.factories.registry import pdf_bytes, upload

EXPECTED_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


@pytest.fixture
def attachment(world) -> Attachment:
    """An evidence PDF of the officer's draft, in this test's media folder."""
    return services.attachment_add(
        dvk_model=world.dvk_model,
        uploaded_file=upload("ke-hoach.pdf", pdf_bytes(), "application/pdf"),
        by=world.dvk_model.created_by,
        purpose=AttachmentPurpose.REGISTRATION,
    )


def _client(world, username) -> Client:
    return client_for(world, username)


def _policy(response) -> dict[str, str]:
    return {
        directive.split(" ", 1)[0]: directive.split(" ", 1)[1]
        for directive in (d.strip() for d in response["Content-Security-Policy"].split(";"))
        if directive
    }


# ---- Content-Security-Policy ----


@pytest.mark.django_db
def test_csp_on_signed_in_page_is_the_policy(world):
    response = _client(world, "thuongtruc").get(reverse("home"))

    assert response.status_code == 200
    assert _policy(response) == EXPECTED_POLICY


@pytest.mark.django_db
def test_csp_on_login_and_error_pages_is_the_policy(world, client):
    for response in (client.get(reverse("login")), client.get("/khong-co-trang-nay/")):
        assert _policy(response) == EXPECTED_POLICY
        assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_csp_attachment_preview_may_be_framed_by_the_site_only(world, attachment):
    client = _client(world, "phuong.thanhsen")

    response = client.get(reverse("models_registry:attachment_preview", args=[attachment.pk]))

    assert response.status_code == 200
    assert _policy(response) == {**EXPECTED_POLICY, "frame-ancestors": "'self'"}
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_inline_code_finds_every_construct_the_policy_blocks():
    html = """
      <style>p {}</style>
      <script>alert(1)</script>
      <script type="module">x()</script>
      <p style="color: red" onclick="x()"></p>
      <a href="javascript:x()">a</a>
      <form hx-on:submit="x()" hx-vals='js:{a: 1}' hx-trigger="keyup[key=='Enter']"></form>
      <div data-hx-on-click="x()"></div>
    """

    problems, _links = inline_code(html)

    assert len(problems) == 10, problems


def test_inline_code_accepts_what_the_policy_allows():
    html = """
      <script src="/static/js/site.js" defer></script>
      <script id="data" type="application/json">{"a": 1}</script>
      <link rel="stylesheet" href="/static/css/site.css">
      <div class="w-50" data-bs-toggle="modal" hx-trigger="keyup changed delay:400ms, search"
           hx-vals='{"page": 2}'></div>
      <a href="/mo-hinh/">a</a>
    """

    problems, links = inline_code(html)

    assert problems == []
    assert links == ["/mo-hinh/"]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_pages_of_each_demo_role_have_no_inline_script_or_style(world, username):
    checked = crawl(_client(world, username), limit=60)

    offending = {path: problems for path, problems in checked.items() if problems}
    assert len(checked) >= 5, sorted(checked)
    assert offending == {}


@pytest.mark.django_db
def test_admin_pages_have_no_inline_script_or_style(world):
    client = _client(world, "admin")
    start = reverse("admin:index")

    checked = crawl(client, start, limit=40, skipped=("/static/", "/media/", "/dang-xuat/"))

    offending = {path: problems for path, problems in checked.items() if problems}
    assert len(checked) >= 10, sorted(checked)
    assert offending == {}


@pytest.mark.django_db
def test_anonymous_pages_have_no_inline_script_or_style(world, client):
    for path in (reverse("login"), "/khong-co-trang-nay/"):
        problems, _links = inline_code(client.get(path).content.decode())

        assert problems == [], path


# ---- Permissions-Policy, Referrer-Policy, Cross-Origin-Opener-Policy ----


@pytest.mark.django_db
def test_permissions_and_referrer_policies_on_every_kind_of_response(world, attachment, client):
    officer = _client(world, "phuong.thanhsen")
    responses = [
        client.get(reverse("login")),
        client.get(reverse("health")),
        client.get("/khong-co-trang-nay/"),
        officer.get(reverse("home")),
        officer.get(reverse("models_registry:attachment_download", args=[attachment.pk])),
    ]

    for response in responses:
        assert response["Permissions-Policy"] == PERMISSIONS
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


# ---- Cache-Control ----


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["thuongtruc", "phuong.thanhsen", "lanhdao"])
def test_no_store_on_signed_in_pages(world, username):
    client = _client(world, username)

    for name in ("home", "notification_list", "showcase:library"):
        response = client.get(reverse(name))

        assert response.status_code == 200, name
        assert response["Cache-Control"] == "no-store", name


@pytest.mark.django_db
def test_no_store_on_downloads(world, attachment):
    secretariat = _client(world, "thuongtruc")
    officer = _client(world, "phuong.thanhsen")
    responses = {
        "intake export": secretariat.get(reverse("models_registry:intake_export")),
        "evidence file": officer.get(
            reverse("models_registry:attachment_download", args=[attachment.pk])
        ),
        "evidence preview": officer.get(
            reverse("models_registry:attachment_preview", args=[attachment.pk])
        ),
    }

    for what, response in responses.items():
        assert response.status_code == 200, what
        assert response["Cache-Control"] == "no-store", what
        assert "Expires" not in response, what


@pytest.mark.django_db
def test_static_files_keep_their_cache_for_a_signed_in_user(world, settings):
    settings.WHITENOISE_USE_FINDERS = True  # read at start-up: the new client's handler
    client = _client(world, "thuongtruc")

    response = client.get("/static/css/site.css")

    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]
    assert "max-age" in response["Cache-Control"]
    assert "Content-Security-Policy" not in response


def _middleware_response(user, response):
    request = RequestFactory().get("/")
    if user is not None:
        request.user = user
    return SecurityHeadersMiddleware(lambda r: response)(request)


def _lazy(user):
    return SimpleLazyObject(lambda: user)


@pytest.mark.django_db
def test_no_store_left_alone_for_anonymous_page_with_its_own_cache(world):
    from django.contrib.auth.models import AnonymousUser

    user = _lazy(AnonymousUser())
    bool(user.is_authenticated)  # the view looked at the user
    page = HttpResponse("public page")
    page["Cache-Control"] = "private, max-age=3600"

    response = _middleware_response(user, page)

    assert response["Cache-Control"] == "private, max-age=3600"


@pytest.mark.django_db
def test_no_store_on_anonymous_download(world):
    from django.contrib.auth.models import AnonymousUser

    download = HttpResponse(b"x")
    download["Content-Disposition"] = 'attachment; filename="a.xlsx"'

    response = _middleware_response(_lazy(AnonymousUser()), download)

    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_no_store_not_decided_by_a_user_the_response_never_looked_at(world):
    def explode():
        raise AssertionError("the middleware must not load the user")

    response = _middleware_response(SimpleLazyObject(explode), HttpResponse("health"))

    assert "Cache-Control" not in response
    assert response["Permissions-Policy"] == PERMISSIONS
