"""Notifications (issue 13): dispatch, the e-mail at once, the daily digest, the bell, the
list and the settings. The kinds here are throw-away kinds registered by the tests."""

import datetime
import re
from smtplib import SMTPException

import pytest
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from danvan import notifications
from danvan.activity import log_action
from danvan.enums import Role
from danvan.models import Notification, NotificationChannel, NotificationPreference
from danvan.notifications import Message, NotificationKind
from danvan.tasks import send_notification_digest, send_notification_emails
from tests.factories import DvkModelFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

POKE = "tests.unit.poke"
NUDGE = "tests.unit.nudge"
LIST_URL = reverse("notification_list")
BELL_URL = reverse("notification_bell")
PREFS_URL = reverse("notification_preferences")


def _recipients(log):
    from danvan.models import User

    return User.objects.filter(pk__in=log.data.get("to", [])).order_by("pk")


def _message(log, user):
    return Message(
        title=f"Đơn vị {log.content_object.name} được nhắc",
        body="Mô hình đã bị trả lại.\n\nLý do: bổ sung số liệu.\nHạn nộp lại: 15/12/2026.",
        url=f"/don-vi/{log.object_id}/",
    )


@pytest.fixture(autouse=True)
def kinds():
    """Two throw-away kinds: "poke" by e-mail by default, "nudge" in the digest."""
    poke = NotificationKind(
        code="tests.poke",
        label="Đơn vị được nhắc",
        actions=(POKE,),
        recipients=_recipients,
        message=_message,
        order=1,
    )
    nudge = NotificationKind(
        code="tests.nudge",
        label="Đơn vị được lưu ý",
        actions=(NUDGE,),
        recipients=_recipients,
        message=_message,
        default_channel=NotificationChannel.DIGEST,
        order=2,
    )
    notifications.register_notification_kind(poke)
    notifications.register_notification_kind(nudge)
    yield poke, nudge
    notifications.unregister_notification_kind("tests.poke")
    notifications.unregister_notification_kind("tests.nudge")


def _poke(*users, actor=None, action=POKE, unit=None):
    unit = unit or UnitFactory(name="Xã Cẩm Xuyên")
    return log_action(unit, action, actor=actor, data={"to": [u.pk for u in users]}, unit=unit)


def _notification(user, *, kind="tests.poke", read=False, url="/don-vi/1/", **kwargs):
    return Notification.objects.create(
        recipient=user,
        kind=kind,
        title=kwargs.pop("title", "Mô hình đã được tiếp nhận"),
        body=kwargs.pop("body", "Nội dung"),
        url=url,
        read_at=timezone.now() if read else None,
        **kwargs,
    )


def login_redirect(path: str) -> str:
    return redirect_to_login(path, resolve_url(settings.LOGIN_URL)).url


# --- Dispatch ------------------------------------------------------------------------------


def test_dispatch_one_notification_per_recipient_none_for_actor_or_inactive():
    actor, first, second = UserFactory(), UserFactory(), UserFactory()
    inactive = UserFactory(is_active=False)

    log = log_action(
        UnitFactory(name="Xã Cẩm Xuyên"),
        POKE,
        actor=actor,
        data={"to": [actor.pk, first.pk, second.pk, first.pk, inactive.pk]},
    )

    rows = Notification.objects.order_by("recipient_id")
    assert [(n.recipient, n.kind, n.activity, n.url) for n in rows] == [
        (first, "tests.poke", log, f"/don-vi/{log.object_id}/"),
        (second, "tests.poke", log, f"/don-vi/{log.object_id}/"),
    ]
    assert rows[0].title == "Đơn vị Xã Cẩm Xuyên được nhắc"


def test_dispatch_rolled_back_transaction_leaves_no_notification_and_no_email():
    user = UserFactory(email="a@example.vn")

    with pytest.raises(RuntimeError):
        with transaction.atomic():
            _poke(user)
            raise RuntimeError

    assert (Notification.objects.count(), len(mail.outbox)) == (0, 0)


def test_dispatch_other_action_notifies_nobody():
    _poke(UserFactory(), action="tests.unit.other")

    assert Notification.objects.count() == 0


