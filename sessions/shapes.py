"""The building blocks of an entry shape: typed fields and the shape that checks a list of them.

sessions/entries.py declares the shapes themselves; sessions/rows.py builds form rows and
sessions/serializers.py API serializers from the same declarations.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError

from .vocab import Weekday

TIME_PATTERN = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
Choices = Sequence[tuple[Any, str]]


@dataclass(frozen=True)
class Field:
    """One key of an entry. `check` returns the value normalised or raises ValueError."""

    name: str
    label: str
    _: KW_ONLY
    required: bool = True
    default: Any = None  # what a left-out optional key becomes

    def check(self, value):
        return value


@dataclass(frozen=True)
class Choice(Field):
    choices: Choices

    @property
    def values(self) -> list:
        return [value for value, _ in self.choices]

    def check(self, value):
        if value not in self.values:
            raise ValueError(f"must be one of {', '.join(self.values)}")
        return value


@dataclass(frozen=True)
class Whole(Field):
    """A whole number from `low` to `high`; `names` words the values where a form offers them."""

    low: int
    high: int
    names: Mapping[int, str] | None = None
    # The API reads back a pre-filled PSFS activity with a blank score; taking null lets the
    # domain's own "is required" message answer instead of the serializer's.
    nullable: bool = False

    def check(self, value):
        # bool is an int in Python; true/false is not a number of minutes.
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value)
            else:
                raise ValueError("must be a whole number")
        if not self.low <= value <= self.high:
            raise ValueError(f"must be between {self.low} and {self.high}")
        return value


@dataclass(frozen=True)
class Number(Field):
    def check(self, value):
        if isinstance(value, bool) or not isinstance(value, int | float):
            try:
                value = float(value)
            except (TypeError, ValueError):
                raise ValueError("must be a number") from None
        return int(value) if float(value).is_integer() else float(value)


@dataclass(frozen=True)
class Text(Field):
    max_length: int

    def check(self, value):
        if not isinstance(value, str):
            raise ValueError("must be text")
        value = value.strip()
        if not value:
            raise ValueError("is required")
        if len(value) > self.max_length:
            raise ValueError(f"must be at most {self.max_length} characters")
        return value


@dataclass(frozen=True)
class Days(Field):
    """Days of the week, at least one, returned once each in week order."""

    choices: Choices = tuple(Weekday.choices)

    def check(self, value):
        order = [day.value for day in Weekday]
        if not isinstance(value, list | tuple) or not value:
            raise ValueError("must list at least one day (mon, tue, ...)")
        for day in value:
            if day not in order:
                raise ValueError(f"must hold days from {', '.join(order)}")
        return sorted(set(value), key=order.index)


@dataclass(frozen=True)
class Time(Field):
    """A local (clinic zone) time of day as HH:MM."""

    def check(self, value):
        if not isinstance(value, str) or not TIME_PATTERN.match(value):
            raise ValueError("must be a local time like 19:30")
        return value


@dataclass(frozen=True)
class Shape:
    """An entry's fields, the noun its messages use, and how many entries a list may hold."""

    noun: str
    fields: tuple[Field, ...]
    max_rows: int = 50

    def __getitem__(self, name) -> Field:
        return next(field for field in self.fields if field.name == name)

    def but(self, *changed: Field) -> "Shape":
        """This shape with fields replaced (by name) or added."""
        names = {field.name: field for field in changed}
        kept = tuple(names.pop(field.name, field) for field in self.fields)
        return replace(self, fields=kept + tuple(names.values()))

    def clean(self, rows) -> list[dict]:
        """The rows checked against the fields; ValidationError lists every fault."""
        noun = self.noun.capitalize()
        if rows is None:
            return []
        if not isinstance(rows, list | tuple):
            raise ValidationError(f"{noun}s must be a list.")
        if len(rows) > self.max_rows:
            raise ValidationError(f"At most {self.max_rows} {self.noun}s.")
        cleaned, errors = [], []
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, Mapping):
                errors.append(f"{noun} {number} must be an object.")
                continue
            unknown = sorted(set(row) - {field.name for field in self.fields})
            if unknown:
                errors.append(f"{noun} {number}: unknown key {', '.join(unknown)}.")
            out = {}
            for field in self.fields:
                value = row.get(field.name)
                if value is None or value == "":
                    if field.required:
                        errors.append(f"{noun} {number}: {field.name} is required.")
                    else:
                        out[field.name] = field.default
                    continue
                try:
                    out[field.name] = field.check(value)
                except ValueError as exc:
                    errors.append(f"{noun} {number}: {field.name} {exc}.")
            cleaned.append(out)
        if errors:
            raise ValidationError(errors)
        return cleaned
