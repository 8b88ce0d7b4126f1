"""Reading untrusted request input: ids, days and text the database can store.

Each check lives here once, so a page, a form and an API refuse the same input the same way
instead of letting Python or PostgreSQL fail on it (a 500): `"²".isdigit()` is True but
`int("²")` is not a number, year 9999 overflows as soon as a day is added, and PostgreSQL
stores neither NUL nor a lone surrogate in text.
"""

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError

# Days the clinic's calendars, filters and bookings accept: far beyond any real visit, and far
# enough inside Python's and PostgreSQL's limits that a day or a time zone added never overflows.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
LARGEST_ID = 2**63 - 1  # PostgreSQL's bigint
ASCII_DIGITS = re.compile(r"[0-9]+")
# NUL, and the UTF-16 halves that are not characters on their own.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# The longest free text anyone may type into one field (notes, reasons, amendments): pages of
# writing, and still far from the megabytes one request could otherwise store.
MAX_TEXT_LENGTH = 20_000
OUT_OF_RANGE = "Choose a date between 1900 and 2999."
UNSTORABLE_TEXT = "Please remove the unusual characters from this text."


def parse_id(value: object) -> int | None:
    """A database id written in ASCII digits, or None for anything else."""
    if not isinstance(value, str) or not ASCII_DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 0 < number <= LARGEST_ID else None


def is_supported_day(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def parse_day(value: object) -> date | None:
    """An ISO day within the supported range, or None."""
    try:
        day = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return day if day is not None and is_supported_day(day) else None


def validate_supported_day(value: date | datetime) -> None:
    """A validator for date and datetime fields (forms and serializers alike)."""
    day = value.date() if isinstance(value, datetime) else value
    if not is_supported_day(day):
        raise ValidationError(OUT_OF_RANGE, code="out_of_range")


def is_storable_text(value: str) -> bool:
    return UNSTORABLE.search(value) is None


def validate_storable_text(value: str) -> None:
    """A validator for text fields: NUL or a lone surrogate never reaches PostgreSQL."""
    if isinstance(value, str) and not is_storable_text(value):
        raise ValidationError(UNSTORABLE_TEXT, code="unstorable")


def unstorable_text_in(data: object) -> bool:
    """Whether any string (key or value) anywhere in parsed JSON cannot be stored."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if not is_storable_text(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False
