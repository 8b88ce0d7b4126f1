"""Fixtures for cards online: Stripe switched on against the local fake, and the way a client
goes through its hosted page (the button the browser tests press, called directly)."""

from urllib.parse import urlsplit

import pytest

from tests.billing.fake_stripe import FakeStripe
from tests.billing.test_gateways import WEBHOOK_SECRET, post_webhook, signed


@pytest.fixture
def stripe_on(settings):
    with FakeStripe() as fake:
        settings.PAYMENT_GATEWAY = "stripe"
        settings.STRIPE_SECRET_KEY = "sk_test_fake"
        settings.STRIPE_API_BASE = fake.url
        settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
        yield fake


def through_stripe(fake, response, card="4242"):
    """The client was sent to the fake's hosted page and pressed its button: the local path
    Stripe sends them back to."""
    assert response.status_code == 302 and response.url.startswith(f"{fake.url}/pay/")
    back = fake.complete(response.url.rsplit("/", 1)[1], card)
    parts = urlsplit(back)
    return f"{parts.path}?{parts.query}"


def deliver(http, event):
    """Stripe posts the event, signed, to the app's webhook."""
    import json

    body, signature = signed(event)
    assert json.loads(body) == event
    return post_webhook(http, body, signature)
