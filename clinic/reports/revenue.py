"""Revenue by service and therapist: the one door through which the reports read billing.

Billing does not exist yet, so `revenue_rows` returns nothing and the page leaves the section
out. When the billing app lands (issue 14 item 5; it sits above booking and treatment, below
reminders and these reports), make this function read billing's own selector, e.g.
`billing.selectors.revenue(starts_at=..., ends_at=..., therapist=...)`, and return one row per
service and therapist: {"service", "therapist", "invoices", "net", "tax", "gross"} with Decimal
amounts. The section, its CSV, its API entry and its chart then appear by themselves.
"""

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
    """Revenue per service and therapist in the period: none until billing exists."""
    return []


def section(period: Period, therapist=None) -> Section | None:
    """The revenue section, or None while billing answers nothing."""
    rows = revenue_rows(period, therapist)
    if not rows:
        return None
    table = Table("revenue", "Revenue by service and therapist", COLUMNS, rows)
    return Section("revenue", "Revenue", tables=[table])
