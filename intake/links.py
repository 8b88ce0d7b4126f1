"""Signed intake links: the token in the emailed URL, and reading it back.

The token is signed with its own salt (so no other token in the project can pass for it) and
carries its signing time, so it expires after settings.INTAKE_LINK_MAX_AGE. The IntakeLink row
behind it makes it single-use: the services mark it used when an intake is stored through it,
and retire the client's other links then. A client has one live link at a time, which every
email and reminder sends again, so a client never holds several different forms to fill in.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from clinic.core import tokens

from .models import IntakeLink

SALT = "intake.link"


class LinkUnusable(tokens.LinkError):
    """The link cannot open the form; `reason` is `invalid` (404), `expired`, `used` or
    `retired` (410: the client's intake came in through another link or their account)."""

    MESSAGES = {
        **tokens.LinkError.MESSAGES,
        "retired": "Your health form has reached the clinic: this link is no longer needed.",
    }
    STATUSES = {**tokens.LinkError.STATUSES, "invalid": 404, "retired": 410}


def live_links(client):
    """The client's links that can still open the form (at most one, by a constraint)."""
    return IntakeLink.objects.filter(client=client, used_at__isnull=True, retired_at__isnull=True)


def new_link(client, *, sent_to: str = "", by=None) -> IntakeLink:
    """The client's live intake link, or a new one when they have none; not sent anywhere
    (the caller sends it). `sent_to` records the address it goes to now."""
    link = live_links(client).first()
    if link is None:
        try:
            with transaction.atomic():
                return IntakeLink.objects.create(client=client, sent_to=sent_to, created_by=by)
        except IntegrityError:
            # Another request made the client's live link a moment ago: use that one.
            link = live_links(client).get()
    if sent_to and link.sent_to != sent_to:
        link.sent_to = sent_to
        link.save(update_fields=["sent_to"])
    return link


def make_token(link: IntakeLink) -> str:
    """The signed token for a link, timestamped now."""
    return tokens.make_token({"link": link.pk, "nonce": link.nonce}, salt=SALT)


def link_path(link: IntakeLink) -> str:
    """The form's path for a link, with a freshly signed token."""
    return reverse("intake-link-form", args=[make_token(link)])


def read_token(token: str) -> IntakeLink:
    """The live link a token stands for; raises LinkUnusable when it is forged, expired, used,
    or retired."""
    data = tokens.read_token(
        token, salt=SALT, max_age=settings.INTAKE_LINK_MAX_AGE, expect=dict, error=LinkUnusable
    )
    pk, nonce = data.get("link"), data.get("nonce")
    # Only this module signs these tokens; a payload of other types was not made here.
    if type(pk) is not int or not isinstance(nonce, str):
        raise LinkUnusable("invalid")
    link = IntakeLink.objects.select_related("client").filter(pk=pk, nonce=nonce).first()
    if link is None:
        raise LinkUnusable("invalid")
    if link.used_at is not None:
        raise LinkUnusable("used")
    if link.retired_at is not None:
        raise LinkUnusable("retired")
    return link