# --- The e-mail at once --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "email", "sent"),
    [
        (None, "a@example.vn", 1),  # the kind's default: e-mail
        (NotificationChannel.EMAIL, "a@example.vn", 1),
        (NotificationChannel.APP, "a@example.vn", 0),
        (NotificationChannel.DIGEST, "a@example.vn", 0),
        (None, "", 0),  # no address: the app only
    ],
)
def test_email_at_once_follows_the_preference(
    django_capture_on_commit_callbacks, channel, email, sent
):
    user = UserFactory(email=email)
    if channel:
        NotificationPreference.objects.create(user=user, kind="tests.poke", channel=channel)

    with django_capture_on_commit_callbacks(execute=True):
        _poke(user)

    notification = Notification.objects.get()
    assert (len(mail.outbox), notification.emailed_at is not None) == (sent, bool(sent))


def test_email_content_vietnamese_text_and_html_with_absolute_links(
    django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://danvan.hatinh.gov.vn"
    user = UserFactory(email="binh@example.vn")

    # The e-mail is Vietnamese whatever language the sender's request was in.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        log = _poke(user)

    [message] = mail.outbox
    link = f"https://danvan.hatinh.gov.vn/don-vi/{log.object_id}/"
    prefs = f"https://danvan.hatinh.gov.vn{PREFS_URL}"
    with translation.override("vi"):
        site_title = gettext('"Dan Van Kheo" movement registry')
        open_label = gettext("Open in the system")
    assert (message.subject, message.to) == ("Đơn vị Xã Cẩm Xuyên được nhắc", ["binh@example.vn"])
    assert [line for line in message.body.splitlines() if line][:3] == [
        "Đơn vị Xã Cẩm Xuyên được nhắc",
        "Mô hình đã bị trả lại.",
        "Lý do: bổ sung số liệu.",
    ]
    assert f"{open_label}: {link}" in message.body
    assert prefs in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert '<html lang="vi">' in html
    assert site_title.replace('"', "&quot;") in html
    assert f'href="{link}"' in html
    assert f'href="{prefs}"' in html
    assert "Lý do: bổ sung số liệu.<br>Hạn nộp lại: 15/12/2026." in html
    assert "Đơn vị được nhắc" in html  # why they got it: the kind's label


def test_email_notification_without_link_points_to_the_list(settings):
    settings.SITE_URL = "https://danvan.example.vn/"
    notification = _notification(UserFactory(email="a@example.vn"), url="")

    message = notifications.notification_email(notification)

    assert f"https://danvan.example.vn{LIST_URL}" in message.body


def test_email_never_sent_twice():
    notification = _notification(UserFactory(email="a@example.vn"))

    first = send_notification_emails.delay([notification.pk]).get()
    second = send_notification_emails.delay([notification.pk, notification.pk]).get()

    assert (first, second, len(mail.outbox)) == (1, 0, 1)


def test_email_missing_notification_is_skipped():
    assert notifications.notifications_email([987654]) == 0


class FlakyBackend(EmailBackend):
    """Refuses the first ``failures`` messages like a mail server that is down."""

    failures = 0
    attempts = 0

    def send_messages(self, messages):
        type(self).attempts += 1
        if type(self).attempts <= type(self).failures:
            raise SMTPException("451 try again later")
        return super().send_messages(messages)


@pytest.fixture
def worker_like():
    """Run tasks as a worker does: an error is the task's result, retries happen in turn."""
    conf = send_notification_emails.app.conf
    before = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = before


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.attempts = 0
    return FlakyBackend


def test_email_smtp_error_is_retried_then_sent(flaky, worker_like):
    flaky.failures = 2
    notification = _notification(UserFactory(email="a@example.vn"))

    result = send_notification_emails.apply(args=[[notification.pk]])

    notification.refresh_from_db()
    assert (result.get(), flaky.attempts, len(mail.outbox)) == (1, 3, 1)
    assert notification.emailed_at is not None


def test_email_smtp_down_gives_up_after_five_retries(flaky, worker_like):
    flaky.failures = 100
    notification = _notification(UserFactory(email="a@example.vn"))

    result = send_notification_emails.apply(args=[[notification.pk]])

    notification.refresh_from_db()
    assert (result.state, flaky.attempts, notification.emailed_at) == ("FAILURE", 6, None)


def test_email_smtp_down_does_not_fail_the_change(flaky, django_capture_on_commit_callbacks):
    flaky.failures = 100
    user = UserFactory(email="a@example.vn")

    with django_capture_on_commit_callbacks(execute=True):
        _poke(user)

    # In process (no broker) the task's error is logged; the notification is kept for the app.
    assert flaky.attempts == 1
    assert Notification.objects.get().emailed_at is None


def test_email_broker_down_does_not_fail_the_change(
    monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("redis is down")

    monkeypatch.setattr(send_notification_emails, "delay", refuse)

    with django_capture_on_commit_callbacks(execute=True):
        _poke(UserFactory(email="a@example.vn"))

    assert (Notification.objects.count(), len(mail.outbox)) == (1, 0)


@pytest.mark.django_db(transaction=True)
def test_email_smtp_down_the_request_still_succeeds(client, flaky, kinds):
    """A real transition over HTTP, committed (transactional test): the e-mail fails after
    the commit, the page answers as usual."""
    flaky.failures = 100
    officer = UserFactory(roles=[Role.UNIT_OFFICER])
    watcher = UserFactory(email="watcher@example.vn")
    dvk_model = DvkModelFactory(unit=officer.unit, created_by=officer)
    notifications.register_notification_kind(
        NotificationKind(
            code="tests.submitted",
            label="Có mô hình gửi đến",
            actions=("models_registry.dvkmodel.submit",),
            recipients=lambda log: [watcher],
            message=lambda log, user: Message(title="Có mô hình mới", url="/"),
        )
    )
    client.force_login(officer)
    try:
        response = client.post(reverse("models_registry:model_submit", args=[dvk_model.pk]))
    finally:
        notifications.unregister_notification_kind("tests.submitted")

    assert response.status_code == 302
    assert Notification.objects.filter(recipient=watcher, kind="tests.submitted").count() == 1
    assert (flaky.attempts, len(mail.outbox)) == (1, 0)


# --- The daily digest ----------------------------------------------------------------------


def test_digest_one_email_per_user_grouped_by_kind_and_idempotent(settings):
    settings.SITE_URL = "https://danvan.example.vn"
    user = UserFactory(email="a@example.vn")
    other = UserFactory(email="b@example.vn")
    NotificationPreference.objects.create(user=user, kind="tests.poke", channel="digest")
    _notification(user, kind="tests.nudge", title="Lưu ý thứ nhất", url="/a/")
    _notification(user, kind="tests.poke", title="Nhắc thứ nhất", url="/b/")
    _notification(user, kind="tests.nudge", title="Lưu ý thứ hai", url="/c/")
    _notification(user, kind="tests.nudge", title="Đã đọc rồi", read=True)
    _notification(other, kind="tests.nudge", title="Lưu ý của người khác")
    _notification(other, kind="tests.poke", title="Gửi ngay, không vào bản tóm tắt")

    first = send_notification_digest.delay().get()
    second = send_notification_digest.delay().get()

    assert (first, second) == (2, 0)
    mine = next(m for m in mail.outbox if m.to == ["a@example.vn"])
    theirs = next(m for m in mail.outbox if m.to == ["b@example.vn"])
    lines = [line.strip() for line in mine.body.splitlines() if line.strip()]
    titles = [line for line in lines if line.startswith("- ")]
    assert [lines.index("Đơn vị được nhắc") < lines.index("Đơn vị được lưu ý")] == [True]
    assert [t.split(" (")[0] for t in titles] == [
        "- Nhắc thứ nhất",
        "- Lưu ý thứ nhất",
        "- Lưu ý thứ hai",
    ]
    assert "https://danvan.example.vn/c/" in mine.body
    assert 'href="https://danvan.example.vn/a/"' in mine.alternatives[0][0]
    assert mine.subject == ngettext(
        "%(count)s new notification on %(day)s", "%(count)s new notifications on %(day)s", 3
    ) % {"count": 3, "day": timezone.localdate().strftime("%d/%m/%Y")}
    assert "Gửi ngay" not in theirs.body
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 4


def test_digest_skips_old_notifications_and_users_without_address():
    user = UserFactory(email="a@example.vn")
    old = _notification(user, kind="tests.nudge")
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=10)
    )
    _notification(UserFactory(email=""), kind="tests.nudge")

    assert notifications.digest_send() == 0
    assert mail.outbox == []


