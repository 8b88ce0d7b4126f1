"""Revenue by service and therapist: the one door through which the reports read billing.

It reads billing's own selector (issued invoices less credit notes, by the day they were
issued); a period with nothing invoiced leaves the section out.
"""

from clinic.billing.selectors import billed_by_therapist, revenue

from .period import Period
from .tables import Section, Table

COLUMNS = [
    ("service", "Service"),
    ("therapist", "Therapist"),
    ("invoices", "Invoices"),
    ("net", "Net"),
    ("tax", "Tax"),
    ("gross", "Gross"),
]


def revenue_rows(period: Period, therapist=None) -> list[dict]:
    """Revenue per service and therapist in the period, Decimal amounts."""
    return revenue(starts_at=period.starts_at, ends_at=period.ends_at, therapist=therapist)


def section(period: Period, therapist=None) -> Section | None:
    """The revenue section, or None when nothing was invoiced in the period."""
    rows = revenue_rows(period, therapist)
    if not rows:
        return None
    table = Table("revenue", "Revenue by service and therapist", COLUMNS, rows)
    return Section("revenue", "Revenue", tables=[table])


def kept_by_therapist(visits) -> dict:
    """Revenue the waitlist kept: what was invoiced for the visits that filled freed slots, per
    therapist id (billing's selector, one query)."""
    return billed_by_therapist(visits)
