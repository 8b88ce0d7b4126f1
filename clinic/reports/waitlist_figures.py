"""The waitlist's fill rate: of the slots cancellations and moves freed, the share rebooked
before they started, per therapist, and the revenue kept: what was invoiced for the visits that
filled them (billing read through clinic/reports/revenue.py). A slot belongs to the period its
time falls in."""

from decimal import Decimal

from clinic.accounts.models import Therapist
from clinic.waitlist.selectors import fill_by_therapist, filled_visits

from .period import Period
from .revenue import kept_by_therapist
from .tables import Figure, Section, Table, rate

COLUMNS = [
    ("therapist", "Therapist"),
    ("freed", "Slots freed"),
    ("filled", "Rebooked before they started"),
    ("fill_rate", "Fill rate (%)"),
    ("kept", "Revenue kept"),
]


def section(period: Period, therapist=None) -> Section:
    counts = fill_by_therapist(period.starts_at, period.ends_at, therapist)
    kept = kept_by_therapist(filled_visits(period.starts_at, period.ends_at, therapist))
    names = {
        t.pk: t.name
        for t in Therapist.objects.filter(
            pk__in=[row["therapist_id"] for row in counts]
        ).select_related("user")
    }
    rows = [
        {
            "therapist": names.get(row["therapist_id"], ""),
            "freed": row["freed"],
            "filled": row["filled"],
            "fill_rate": rate(row["filled"], row["freed"]),
            "kept": kept.get(row["therapist_id"], Decimal("0.00")),
        }
        for row in counts
    ]
    freed = sum(row["freed"] for row in rows)
    filled = sum(row["filled"] for row in rows)
    figures = [
        Figure("slots_freed", "Slots freed", freed),
        Figure("fill_rate", "Fill rate (%)", rate(filled, freed)),
        Figure("revenue_kept", "Revenue kept", sum(kept.values(), Decimal("0.00"))),
    ]
    table = Table("waitlist", "Freed slots rebooked from the waitlist", COLUMNS, rows)
    return Section("waitlist", "Waitlist fill rate", figures=figures, tables=[table])
