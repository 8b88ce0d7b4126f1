"""Permission-matrix rows for the waitlist (see tests/access/__init__.py).

The desk (front desk and clinic admin) keeps the waitlist; a client joins it themselves; the
offer's page and its API answer are public, the signed token being the key.
"""

from datetime import time, timedelta

from django.utils import timezone

from clinic.accounts.models import Role
from clinic.waitlist import links
from clinic.waitlist.models import FreedSlot, Offer, WaitlistEntry

from . import PUBLIC, Route

DESK = frozenset({Role.FRONT_DESK, Role.CLINIC_ADMIN})
CLIENT = frozenset({Role.CLIENT})


def add_to_world(world):
    """A waiting entry for the world's client, a freed slot, and an offer of it to them."""
    world.entry = WaitlistEntry.objects.create(
        client=world.client,
        service=world.service,
        weekdays=list(range(7)),
        earliest=time(8),
        latest=time(20),
    )
    starts_at = timezone.now() + timedelta(days=3)
    world.freed = FreedSlot.objects.create(
        therapist=world.therapist,
        service=world.service,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        reason="cancelled",
    )
    world.offer = Offer.objects.create(
        slot=world.freed,
        entry=world.entry,
        client=world.client,
        therapist=world.therapist,
        starts_at=starts_at,
        expires_at=timezone.now() + timedelta(minutes=20),
    )


def offer_token(w):
    return {"token": links.make_token(w.offer)}


ROUTES = {
    "waitlist-desk": Route(DESK),
    "waitlist-add": Route(DESK, lambda w: {"client_pk": w.client.pk}),
    "waitlist-join": Route(CLIENT),
    "waitlist-remove": Route(DESK, lambda w: {"pk": w.entry.pk}, method="post"),
    "waitlist-offer-by-hand": Route(DESK, method="post"),
    "waitlist-offer-time": Route(DESK, method="post"),
    "waitlist-offer": Route(PUBLIC, offer_token),
    "api-waitlist": Route(DESK),
    "api-waitlist-remove": Route(DESK, lambda w: {"pk": w.entry.pk}, method="post"),
    "api-waitlist-offers": Route(DESK),
    "api-waitlist-offer-time": Route(DESK, method="post"),
    "api-waitlist-answer": Route(
        PUBLIC, method="post", data=lambda w: {"token": "forged", "answer": "decline"}
    ),
}