def test_digest_is_scheduled_every_morning_at_seven():
    entry = settings.CELERY_BEAT_SCHEDULE["notification-digest"]

    assert entry["task"] == send_notification_digest.name == "danvan.send_notification_digest"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({7}, {0})
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"


# --- The bell ------------------------------------------------------------------------------


def test_bell_shows_unread_count_in_its_name(client):
    user = UserFactory()
    for _ in range(3):
        _notification(user)
    _notification(user, read=True)
    _notification(UserFactory())
    client.force_login(user)

    response = client.get(BELL_URL, headers={"HX-Request": "true"})

    label = ngettext("Notifications, %(counter)s unread", "Notifications, %(counter)s unread", 3)
    content = response.content.decode()
    assert response.status_code == 200
    assert f'aria-label="{label % {"counter": 3}}"' in content
    assert re.search(r'class="notification-count"[^>]*>3<', content)
    assert f'href="{LIST_URL}"' in content


def test_bell_without_unread_has_no_badge(client):
    user = UserFactory()
    _notification(user, read=True)
    client.force_login(user)

    content = client.get(BELL_URL).content.decode()

    assert f'aria-label="{gettext("Notifications")}"' in content
    assert "notification-count" not in content


def test_bell_signed_out_htmx_gets_no_content_else_login(client):
    assert client.get(BELL_URL, headers={"HX-Request": "true"}).status_code == 204
    response = client.get(BELL_URL)
    assert (response.status_code, response.url) == (302, login_redirect(BELL_URL))


