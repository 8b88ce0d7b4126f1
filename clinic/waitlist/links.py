"""The signed link in an offer: it carries the offer's id, and opens the page to accept or
decline it. It outlives the hold (the page then says the offer lapsed), not the slot by much."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse

from clinic.core import tokens

from .models import Offer

SALT = "waitlist.offer"
MAX_AGE = timedelta(days=14)


class OfferLinkProblem(tokens.LinkError):
    """The link cannot be used; `reason` is `invalid` (400) or `expired` (410)."""


def make_token(offer: Offer) -> str:
    return tokens.make_token(offer.pk, salt=SALT)


def offer_url(offer: Offer) -> str:
    """The absolute URL of the offer's page, for an email or a text message."""
    return settings.SITE_URL + reverse("waitlist-offer", args=[make_token(offer)])


def read_token(token: str) -> Offer:
    """The offer a token stands for, or OfferLinkProblem when forged or expired."""
    pk = tokens.read_token(token, salt=SALT, max_age=MAX_AGE, expect=int, error=OfferLinkProblem)
    offer = (
        Offer.objects.select_related("client", "therapist__user", "slot__service", "appointment")
        .filter(pk=pk)
        .first()
    )
    if offer is None:
        raise OfferLinkProblem("invalid")
    return offer
