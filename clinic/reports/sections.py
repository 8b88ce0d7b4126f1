"""Every report, in page order, and which report holds each table (for its CSV and API)."""

from django.db import connection

from . import (
    homecare,
    outcomes,
    reminder_figures,
    retention,
    revenue,
    utilisation,
    visits,
    waitlist_figures,
)
from .period import Period
from .tables import Section, Table

REPORTS = {
    "utilisation": (utilisation, ("utilisation-therapists", "utilisation-rooms")),
    "visits": (visits, ("visits", "visits-weekly")),
    "retention": (retention, ("retention", "lapsed")),
    "reminders": (reminder_figures, ("reminders", "reminders-by-kind")),
    "homecare": (homecare, ("homecare", "homecare-bands")),
    "outcomes": (outcomes, ("outcomes",)),
    "waitlist": (waitlist_figures, ("waitlist",)),
    "revenue": (revenue, ("revenue",)),
}
TABLES = {table: report for report, (_, tables) in REPORTS.items() for table in tables}
# Tables whose CSV needs nothing else of their report: the lapsed clients (the list of a chain's
# thousands is read as it is written, without the retention figures first).
ON_THEIR_OWN = {"lapsed": lambda period, therapist: retention.lapsed_table(therapist, shown=0)}


# Written in PostgreSQL's SQL (window passes, FILTER, LATERAL) to stay under a second on a
# chain's data; the SQLite demo (bin/run) shows the others and says these need PostgreSQL.
NEEDS_POSTGRESQL = ("retention", "homecare", "outcomes")


def missing_here() -> list[str]:
    """The reports this database cannot run (none on PostgreSQL)."""
    return [] if connection.vendor == "postgresql" else list(NEEDS_POSTGRESQL)


def report(key: str, period: Period, therapist=None) -> Section | None:
    """One report's section; None for a report with nothing to show (revenue before billing, or
    a PostgreSQL-only report on SQLite)."""
    if key in missing_here():
        return None
    module, _ = REPORTS[key]
    return module.section(period, therapist)


def all_reports(period: Period, therapist=None) -> list[Section]:
    """Every report with something to show, in page order."""
    sections = (report(key, period, therapist) for key in REPORTS)
    return [section for section in sections if section is not None]


def table(key: str, period: Period, therapist=None) -> Table | None:
    """One table by its key (computing only its report); None when it is not there (the rooms
    table for a therapist, revenue before billing)."""
    if key in ON_THEIR_OWN:
        return ON_THEIR_OWN[key](period, therapist)
    section = report(TABLES[key], period, therapist)
    if section is None:
        return None
    return next((t for t in section.tables if t.key == key), None)
