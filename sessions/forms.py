"""Plan and note forms for the tablet: fixed rows, plain HTML, no JavaScript needed.

Repeating entries (techniques, trigger points, PSFS activities) are numbered rows of fields
(`tech_0_muscle`, ...), with two blank rows more than there are entries; goals and home care
have one row per benefit and per tool. `clean()` turns the rows into the lists of dicts the
services take, through the same sessions/entries.py cleaners the API uses.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

from intake.screening import BONY_AREAS

from . import entries
from .models import Frequency, PlanStatus
from .vocab import (
    BODY_REGIONS,
    GOAL_MEASURES,
    PAIN_MAX,
    PAIN_MIN,
    PRESSURE_CHOICES,
    PSFS_ACTIVITIES_MAX,
    TECHNIQUE_CHOICES,
    Goal,
    HomeCareTool,
    Muscle,
    Progression,
    RegionMark,
    Side,
    Weekday,
    region_label,
)

BLANK = [("", "—")]
EXTRA_ROWS = 2


def _select(choices, label):
    return forms.ChoiceField(choices=BLANK + list(choices), required=False, label=label)


TECHNIQUE_ROW = {
    "technique": lambda: _select(TECHNIQUE_CHOICES, "Technique"),
    "muscle": lambda: _select(Muscle.choices, "Muscle"),
    "side": lambda: _select(Side.choices, "Side"),
    "pressure": lambda: _select(PRESSURE_CHOICES, "Pressure"),
    "minutes": lambda: forms.IntegerField(
        required=False, label="Minutes", min_value=1, max_value=120
    ),
}
PLAN_TECHNIQUE_ROW = {
    **TECHNIQUE_ROW,
    "pressure": lambda: _select(PRESSURE_CHOICES, "Starting pressure"),
    "progression": lambda: _select(Progression.choices, "Progression"),
}
TRIGGER_POINT_ROW = {
    "muscle": lambda: _select(Muscle.choices, "Muscle"),
    "side": lambda: _select(Side.choices, "Side"),
    "tenderness": lambda: _select([(1, "1 mild"), (2, "2 moderate"), (3, "3 severe")], "Tender"),
}
PSFS_ROW = {
    "activity": lambda: forms.CharField(required=False, label="Activity", max_length=100),
    "score": lambda: forms.IntegerField(
        required=False, label="Score (0 unable – 10 as before)", min_value=0, max_value=10
    ),
}


class RowsMixin:
    """Numbered rows of fields; a row left blank is no entry."""

    def add_rows(self, prefix, spec, initial_rows, minimum=0, maximum=None):
        data_rows = 0
        if self.is_bound:
            pattern = re.compile(rf"^{prefix}_(\d+)_")
            found = [int(m.group(1)) for key in self.data if (m := pattern.match(key))]
            data_rows = max(found, default=-1) + 1
        count = max(len(initial_rows) + EXTRA_ROWS, data_rows, minimum)
        if maximum is not None:
            count = min(count, maximum)
        for index in range(count):
            row = initial_rows[index] if index < len(initial_rows) else {}
            for key, make in spec.items():
                field = make()
                field.initial = row.get(key)
                self.fields[f"{prefix}_{index}_{key}"] = field
        self._rows = getattr(self, "_rows", {})
        self._rows[prefix] = (spec, count)

    def rows(self, prefix):
        """Bound fields row by row, for the template."""
        spec, count = self._rows[prefix]
        return [[self[f"{prefix}_{i}_{key}"] for key in spec] for i in range(count)]

    def collect(self, prefix):
        """The filled rows as dicts (blank rows dropped); values as the cleaner expects."""
        spec, count = self._rows[prefix]
        collected = []
        for index in range(count):
            row = {key: self.cleaned_data.get(f"{prefix}_{index}_{key}") for key in spec}
            if all(value in (None, "") for value in row.values()):
                continue
            collected.append({k: v for k, v in row.items() if v not in (None, "")})
        return collected


class PlanForm(RowsMixin, forms.Form):
    status = forms.ChoiceField(choices=PlanStatus.choices, initial=PlanStatus.ACTIVE)
    frequency_weeks = forms.TypedChoiceField(
        choices=Frequency.choices, coerce=int, initial=Frequency.WEEKLY, label="Visits"
    )
    visits_planned = forms.IntegerField(
        min_value=1, max_value=52, initial=6, label="Number of visits"
    )
    starts_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Starts on")
    review_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Review on")
    avoid_regions = forms.MultipleChoiceField(
        choices=[(r, region_label(r)) for r in BODY_REGIONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Affected skin to avoid",
        help_text="Where the rash, wound or bruise is (for a client with PR_SKIN).",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        plan_goals = {g["goal"]: g for g in (plan.goals if plan else [])}
        for goal in Goal:
            current = plan_goals.get(goal.value, {})
            self.fields[f"goal_{goal.value}"] = forms.BooleanField(
                required=False, label=goal.label, initial=bool(current)
            )
            self.fields[f"goal_{goal.value}_measure"] = forms.CharField(
                required=False,
                max_length=100,
                label="Measure",
                initial=current.get("measure", GOAL_MEASURES[goal]),
            )
            for key, label in (("baseline", "Now"), ("target", "Target")):
                self.fields[f"goal_{goal.value}_{key}"] = forms.FloatField(
                    required=False, label=label, initial=current.get(key)
                )
        targets = {m["muscle"]: m["side"] for m in (plan.target_muscles if plan else [])}
        for muscle in Muscle:
            self.fields[f"muscle_{muscle.value}"] = _select(Side.choices, muscle.label)
            self.fields[f"muscle_{muscle.value}"].initial = targets.get(muscle.value)
        self.add_rows("tech", PLAN_TECHNIQUE_ROW, plan.techniques if plan else [])
        home = {h["tool"]: h for h in (plan.home_care if plan else [])}
        for tool in HomeCareTool:
            current = home.get(tool.value, {})
            prefix = f"home_{tool.value}"
            self.fields[prefix] = forms.BooleanField(
                required=False, label=tool.label, initial=bool(current)
            )
            self.fields[f"{prefix}_technique"] = _select(TECHNIQUE_CHOICES, "Technique")
            self.fields[f"{prefix}_technique"].initial = current.get("technique")
            self.fields[f"{prefix}_minutes"] = forms.IntegerField(
                required=False,
                min_value=1,
                max_value=60,
                label="Minutes",
                initial=current.get("minutes"),
            )
            self.fields[f"{prefix}_days"] = forms.MultipleChoiceField(
                choices=[(d.value, d.label[:3]) for d in Weekday],
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label="Days",
                initial=current.get("days", []),
            )
            self.fields[f"{prefix}_time"] = forms.TimeField(
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                label="Preferred time",
                initial=current.get("time"),
            )

    def visit_fields(self):
        return [
            self[name]
            for name in ("status", "frequency_weeks", "visits_planned", "starts_on", "review_on")
        ]

    def technique_rows(self):
        return self.rows("tech")

    def goal_rows(self):
        return [
            [self[f"goal_{g.value}{suffix}"] for suffix in ("", "_measure", "_baseline", "_target")]
            for g in Goal
        ]

    def muscle_fields(self):
        return [self[f"muscle_{m.value}"] for m in Muscle]

    def home_rows(self):
        return [
            [self[f"home_{t.value}{s}"] for s in ("", "_technique", "_minutes", "_days", "_time")]
            for t in HomeCareTool
        ]

    def clean(self):
        cleaned = super().clean()
        d = cleaned
        goals = [
            {
                "goal": g.value,
                "measure": d.get(f"goal_{g.value}_measure"),
                "baseline": d.get(f"goal_{g.value}_baseline"),
                "target": d.get(f"goal_{g.value}_target"),
            }
            for g in Goal
            if d.get(f"goal_{g.value}")
        ]
        muscles = [
            {"muscle": m.value, "side": d[f"muscle_{m.value}"]}
            for m in Muscle
            if d.get(f"muscle_{m.value}")
        ]
        home = []
        for tool in HomeCareTool:
            prefix = f"home_{tool.value}"
            if d.get(prefix):
                time = d.get(f"{prefix}_time")
                home.append(
                    {
                        "tool": tool.value,
                        "technique": d.get(f"{prefix}_technique"),
                        "minutes": d.get(f"{prefix}_minutes"),
                        "days": d.get(f"{prefix}_days"),
                        "time": time.strftime("%H:%M") if time else None,
                    }
                )
        structured = {
            "goals": (goals, entries.clean_goals),
            "target_muscles": (muscles, entries.clean_target_muscles),
            "techniques": (self.collect("tech"), entries.clean_plan_techniques),
            "home_care": (home, entries.clean_home_care),
        }
        for name, (value, cleaner) in structured.items():
            try:
                cleaned[name] = cleaner(value)
            except ValidationError as exc:
                for message in exc.messages:
                    self.add_error(None, message)
        start, review = d.get("starts_on"), d.get("review_on")
        if start and review and review <= start:
            self.add_error("review_on", "The review date must come after the start.")
        return cleaned

    def plan_data(self):
        """What sessions.plans.save_plan() takes."""
        names = (
            "status",
            "frequency_weeks",
            "visits_planned",
            "starts_on",
            "review_on",
            "avoid_regions",
            "notes",
            "goals",
            "target_muscles",
            "techniques",
            "home_care",
        )
        return {name: self.cleaned_data[name] for name in names}


REGION_CHOICES = [("", "None"), *RegionMark.choices]


class NoteForm(RowsMixin, forms.Form):
    subjective = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the client reports today.",
    )
    objective = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you observed and found.",
    )
    assessment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    plan = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Plan",
        help_text="Next steps for this client.",
    )
    pain_before = forms.IntegerField(
        required=False, min_value=PAIN_MIN, max_value=PAIN_MAX, label="Pain before (0–10)"
    )
    pain_after = forms.IntegerField(
        required=False, min_value=PAIN_MIN, max_value=PAIN_MAX, label="Pain after (0–10)"
    )
    client_response = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Client response"
    )
    home_care = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Home care given"
    )

    # Form part -> the note fields it fills, so an autosave can skip a refused part.
    PARTS = {
        "techniques": ("techniques",),
        "trigger_points": ("trigger_points",),
        "body_map": ("body_map",),
        "psfs": ("psfs",),
    }

    def __init__(self, *args, note, **kwargs):
        super().__init__(*args, initial={f: getattr(note, f) for f in self.base_fields}, **kwargs)
        self.note = note
        self.add_rows("tech", TECHNIQUE_ROW, note.techniques)
        self.add_rows("tp", TRIGGER_POINT_ROW, note.trigger_points)
        self.add_rows("psfs", PSFS_ROW, note.psfs, PSFS_ACTIVITIES_MAX, PSFS_ACTIVITIES_MAX)
        for region in BODY_REGIONS:
            self.fields[f"region_{region}"] = forms.ChoiceField(
                choices=REGION_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                label=region_label(region),
                initial=note.body_map.get(region, ""),
            )
        self.part_errors = {}

    def pain_fields(self):
        return [self["pain_before"], self["pain_after"]]

    def soap_fields(self):
        return [self[name] for name in ("subjective", "objective", "assessment", "plan")]

    def response_fields(self):
        return [self["client_response"], self["home_care"]]

    def technique_rows(self):
        return self.rows("tech")

    def trigger_point_rows(self):
        return self.rows("tp")

    def psfs_rows(self):
        return self.rows("psfs")

    def region_fields(self):
        """(bound field, is bony) for the body map's fallback list."""
        return [(self[f"region_{r}"], r in BONY_AREAS) for r in BODY_REGIONS]

    def clean(self):
        cleaned = super().clean()
        structured = {
            "techniques": (self.collect("tech"), entries.clean_techniques),
            "trigger_points": (self.collect("tp"), entries.clean_trigger_points),
            "psfs": (self.collect("psfs"), entries.clean_psfs),
            "body_map": (
                {r: cleaned.get(f"region_{r}") for r in BODY_REGIONS},
                entries.clean_body_map,
            ),
        }
        for name, (value, cleaner) in structured.items():
            try:
                cleaned[name] = cleaner(value)
            except ValidationError as exc:
                self.part_errors[name] = exc.messages
                for message in exc.messages:
                    self.add_error(None, message)
        return cleaned

    def note_data(self, skip=()):
        """The note fields that validated (a part with errors is left out), minus `skip`."""
        names = [*self.base_fields, *self.PARTS]
        return {
            name: self.cleaned_data[name]
            for name in names
            if name in self.cleaned_data and name not in skip and name not in self.part_errors
        }


class AmendmentForm(forms.Form):
    reason = forms.CharField(max_length=300, label="Why")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Amendment")


class PracticeForm(forms.Form):
    pain_now = forms.IntegerField(
        required=False, min_value=PAIN_MIN, max_value=PAIN_MAX, label="Pain now (0–10, optional)"
    )
