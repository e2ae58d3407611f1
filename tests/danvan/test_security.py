"""Login lockout: the client's address behind proxies, and limits per account and per address.

Issue 8 item 15: axes keyed on the (account, connection address) pair and read no proxy
header, so behind the recommended reverse proxy every user shared the proxy's address
(anyone could lock any account) and spraying one password across usernames was unlimited.
"""

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from danvan.enums import Role
from danvan.security import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "matkhau-an-toan-2026"


def _request(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/dang-nhap/", **extra)


def _fail(client, username, remote="10.0.0.9", **extra):
    return client.post(
        reverse("login"), {"username": username, "password": "sai"}, REMOTE_ADDR=remote, **extra
    )


def test_client_ip_without_trusted_proxy_ignores_a_spoofed_header(settings):
    """Issue 8 item 15: X-Forwarded-For from the client does not change the lockout key."""
    settings.TRUSTED_PROXY_COUNT = 0

    address = client_ip(_request(remote="10.0.0.1", forwarded="203.0.113.7"))

    assert address == "10.0.0.1"
    assert get_client_ip_address(_request(remote="10.0.0.1", forwarded="203.0.113.7")) == (
        "10.0.0.1"
    )


def test_client_ip_behind_one_trusted_proxy_is_the_forwarded_address(settings):
    """Issue 8 item 15: behind one proxy the client is what that proxy appended."""
    settings.TRUSTED_PROXY_COUNT = 1

    address = get_client_ip_address(_request(remote="10.0.0.1", forwarded="203.0.113.7"))

    assert address == "203.0.113.7"


def test_client_ip_behind_one_proxy_ignores_what_the_client_prepended(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    address = client_ip(_request(remote="10.0.0.1", forwarded="198.51.100.1, 203.0.113.7"))

    assert address == "203.0.113.7"


def test_client_ip_behind_two_proxies_takes_the_second_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    address = client_ip(
        _request(remote="10.0.0.1", forwarded="198.51.100.1, 203.0.113.7, 10.0.0.5")
    )

    assert address == "203.0.113.7"


@pytest.mark.parametrize("forwarded", ["", "not-an-address", " , "])
def test_client_ip_with_a_missing_or_garbled_header_falls_back_to_the_connection(
    settings, forwarded
):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(_request(remote="10.0.0.1", forwarded=forwarded)) == "10.0.0.1"


def test_login_failures_behind_the_proxy_are_recorded_per_client(client, settings):
    """Issue 8 item 15: two clients behind the same proxy are told apart."""
    settings.TRUSTED_PROXY_COUNT = 1

    _fail(client, "someone", remote="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    _fail(client, "someone", remote="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")

    addresses = set(AccessAttempt.objects.values_list("ip_address", flat=True))
    assert addresses == {"203.0.113.7", "203.0.113.8"}


def test_login_spoofed_header_without_proxy_is_recorded_under_the_connection(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0

    _fail(client, "someone", remote="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["10.0.0.1"]


def test_login_account_locks_for_the_address_that_failed(client, settings):
    """One account from one address: AXES_FAILURE_LIMIT failures lock that pair."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_ADDRESS_FAILURE_LIMIT = 10
    UserFactory(username="canbo", roles=[Role.UNIT_OFFICER])
    for _ in range(3):
        _fail(client, "canbo", remote="10.0.1.1")

    response = client.post(
        reverse("login"), {"username": "canbo", "password": GOOD_PASSWORD}, REMOTE_ADDR="10.0.1.1"
    )

    assert response.status_code == 429


def test_login_failures_elsewhere_do_not_lock_the_owner_out(client, settings):
    """Issue 8 item 15: anyone could lock any account. Failures from other addresses lock
    those addresses, never the owner signing in from their own."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_ADDRESS_FAILURE_LIMIT = 10
    UserFactory(username="canbo", roles=[Role.UNIT_OFFICER])
    for n in range(6):
        _fail(client, "canbo", remote=f"10.0.1.{n}")

    response = client.post(
        reverse("login"),
        {"username": "canbo", "password": GOOD_PASSWORD},
        REMOTE_ADDR="10.0.2.1",
        follow=True,
    )

    assert response.context["user"].username == "canbo"


def test_login_spraying_usernames_from_one_address_gets_locked(client, settings):
    """Issue 8 item 15: one password tried on many accounts from one address is limited."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    UserFactory(username="canbo", roles=[Role.UNIT_OFFICER])
    for n in range(6):
        _fail(client, f"nguoi{n}", remote="10.0.0.9")

    response = client.post(
        reverse("login"), {"username": "canbo", "password": GOOD_PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )

    assert response.status_code == 429


def test_login_address_below_its_limit_is_not_locked_by_other_accounts(client, settings):
    """An office sharing one address: a few colleagues' typos do not lock everyone."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    UserFactory(username="canbo", roles=[Role.UNIT_OFFICER])
    for n in range(5):
        _fail(client, f"nguoi{n}", remote="10.0.0.9")

    response = client.post(
        reverse("login"),
        {"username": "canbo", "password": GOOD_PASSWORD},
        REMOTE_ADDR="10.0.0.9",
        follow=True,
    )

    assert response.status_code == 200
    assert response.context["user"].username == "canbo"


def test_login_lockout_of_an_account_does_not_follow_a_spoofed_address(client, settings):
    """Without a trusted proxy a client cannot escape its address count by forging the
    header (each forged value would otherwise count as a new address)."""
    settings.TRUSTED_PROXY_COUNT = 0
    settings.AXES_FAILURE_LIMIT = 50
    settings.AXES_ADDRESS_FAILURE_LIMIT = 4
    for n in range(4):
        _fail(client, f"nguoi{n}", remote="10.0.0.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")

    response = _fail(client, "nguoi9", remote="10.0.0.9", HTTP_X_FORWARDED_FOR="198.51.100.99")

    assert response.status_code == 429
