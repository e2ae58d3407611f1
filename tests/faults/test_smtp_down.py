"""Fault: the mail server is down.

Simulated with Django's real SMTP backend (``EMAIL_BACKEND`` smtp) pointed at a closed
port on 127.0.0.1: every connection is refused (``ConnectionRefusedError``, an
``OSError``), as when the relay is stopped. The mail task runs as a worker runs it (its
errors are its result; eager retries happen in turn); the jitter of the back-off is pinned
to its ceiling so that the waits can be compared.

Shown: the transition that notifies (a model submitted) commits and its page answers, the
in-app notification exists; the e-mail task is retried five times, waiting longer each
time (1, 2, 4, 8, 16 minutes), then gives up with an error logged and the notification
left not e-mailed — nothing else fails.
"""

import logging

import pytest
from django.urls import reverse

from danvan import notifications
from danvan.enums import Role
from danvan.models import Notification
from danvan.notifications import Message, NotificationKind
from danvan.tasks import send_notification_emails
from models_registry.models import DvkModel
from tests.factories import DvkModelFactory, UserFactory

from .conftest import free_port

KIND = "tests.faults.submitted"


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # bound then released: nobody listens
    settings.EMAIL_TIMEOUT = 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False


@pytest.fixture
def watcher():
    """Someone who gets an e-mail at once when a model is submitted."""
    user = UserFactory(email="watcher@example.vn")
    notifications.register_notification_kind(
        NotificationKind(
            code=KIND,
            label="Có mô hình gửi đến",
            actions=("models_registry.dvkmodel.submit",),
            recipients=lambda log: [user],
            message=lambda log, recipient: Message(title="Có mô hình mới", url="/"),
        )
    )
    yield user
    notifications.unregister_notification_kind(KIND)


@pytest.fixture
def worker_like():
    """Run the task as a worker does: an error is the task's result, not raised."""
    conf = send_notification_emails.app.conf
    before = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = before


@pytest.mark.django_db(transaction=True)
def test_the_action_succeeds_and_the_notification_is_in_the_app(client, smtp_down, watcher):
    officer = UserFactory(roles=[Role.UNIT_OFFICER])
    dvk_model = DvkModelFactory(unit=officer.unit, created_by=officer)
    client.force_login(officer)

    response = client.post(reverse("models_registry:model_submit", args=[dvk_model.pk]))

    assert response.status_code == 302
    assert DvkModel.objects.get(pk=dvk_model.pk).status != dvk_model.status
    notification = Notification.objects.get(recipient=watcher, kind=KIND)
    assert notification.emailed_at is None
    assert client.get(reverse("notification_list")).status_code == 200


@pytest.mark.django_db
def test_the_email_is_retried_with_growing_waits_then_given_up_and_logged(
    smtp_down, watcher, worker_like, monkeypatch, caplog
):
    import celery.utils.time

    monkeypatch.setattr(celery.utils.time.random, "randrange", lambda stop: stop - 1)
    waits = []
    real_retry = send_notification_emails.retry

    def retry(*args, **kwargs):
        waits.append(kwargs.get("countdown"))
        return real_retry(*args, **kwargs)

    monkeypatch.setattr(send_notification_emails, "retry", retry)
    notification = Notification.objects.create(
        recipient=watcher, kind=KIND, title="Có mô hình mới", url="/"
    )

    with caplog.at_level(logging.INFO):
        result = send_notification_emails.apply(args=[[notification.pk]])

    notification.refresh_from_db()
    # Five retries; the sixth failure finds them spent and gives up (its wait is unused).
    assert waits == [60, 120, 240, 480, 960, 1800]
    assert (result.state, type(result.result)) == ("FAILURE", ConnectionRefusedError)
    assert notification.emailed_at is None
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("danvan.send_notification_emails" in r.getMessage() for r in failures), [
        r.getMessage() for r in caplog.records
    ]
