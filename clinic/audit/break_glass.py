"""Break the glass: a therapist opens the record of a client they do not treat, with a reason.

The care relationship (clinic/accounts/querysets.py) decides who treats whom. Anyone outside it
who still needs a record (covering for a colleague, a client calling about yesterday's visit)
types why; the record opens to them, to read, until the end of the clinic day, under a
distinct audit action. Every read under the grant is audited as usual, and the clinic admin
reviews each grant, newest first, and marks it reviewed (audited too).
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from clinic.accounts.models import Client
from clinic.accounts.roles import can_break_glass, can_review_break_glass, own_therapist
from clinic.core.clinic_time import day_bounds, end_of_local_day
from clinic.core.errors import DomainError
from clinic.core.inputs import is_storable_text

from .log import Origin, record
from .models import BREAK_GLASS_REASON_MAX, AuditAction, BreakGlassGrant


class BreakGlassRefused(DomainError):
    code = "break_glass_refused"


def break_glass(*, client: Client, reason: object, by: object) -> BreakGlassGrant:
    """Grant `by` (a request, Origin or user) read access to `client`'s record until the end of
    today in the clinic's zone, for the `reason` they typed; audited as `break_glass`.

    Refused (nothing written) when the user is not a therapist, already reads the record, or
    gives no reason, one too long, or one with characters the database cannot store.
    """
    origin = Origin.of(by)
    user = origin.user
    text = reason.strip() if isinstance(reason, str) else ""
    if not can_break_glass(user, client):
        if own_therapist(user) is not None:
            raise BreakGlassRefused(
                "You can already read this record.", code="already_open", status=409
            )
        raise BreakGlassRefused(
            "Only a therapist may open a record this way.", code="not_clinical", status=403
        )
    if not text:
        raise BreakGlassRefused(
            "Say why you need this client's record.", "reason", code="reason_required"
        )
    if len(text) > BREAK_GLASS_REASON_MAX:
        raise BreakGlassRefused(
            f"Keep the reason under {BREAK_GLASS_REASON_MAX} characters.",
            "reason",
            code="reason_too_long",
        )
    if not is_storable_text(text):
        raise BreakGlassRefused(
            "Please remove the unusual characters from the reason.", "reason", code="unstorable"
        )
    now = timezone.now()
    with transaction.atomic():
        grant = BreakGlassGrant.objects.create(
            user=user,
            client=client,
            reason=text,
            granted_at=now,
            expires_at=end_of_local_day(now),
        )
        record(origin, AuditAction.BREAK_GLASS, grant, client, detail=text)
    return grant


def mark_reviewed(*, grant: BreakGlassGrant, by: object) -> BreakGlassGrant:
    """The clinic admin marks a grant reviewed; audited as `review`. A grant is reviewed once:
    a second mark (two admins at once, say) is refused and changes nothing."""
    origin = Origin.of(by)
    if not can_review_break_glass(origin.user):
        raise BreakGlassRefused(
            "Only the clinic admin reviews these.", code="not_admin", status=403
        )
    now = timezone.now()
    with transaction.atomic():
        marked = BreakGlassGrant.objects.filter(pk=grant.pk, reviewed_at__isnull=True).update(
            reviewed_at=now, reviewed_by=origin.user
        )
        if not marked:
            raise BreakGlassRefused(
                "This access was reviewed already.", code="already_reviewed", status=409
            )
        record(origin, AuditAction.REVIEW, grant, grant.client)
    grant.refresh_from_db()
    return grant


def grants_for_review(day: date | None = None):
    """Every grant, newest first, with who and for whom loaded; only one clinic day's when
    `day` is given."""
    grants = BreakGlassGrant.objects.select_related("user", "client", "reviewed_by")
    if day is not None:
        start, end = day_bounds(day)
        grants = grants.filter(granted_at__gte=start, granted_at__lt=end)
    return grants
