"""Before and after: what a tracked record said, read from django-pghistory's event tables.

PostgreSQL triggers write an event for each insert, update (and delete, where one is allowed)
of clients, appointments, clearances, treatment plans and the clinic settings. The audit log
(log.py) says who saw or did what; the events say what the row held before and after.
SQLite has no triggers: there the history stays empty and nothing here touches it.
"""

import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime

import pghistory
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import formats
from django.utils.text import capfirst
from pghistory.models import Events

from .log import Origin

WHAT_HAPPENED = {"insert": "Created", "update": "Changed", "delete": "Deleted"}
# JSON objects come back with their keys in PostgreSQL's order (shortest first): say what the
# row is before its details.
LEADING_KEYS = ("goal", "technique", "tool", "activity", "muscle", "side")


def tracked():
    """True when the database keeps history (PostgreSQL, whose triggers write it)."""
    return connection.vendor == "postgresql"


def acting(by, **metadata):
    """A context whose changes name `by` (a request, an Origin or a user) in their history.

    For domain functions and tasks that know who acts; inside a request the history
    middleware has already named the user, and this keeps that name when `by` is unknown.
    A no-op on SQLite, which could not run the context's SQL.
    """
    user = Origin.of(by).user if by is not None else None
    if user is not None and user.is_authenticated:
        metadata["user"] = user.pk
    if not tracked() or not metadata:
        return contextlib.nullcontext()
    return pghistory.context(**metadata)


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    """One event in a record's history: when, who, what happened and which fields changed."""

    at: datetime
    by: object
    what: str
    changes: list[Change] = field(default_factory=list)


def _shown(model_field, value):
    """A stored JSON value in words, as a person reads it on a page."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, list):
        return "; ".join(_shown(None, item) for item in value)
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (LEADING_KEYS.index(k) if k in LEADING_KEYS else 99, k))
        return ", ".join(f"{k.replace('_', ' ')} {_shown(None, value[k])}" for k in keys)
    if model_field is not None and isinstance(value, str):
        try:
            value = model_field.to_python(value)
        except ValidationError:
            return value
        if isinstance(value, datetime):
            return formats.date_format(value, "DATETIME_FORMAT")
        if isinstance(value, date):
            return formats.date_format(value, "DATE_FORMAT")
    return str(value).replace("_", " ")


def _changes(model, diff):
    fields = {f.attname: f for f in model._meta.concrete_fields}
    changes = []
    for column, (before, after) in sorted((diff or {}).items()):
        model_field = fields.get(column)
        label = capfirst(model_field.verbose_name) if model_field else column.replace("_", " ")
        changes.append(Change(label, _shown(model_field, before), _shown(model_field, after)))
    return changes


def history(obj, limit=50):
    """`obj`'s history, newest first: when, who and which fields went from what to what.

    Two queries however long the history is (the events with their diffs, then the users).
    """
    if not tracked():
        return []
    events = list(Events.objects.tracks(obj).order_by("-pgh_created_at", "-pgh_id")[:limit])
    user_ids = {(e.pgh_context or {}).get("user") for e in events} - {None}
    users = get_user_model().objects.in_bulk(user_ids) if user_ids else {}
    return [
        Entry(
            at=event.pgh_created_at,
            by=users.get((event.pgh_context or {}).get("user")),
            what=WHAT_HAPPENED.get(event.pgh_label, event.pgh_label),
            changes=_changes(type(obj), event.pgh_diff),
        )
        for event in events
    ]