def test_bell_on_every_page_loads_its_count_after_the_page(client):
    user = UserFactory()
    _notification(user)
    client.force_login(user)

    content = client.get(reverse("home")).content.decode()

    assert f'data-notification-bell="{BELL_URL}"' in content
    assert 'id="notification-bell"' in content
    assert "notification-count" not in content  # the count comes with htmx
    assert f'href="{PREFS_URL}"' in content  # the settings, in the account menu


@pytest.mark.parametrize("url", [BELL_URL, LIST_URL])
def test_bell_and_list_queries_do_not_grow_with_notifications(client, url):
    user = UserFactory()
    client.force_login(user)

    def queries(n):
        Notification.objects.filter(recipient=user).delete()
        for i in range(n):
            _notification(user, read=bool(i % 2))
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    few, many = queries(3), queries(30)
    assert few == many
    assert many <= 12


# --- The list ------------------------------------------------------------------------------


def test_list_newest_first_paginated_with_unread_marked(client):
    user = UserFactory()
    for i in range(30):
        _notification(user, title=f"Thông báo {i:02d}", read=i < 20)
    client.force_login(user)

    first = client.get(LIST_URL).content.decode()
    second = client.get(LIST_URL, {"page": 2}).content.decode()

    titles = re.findall(r'class="notification-title[^"]*" href="[^"]+">([^<]+)<', first)
    assert titles == [f"Thông báo {i:02d}" for i in range(29, 4, -1)]
    assert len(re.findall(r'class="notification-title', second)) == 5
    assert first.count("notification-item--unread") == 10
    assert first.count('visually-hidden">, ') == 10
    assert reverse("notification_mark_all_read") in first


def test_list_unread_filter(client):
    user = UserFactory()
    _notification(user, title="Chưa đọc")
    _notification(user, title="Đã đọc", read=True)
    client.force_login(user)

    content = client.get(LIST_URL, {"unread": "1"}).content.decode()

    assert ("Chưa đọc" in content, "Đã đọc<" in content) == (True, False)


def test_list_shows_only_the_users_notifications(client):
    user = UserFactory()
    _notification(UserFactory(), title="Của người khác")
    client.force_login(user)

    content = client.get(LIST_URL).content.decode()

    assert "Của người khác" not in content


def test_open_marks_read_and_goes_to_the_link(client):
    user = UserFactory()
    notification = _notification(user, url="/mo-hinh/5/")
    client.force_login(user)

    response = client.get(reverse("notification_open", args=[notification.pk]))

    notification.refresh_from_db()
    assert (response.status_code, response.url) == (302, "/mo-hinh/5/")
    assert notification.read_at is not None


