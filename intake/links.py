"""Signed intake links: the token in the emailed URL, and reading it back.

The token is signed with its own salt (so no other token in the project can pass for it) and
carries its signing time, so it expires after settings.INTAKE_LINK_MAX_AGE. The IntakeLink row
behind it makes it single-use: the services mark it used when an intake is stored through it.
"""

from django.conf import settings
from django.urls import reverse

from clinic.core import tokens

from .models import IntakeLink

SALT = "intake.link"


class LinkUnusable(tokens.LinkError):
    """The link cannot open the form; `reason` is `invalid` (404), `expired` or `used` (410)."""

    STATUSES = {**tokens.LinkError.STATUSES, "invalid": 404}


def new_link(client, *, sent_to: str = "", by=None) -> IntakeLink:
    """A fresh single-use link for a client's intake, not sent anywhere (the caller sends it)."""
    return IntakeLink.objects.create(client=client, sent_to=sent_to, created_by=by)


def make_token(link: IntakeLink) -> str:
    """The signed token for a link, timestamped now."""
    return tokens.make_token({"link": link.pk, "nonce": link.nonce}, salt=SALT)


def link_path(link: IntakeLink) -> str:
    """The form's path for a link, with a freshly signed token."""
    return reverse("intake-link-form", args=[make_token(link)])


def read_token(token: str) -> IntakeLink:
    """The unused link a token stands for; raises LinkUnusable when it is forged, expired or
    already used."""
    data = tokens.read_token(
        token, salt=SALT, max_age=settings.INTAKE_LINK_MAX_AGE, expect=dict, error=LinkUnusable
    )
    link = (
        IntakeLink.objects.select_related("client")
        .filter(pk=data.get("link"), nonce=data.get("nonce"))
        .first()
    )
    if link is None:
        raise LinkUnusable("invalid")
    if link.used_at is not None:
        raise LinkUnusable("used")
    return link
