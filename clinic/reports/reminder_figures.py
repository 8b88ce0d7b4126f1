"""Reminders: sent, failed, confirmed and cancelled from their links, and opt-outs, by channel.

A reminder belongs to the period it was due in; an opt-out to the day it was made. A therapist
sees the reminders about their own visits, plans and invoices, and their own clients' opt-outs.
"""

from django.db.models import Count, Q

from clinic.billing.models import Invoice
from clinic.booking.models import Appointment
from clinic.reminders.models import (
    Channel,
    LinkResponse,
    Reminder,
    ReminderKind,
    ReminderOptOut,
    ReminderStatus,
    SkipReason,
)
from sessions.models import TreatmentPlan

from .period import Period
from .tables import Chart, Section, Table, rate

COUNTS = {
    "planned": Count("pk"),
    "sent": Count("pk", filter=Q(status=ReminderStatus.SENT)),
    "failed": Count("pk", filter=Q(status=ReminderStatus.FAILED)),
    "skipped": Count("pk", filter=Q(status=ReminderStatus.SKIPPED)),
    "skipped_opted_out": Count("pk", filter=Q(skip_reason=SkipReason.OPTED_OUT)),
    "confirmed": Count("pk", filter=Q(response=LinkResponse.CONFIRMED)),
    "cancelled": Count("pk", filter=Q(response=LinkResponse.CANCELLED)),
}
COLUMNS = [
    ("planned", "Planned"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("skipped", "Skipped"),
    ("skipped_opted_out", "Skipped: opted out"),
    ("confirmed", "Visit confirmed from the link"),
    ("cancelled", "Visit cancelled from the link"),
    ("opt_outs", "Opt-outs"),
    ("delivery_rate", "Delivered (%)"),
]


def by_kind_and_channel(period: Period, therapist=None) -> list[dict]:
    """Counts per reminder kind and channel (one query)."""
    reminders = Reminder.objects.filter(due_at__gte=period.starts_at, due_at__lt=period.ends_at)
    if therapist is not None:
        # Semi-joins on the therapist's visits and plans (their indexes), not joins of every
        # reminder in the period to its visit and plan.
        reminders = reminders.filter(
            Q(appointment__in=Appointment.objects.filter(therapist=therapist).values("pk"))
            | Q(plan__in=TreatmentPlan.objects.filter(therapist=therapist).values("pk"))
            | Q(invoice__in=Invoice.objects.filter(therapist=therapist).values("pk"))
        )
    return list(reminders.values("kind", "channel").annotate(**COUNTS).order_by("kind", "channel"))


def opt_outs(period: Period, therapist=None) -> dict[str, int]:
    """Opt-outs made in the period, per channel (one query)."""
    rows = ReminderOptOut.objects.filter(
        opted_out_at__gte=period.starts_at, opted_out_at__lt=period.ends_at
    )
    if therapist is not None:
        rows = rows.filter(client__primary_therapist=therapist)
    return dict(rows.values_list("channel").annotate(n=Count("pk")).values_list("channel", "n"))


def _finish(row: dict) -> dict:
    row["delivery_rate"] = rate(row["sent"], row["sent"] + row["failed"])
    return row


def by_channel(rows: list[dict], opted_out: dict[str, int]) -> list[dict]:
    channels = []
    for channel in Channel:
        total = {name: 0 for name in COUNTS}
        for row in rows:
            if row["channel"] == channel.value:
                for name in COUNTS:
                    total[name] += row[name]
        total["opt_outs"] = opted_out.get(channel.value, 0)
        channels.append(_finish({"channel": channel.label, **total}))
    return channels


def section(period: Period, therapist=None) -> Section:
    rows = by_kind_and_channel(period, therapist)
    channels = by_channel(rows, opt_outs(period, therapist))
    kinds = dict(ReminderKind.choices)
    labels = dict(Channel.choices)
    detail = [
        _finish(
            {
                **row,
                "kind": kinds.get(row["kind"], row["kind"]),
                "channel": labels.get(row["channel"], row["channel"]),
                "opt_outs": None,
            }
        )
        for row in rows
    ]
    chart = Chart(
        "bar",
        [row["channel"] for row in channels],
        [
            {"label": heading, "data": [row[name] for row in channels]}
            for name, heading in COLUMNS[1:3] + COLUMNS[5:8]
        ],
        "Reminders",
    )
    tables = [
        Table(
            "reminders",
            "Reminders by channel",
            [("channel", "Channel"), *COLUMNS],
            channels,
        ),
        Table(
            "reminders-by-kind",
            "Reminders by kind and channel",
            [("kind", "Kind"), ("channel", "Channel"), *COLUMNS[:-2], COLUMNS[-1]],
            detail,
        ),
    ]
    return Section("reminders", "Reminders", tables=tables, chart=chart)