@pytest.mark.parametrize(
    "url",
    ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_open_refuses_a_link_off_the_site(client, url):
    user = UserFactory()
    notification = _notification(user, url=url)
    client.force_login(user)

    response = client.get(reverse("notification_open", args=[notification.pk]))

    assert (response.status_code, response.url) == (302, LIST_URL)


def test_open_someone_elses_notification_is_404(client):
    notification = _notification(UserFactory())
    client.force_login(UserFactory())

    response = client.get(reverse("notification_open", args=[notification.pk]))

    notification.refresh_from_db()
    assert (response.status_code, notification.read_at) == (404, None)


def test_mark_all_read_only_the_users_own(client):
    user, other = UserFactory(), UserFactory()
    _notification(user)
    _notification(user)
    theirs = _notification(other)
    client.force_login(user)

    assert client.get(reverse("notification_mark_all_read")).status_code == 405
    response = client.post(reverse("notification_mark_all_read"))

    theirs.refresh_from_db()
    assert (response.status_code, response.url) == (302, LIST_URL)
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 0
    assert theirs.read_at is None


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "notification_list", []),
        ("get", "notification_preferences", []),
        ("post", "notification_preferences", []),
        ("post", "notification_mark_all_read", []),
        ("get", "notification_open", [1]),
    ],
)
def test_pages_anonymous_goes_to_login(client, method, name, args):
    path = reverse(name, args=args)

    response = getattr(client, method)(path)

    assert (response.status_code, response.url) == (302, login_redirect(path))


# --- The settings --------------------------------------------------------------------------


def _prefs_data(**chosen):
    data = {k.code: k.default_channel for k in notifications.notification_kinds()}
    data.update({code.replace("__", "."): channel for code, channel in chosen.items()})
    return data


def test_preferences_page_prefilled_with_choice_or_default(client):
    user = UserFactory(email="a@example.vn")
    NotificationPreference.objects.create(user=user, kind="tests.poke", channel="app")
    client.force_login(user)

    response = client.get(PREFS_URL)

    form = response.context["form"]
    assert (form["tests.poke"].initial, form["tests.nudge"].initial) == ("app", "digest")
    content = response.content.decode()
    assert "Đơn vị được nhắc" in content and "Đơn vị được lưu ý" in content
    assert gettext("Your account has no e-mail address") not in content


def test_preferences_save_stores_only_what_differs_from_the_default(client):
    user = UserFactory(email="a@example.vn")
    NotificationPreference.objects.create(user=user, kind="tests.nudge", channel="app")
    client.force_login(user)

    response = client.post(PREFS_URL, _prefs_data(tests__poke="digest", tests__nudge="digest"))

    assert (response.status_code, response.url) == (302, PREFS_URL)
    assert list(
        NotificationPreference.objects.filter(user=user).values_list("kind", "channel")
    ) == [("tests.poke", "digest")]
    assert notifications.channel_for(user, "tests.nudge") == "digest"


def test_preferences_bad_channel_message_at_the_field_nothing_saved(client):
    user = UserFactory(email="a@example.vn")
    client.force_login(user)

    response = client.post(PREFS_URL, _prefs_data(tests__poke="pigeon", tests__nudge="app"))

    assert response.status_code == 200
    assert response.context["form"].errors["tests.poke"] == [
        gettext("Choose how you want to receive this kind of notification.")
    ]
    assert response.context["form"]["tests.nudge"].value() == "app"  # the other input kept
    assert NotificationPreference.objects.count() == 0


def test_preferences_service_refuses_unknown_kind_and_channel():
    user = UserFactory()

    with pytest.raises(notifications.inbox.NotificationError) as refused:
        notifications.notification_preferences_save(
            user=user, channels={"tests.poke": "fax", "no.such.kind": "app"}
        )

    assert set(refused.value.errors) == {"tests.poke", None}
    assert NotificationPreference.objects.count() == 0


def test_preferences_list_only_the_kinds_the_user_may_receive(client):
    user = UserFactory(email="a@example.vn")
    notifications.register_notification_kind(
        NotificationKind(
            code="tests.secretariat", label="Chỉ cho thường trực", audience=lambda u: False
        )
    )
    client.force_login(user)
    try:
        form = client.get(PREFS_URL).context["form"]
    finally:
        notifications.unregister_notification_kind("tests.secretariat")

    assert ("tests.poke" in form.fields, "tests.secretariat" in form.fields) == (True, False)


def test_preferences_kind_left_out_keeps_its_channel(client):
    user = UserFactory(email="a@example.vn")
    NotificationPreference.objects.create(user=user, kind="tests.nudge", channel="app")
    client.force_login(user)

    response = client.post(PREFS_URL, {"tests.poke": "app"})

    assert response.status_code == 302
    assert [
        notifications.channel_for(user, "tests.poke"),
        notifications.channel_for(user, "tests.nudge"),
    ] == ["app", "app"]


def test_preferences_without_email_says_so(client):
    client.force_login(UserFactory(email=""))

    content = client.get(PREFS_URL).content.decode()

    assert (
        gettext("Your account has no e-mail address: you receive notifications in the system only.")
        in content
    )
