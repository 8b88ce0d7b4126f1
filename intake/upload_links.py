"""Signed links to upload a clearance note, for clients who filled the form from an email.

Such a client has no login, so the confirmation page gives them this link instead: it names
the intake, is signed with its own salt, and expires after UPLOAD_LINK_MAX_AGE. Anyone holding
it may only add a document for review to that intake's client; it reads and lifts nothing.
"""

from datetime import timedelta

from django.urls import reverse

from clinic.core import tokens

from .links import LinkUnusable
from .models import Intake

SALT = "intake.clearance-upload"
# Long enough to get an appointment with a midwife or doctor and come back with the note.
UPLOAD_LINK_MAX_AGE = timedelta(days=30)


def upload_path(intake: Intake) -> str:
    """The upload page's path for an intake, with a freshly signed token."""
    token = tokens.make_token({"intake": intake.pk}, salt=SALT)
    return reverse("intake-link-clearance", args=[token])


def read_upload_token(token: str) -> Intake:
    """The intake a token stands for; LinkUnusable when it is forged, expired or names none."""
    data = tokens.read_token(
        token, salt=SALT, max_age=UPLOAD_LINK_MAX_AGE, expect=dict, error=LinkUnusable
    )
    pk = data.get("intake")
    intake = (
        Intake.objects.select_related("client").filter(pk=pk).first() if type(pk) is int else None
    )
    if intake is None:
        raise LinkUnusable("invalid")
    return intake
