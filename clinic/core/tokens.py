"""Signed tokens for the links clients get by email or text (intake forms, reminders).

Each purpose signs with a salt of its own, so a token made for one purpose cannot pass for
another, and the token carries its signing time, so it expires after that purpose's lifetime.
"""

from datetime import timedelta

from django.core import signing

from .errors import DomainError


class LinkError(DomainError):
    """A link that cannot be used; `reason` is `invalid`, `expired` or `used`."""

    MESSAGES = {
        "invalid": "This link is not valid.",
        "expired": "This link has expired.",
        "used": "This link has already been used.",
    }
    STATUSES = {"invalid": 400, "expired": 410, "used": 410}

    def __init__(self, reason: str):
        super().__init__(
            self.MESSAGES[reason], code=f"LINK_{reason.upper()}", status=self.STATUSES[reason]
        )
        self.reason = reason


def make_token(value: object, *, salt: str) -> str:
    """A signed, timestamped token carrying `value` (JSON-serialisable)."""
    return signing.dumps(value, salt=salt)


def read_token(
    token: str,
    *,
    salt: str,
    max_age: timedelta | int,
    expect: type = object,
    error: type[LinkError] = LinkError,
) -> object:
    """The value a token carries; `error("expired")` when it is too old and `error("invalid")`
    when it is forged, made for another purpose, or carries something other than `expect`."""
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise error("expired") from exc
    except signing.BadSignature as exc:
        raise error("invalid") from exc
    if not isinstance(value, expect):
        raise error("invalid")
    return value
