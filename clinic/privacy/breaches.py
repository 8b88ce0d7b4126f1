"""The breach register: incidents, and the clients each one affected, found from the audit log.

Entries are kept at least 24 months after discovery (PIPEDA, Breach of Security Safeguards
Regulations s. 6); `remove_breach` refuses a younger one.
"""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from clinic.accounts.models import Client
from clinic.audit.log import Origin, record
from clinic.audit.models import AuditEvent
from clinic.core.errors import DomainError

from .models import Breach, BreachKind
from .retention import breach_keep_until


class BreachError(DomainError):
    code = "BREACH"


def clients_read_by(*, user, start: datetime, end: datetime):
    """Clients whose records `user` read or changed in [start, end), from the audit log."""
    if end <= start:
        raise BreachError("The end must be after the start.", "end", code="WINDOW_BACKWARDS")
    seen = AuditEvent.objects.filter(actor=user, at__gte=start, at__lt=end, client__isnull=False)
    return Client.objects.filter(pk__in=seen.values("client_id")).order_by("pk")


def _check(discovered_at: datetime, reported_to_regulator: bool, reported_on: date | None):
    if discovered_at > timezone.now():
        raise BreachError(
            "The discovery time cannot be in the future.", "discovered_at", code="FUTURE"
        )
    if reported_to_regulator and reported_on is None:
        raise BreachError(
            "Give the date it was reported to the regulator.", "reported_on", code="REPORT_DATE"
        )
    if reported_on is not None and reported_on > timezone.localdate():
        raise BreachError("The report date cannot be in the future.", "reported_on", code="FUTURE")


def record_breach(
    *,
    discovered_at: datetime,
    kind: BreachKind,
    description: str,
    reported_to_regulator: bool = False,
    reported_on: date | None = None,
    affected=(),
    by,
) -> Breach:
    """Enter an incident in the register with the clients it affected (one audit row)."""
    _check(discovered_at, reported_to_regulator, reported_on)
    origin = Origin.of(by)
    with transaction.atomic():
        breach = Breach.objects.create(
            discovered_at=discovered_at,
            kind=kind,
            description=description,
            reported_to_regulator=reported_to_regulator,
            reported_on=reported_on if reported_to_regulator else None,
            recorded_by=origin.user,
        )
        breach.affected_clients.set(affected)
        record(origin, "create", ("breach", breach.pk), detail=f"{len(affected)} clients affected")
    return breach


def add_affected(*, breach: Breach, clients, by) -> int:
    """Add clients to a breach's affected list; returns how many were new (one audit row)."""
    origin = Origin.of(by)
    with transaction.atomic():
        known = set(breach.affected_clients.values_list("pk", flat=True))
        new = [c for c in clients if c.pk not in known]
        breach.affected_clients.add(*new)
        record(origin, "update", ("breach", breach.pk), detail=f"{len(new)} affected clients added")
    return len(new)


def report_breach(*, breach: Breach, reported_on: date, by) -> Breach:
    """Note the day the breach was reported to the regulator (one audit row)."""
    _check(breach.discovered_at, True, reported_on)
    with transaction.atomic():
        breach.reported_to_regulator = True
        breach.reported_on = reported_on
        breach.save(update_fields=["reported_to_regulator", "reported_on"])
        record(by, "update", ("breach", breach.pk), detail="reported to the regulator")
    return breach


def remove_breach(*, breach: Breach, by, today: date | None = None) -> None:
    """Remove an entry from the register once its 24 months are over; refuse it before."""
    today = today or timezone.localdate()
    keep_until = breach_keep_until(breach)
    if today < keep_until:
        raise BreachError(
            f"Breach entries are kept 24 months: this one until {keep_until:%Y-%m-%d}.",
            code="BREACH_KEPT_24_MONTHS",
        )
    with transaction.atomic():
        record(by, "update", ("breach", breach.pk), detail="removed after 24 months")
        breach.delete()
