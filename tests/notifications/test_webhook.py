"""The generic signed webhook channel against a local receiver (a thread HTTP server): the signature,
retries with back-off, the delivery log, once per notification."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.urls import reverse

from portal.notifications import channels
from portal.notifications.models import WebhookDelivery
from portal.notifications.services import notification_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "s3cret-for-tests"


class Receiver:
    def __init__(self, answers):
        self.answers = list(answers)  # status codes to give, in order (then 200)
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                code = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(code)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings, request):
    answers = getattr(request, "param", [])
    server = Receiver(answers)
    settings.NOTIFICATION_WEBHOOK_URL = server.url
    settings.NOTIFICATION_WEBHOOK_SECRET = SECRET
    settings.NOTIFICATION_WEBHOOK_ATTEMPTS = 3
    settings.PORTAL_BASE_URL = "https://portal.example"
    yield server
    server.close()


def _send(user):
    return notification_send(
        kind="deals.message",
        recipients=[user],
        url=reverse("deals:inbox"),
        context={"company": "Kato Medical"},
        dedupe_key="hook:1",
    )


def test_signed_post_and_delivery_log(receiver):
    user = UserFactory(language="en")
    (row,) = _send(user)
    ((headers, body),) = receiver.requests
    expected = hmac.new(SECRET.encode(), headers["X-Portal-Timestamp"].encode() + b"." + body, hashlib.sha256)
    assert headers["X-Portal-Signature"] == "sha256=" + expected.hexdigest()
    assert json.loads(body) == {
        "id": row.pk,
        "kind": "deals.message",
        "recipient": user.pk,
        "language": "en",
        "subject": "New message from Kato Medical",
        "body": "Kato Medical wrote to your company. Open the conversation to read and answer.",
        "url": "https://portal.example/deals/",
        "created_at": row.created_at.isoformat(),
    }
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    # The same event again, and a retried task: nothing more is posted.
    assert _send(user) == []
    assert channels.webhook_deliver(delivery_id=delivery.pk) is None
    assert len(receiver.requests) == 1


def test_a_wrong_secret_does_not_verify(receiver):
    _send(UserFactory())
    ((headers, body),) = receiver.requests
    wrong = hmac.new(b"other", headers["X-Portal-Timestamp"].encode() + b"." + body, hashlib.sha256)
    assert headers["X-Portal-Signature"] != "sha256=" + wrong.hexdigest()


@pytest.mark.parametrize("receiver", [[500, 503]], indirect=True)
def test_retries_until_delivered(receiver):
    _send(UserFactory())  # inline tasks: the retries run at once (a worker waits 30 s, 60 s, …)
    delivery = WebhookDelivery.objects.get()
    assert len(receiver.requests) == 3
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 200)


@pytest.mark.parametrize("receiver", [[500, 500, 500, 500]], indirect=True)
def test_gives_up_after_the_last_attempt(receiver):
    _send(UserFactory())
    delivery = WebhookDelivery.objects.get()
    assert len(receiver.requests) == 3
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", 3, "HTTP 500")


def test_back_off_doubles(settings):
    settings.NOTIFICATION_WEBHOOK_BACKOFF = 30
    assert [channels.backoff(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


def test_unreachable_receiver_is_retried_later(settings):
    from portal.notifications.models import Notification

    settings.NOTIFICATION_WEBHOOK_URL = "http://127.0.0.1:9/nothing"
    settings.NOTIFICATION_WEBHOOK_SECRET = SECRET
    row = Notification.objects.create(recipient=UserFactory(), kind="deals.message")
    delivery = WebhookDelivery.objects.create(notification=row, url=settings.NOTIFICATION_WEBHOOK_URL)
    assert channels.webhook_deliver(delivery_id=delivery.pk) == 30
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
    assert delivery.last_error


def test_off_without_configuration(settings):
    settings.NOTIFICATION_WEBHOOK_URL = ""
    _send(UserFactory())
    assert WebhookDelivery.objects.count() == 0
