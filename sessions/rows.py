"""Form rows built from the entry shapes (sessions/entries.py), for the plan and note forms.

A list of entries the therapist adds to (techniques, trigger points, PSFS activities) is a
Django formset: blank rows are offered below the filled ones, a blank row is no entry, and
saving brings new blank rows, so no JavaScript is needed. A list with one row per choice
(a goal per benefit, a side per muscle, an item per home-care tool) is a fixed set of fields
named `{prefix}_{choice}_{key}`. Either way every field is optional here: the shape's cleaner
says what an entry needs, with the entry's number in the message.
"""

from datetime import time

from django import forms

from .shapes import Choice, Days, Field, Number, Shape, Text, Time, Whole

EXTRA_ROWS = 2


def form_field(field: Field, blank="—", **kwargs) -> forms.Field:
    """The form field for one key of an entry shape; `blank` words a choice left empty."""
    kwargs = {"required": False, "label": field.label, **kwargs}
    unchosen = [("", blank)]
    match field:
        case Days():
            return forms.MultipleChoiceField(
                choices=[(value, label[:3]) for value, label in field.choices],
                widget=forms.CheckboxSelectMultiple,
                **kwargs,
            )
        case Choice():
            return forms.ChoiceField(choices=unchosen + list(field.choices), **kwargs)
        case Whole(names=None):
            return forms.IntegerField(min_value=field.low, max_value=field.high, **kwargs)
        case Whole():
            choices = [(value, f"{value} {name}") for value, name in field.names.items()]
            return forms.TypedChoiceField(
                choices=unchosen + choices, coerce=int, empty_value=None, **kwargs
            )
        case Number():
            return forms.FloatField(**kwargs)
        case Text():
            return forms.CharField(max_length=field.max_length, **kwargs)
        case Time():
            widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
            return forms.TimeField(widget=widget, **kwargs)
    raise TypeError(f"No form field for {field!r}")


def entry_value(value):
    """A cleaned form value as the shape's cleaner takes it (times as HH:MM)."""
    return value.strftime("%H:%M") if isinstance(value, time) else value


def _blank(value) -> bool:
    return value is None or value == "" or value == []


class EntryRow(forms.Form):
    """One entry's fields; `entry()` is what was filled in, or None for a blank row."""

    def entry(self) -> dict | None:
        data = getattr(self, "cleaned_data", {})
        filled = {name: entry_value(value) for name, value in data.items() if not _blank(value)}
        return filled or None


class EntryRows(forms.BaseFormSet):
    """The rows of one list of entries; too many rows are refused before any is built."""

    shape: Shape

    def entries(self) -> list[dict]:
        """The filled rows, in order (call after is_valid())."""
        return [entry for form in self.forms if (entry := form.entry())]

    def messages(self) -> list[str]:
        """Every error of these rows as a sentence naming the row."""
        messages = [str(error) for error in self.non_form_errors()]
        noun = self.shape.noun.capitalize()
        for number, form in enumerate(self.forms, start=1):
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else name
                messages += [f"{noun} row {number}: {label}: {error}" for error in errors]
        return messages


def entry_rows(shape: Shape, extra=EXTRA_ROWS) -> type[EntryRows]:
    """A formset class for a list of `shape` entries: `extra` blank rows, at most max_rows.

    absolute_max caps the forms built at max_rows, so a posted TOTAL_FORMS of 100000 costs no
    more than a full list, and validate_max refuses it.
    """
    row = type(
        f"{shape.noun.title().replace(' ', '')}Row",
        (EntryRow,),
        {field.name: form_field(field) for field in shape.fields},
    )
    rows = forms.formset_factory(
        row,
        formset=EntryRows,
        extra=extra,
        max_num=shape.max_rows,
        absolute_max=shape.max_rows,
        validate_max=True,
    )
    rows.shape = shape
    rows.default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": f"At most %(num)d {shape.noun}s.",
    }
    return rows


class FixedRows:
    """One row per choice of the shape's first key (a goal, a muscle, a tool), added to `form`.

    With `toggle`, a checkbox named `{prefix}_{choice}` and labelled with the choice says
    whether the row counts. Without it, the choice labels the row's fields (a muscle's side)
    and a row counts when any of them is filled. `current` holds the stored entries; `initial`
    maps (choice, key) to a value to offer when there is none.
    """

    def __init__(
        self,
        form: forms.Form,
        prefix: str,
        shape: Shape,
        current: list[dict],
        toggle=True,
        initial: dict | None = None,
    ):
        self.form, self.prefix, self.toggle = form, prefix, toggle
        self.key, *self.keys = shape.fields
        stored = {row[self.key.name]: row for row in current}
        initial = initial or {}
        for value, label in self.key.choices:
            row = stored.get(value, {})
            if toggle:
                form.fields[self.name(value)] = forms.BooleanField(
                    required=False, label=label, initial=bool(row)
                )
            for field in self.keys:
                form.fields[self.name(value, field.name)] = form_field(
                    field,
                    initial=row.get(field.name, initial.get((value, field.name))),
                    **({} if toggle else {"label": label}),
                )

    def name(self, value, key=None) -> str:
        return f"{self.prefix}_{value}" + (f"_{key}" if key else "")

    def bound_rows(self) -> list[list]:
        """Bound fields row by row (the toggle first), for the template."""
        names = ([None] if self.toggle else []) + [field.name for field in self.keys]
        return [
            [self.form[self.name(value, key)] for key in names] for value, _ in self.key.choices
        ]

    def entries(self) -> list[dict]:
        """The rows that count, as the shape's cleaner takes them (missing keys as None)."""
        data, rows = self.form.cleaned_data, []
        for value, _ in self.key.choices:
            row = {f.name: entry_value(data.get(self.name(value, f.name))) for f in self.keys}
            counts = (
                data.get(self.name(value))
                if self.toggle
                else not all(_blank(v) for v in row.values())
            )
            if counts:
                rows.append({self.key.name: value, **row})
        return rows
