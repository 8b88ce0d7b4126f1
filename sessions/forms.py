"""Plan and note forms for the tablet: plain HTML rows, no JavaScript needed.

Lists of entries are built from their declarations in sessions/entries.py (sessions/rows.py):
formsets for the lists a therapist adds to, fixed rows for one-per-choice lists. `clean()`
turns them into the lists of dicts the services take, through the same sessions/entries.py
cleaners the API uses.
"""

from django import forms
from django.core.exceptions import ValidationError

from clinic.core.inputs import MAX_TEXT_LENGTH
from intake.screening import BONY_AREAS

from . import entries
from .models import Frequency, PlanStatus
from .rows import EntryRows, FixedRows, entry_rows, form_field
from .vocab import (
    BODY_REGIONS,
    GOAL_MEASURES,
    PAIN_MAX,
    PAIN_MIN,
    PSFS_ACTIVITIES_MAX,
    Goal,
    region_label,
)

PlanTechniqueRows = entry_rows(entries.PLAN_TECHNIQUE)
TechniqueRows = entry_rows(entries.TECHNIQUE)
TriggerPointRows = entry_rows(entries.TRIGGER_POINT)
PsfsRows = entry_rows(entries.PSFS, extra=PSFS_ACTIVITIES_MAX)


class EntriesMixin:
    """Formsets bound with the form; their errors become the form's, their rows cleaned data."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # List name -> its formset, and -> the messages that kept it out of cleaned data.
        self.formsets, self.part_errors = {}, {}

    def add_formset(self, name, rows_class, current):
        # Bound, the rows are what was posted: initial would make a posted row that equals a
        # stored one look unchanged, and an unchanged extra row is skipped as blank.
        self.formsets[name] = rows_class(
            self.data if self.is_bound else None,
            prefix=name,
            initial=None if self.is_bound else current,
        )

    def clean_entries(self, cleaned, lists) -> None:
        """Run each list (a formset, or entries collected from fixed fields) through its
        entries cleaner into cleaned data; faults become non-field errors."""
        for name, (value, cleaner) in lists.items():
            if isinstance(value, EntryRows):
                if not value.is_valid():
                    self.entry_errors(name, value.messages())
                    continue
                value = value.entries()
            try:
                cleaned[name] = cleaner(value)
            except ValidationError as exc:
                self.entry_errors(name, exc.messages)

    def entry_errors(self, name, messages) -> None:
        self.part_errors[name] = messages
        for message in messages:
            self.add_error(None, message)


class PlanForm(EntriesMixin, forms.Form):
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
        help_text="Where the rash, wound or bruise is (for a client with affected skin).",
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=MAX_TEXT_LENGTH
    )

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = FixedRows(
            self,
            "goal",
            entries.GOAL,
            plan.goals if plan else [],
            initial={(goal.value, "measure"): GOAL_MEASURES[goal] for goal in Goal},
        )
        self.muscles = FixedRows(
            self, "muscle", entries.TARGET_MUSCLE, plan.target_muscles if plan else [], toggle=False
        )
        self.add_formset("techniques", PlanTechniqueRows, plan.techniques if plan else [])
        self.home_care = FixedRows(self, "home", entries.HOME_CARE, plan.home_care if plan else [])

    def visit_fields(self):
        return [
            self[name]
            for name in ("status", "frequency_weeks", "visits_planned", "starts_on", "review_on")
        ]

    def technique_rows(self):
        return self.formsets["techniques"]

    def goal_rows(self):
        return self.goals.bound_rows()

    def muscle_fields(self):
        return [field for (field,) in self.muscles.bound_rows()]

    def home_rows(self):
        return self.home_care.bound_rows()

    def clean(self):
        cleaned = super().clean()
        self.clean_entries(
            cleaned,
            {
                "goals": (self.goals.entries(), entries.clean_goals),
                "target_muscles": (self.muscles.entries(), entries.clean_target_muscles),
                "techniques": (self.formsets["techniques"], entries.clean_plan_techniques),
                "home_care": (self.home_care.entries(), entries.clean_home_care),
            },
        )
        start, review = cleaned.get("starts_on"), cleaned.get("review_on")
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


def _note_field(field: entries.NoteField) -> forms.Field:
    if field.part == "pain":
        return forms.IntegerField(
            required=False, min_value=PAIN_MIN, max_value=PAIN_MAX, label=field.label
        )
    return forms.CharField(
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3 if field.part == "soap" else 2}),
        label=field.label,
        help_text=field.help_text,
    )


class NoteForm(EntriesMixin, forms.Form):
    """The note's fields (entries.NOTE_FIELDS): text and pain as fields, entries as rows."""

    def __init__(self, *args, note, **kwargs):
        super().__init__(*args, **kwargs)
        self.note = note
        for field in entries.NOTE_FIELDS:
            if field.part in ("soap", "pain", "response"):
                self.fields[field.name] = _note_field(field)
                self.fields[field.name].initial = getattr(note, field.name)
        self.add_formset("techniques", TechniqueRows, note.techniques)
        self.add_formset("trigger_points", TriggerPointRows, note.trigger_points)
        self.add_formset("psfs", PsfsRows, note.psfs)
        for region in BODY_REGIONS:
            self.fields[f"region_{region}"] = form_field(
                entries.REGION_MARK,
                blank="None",
                widget=forms.RadioSelect,
                label=region_label(region),
                initial=note.body_map.get(region, ""),
            )

    def _part(self, part):
        return [self[f.name] for f in entries.NOTE_FIELDS if f.part == part]

    def pain_fields(self):
        return self._part("pain")

    def soap_fields(self):
        return self._part("soap")

    def response_fields(self):
        return self._part("response")

    def technique_rows(self):
        return self.formsets["techniques"]

    def trigger_point_rows(self):
        return self.formsets["trigger_points"]

    def psfs_rows(self):
        return self.formsets["psfs"]

    def region_fields(self):
        """(bound field, is bony) for the body map's fallback list."""
        return [(self[f"region_{r}"], r in BONY_AREAS) for r in BODY_REGIONS]

    def clean(self):
        cleaned = super().clean()
        body_map = {r: cleaned.get(f"region_{r}") for r in BODY_REGIONS}
        self.clean_entries(
            cleaned,
            {
                "techniques": (self.formsets["techniques"], entries.clean_techniques),
                "trigger_points": (self.formsets["trigger_points"], entries.clean_trigger_points),
                "psfs": (self.formsets["psfs"], entries.clean_psfs),
                "body_map": (body_map, entries.clean_body_map),
            },
        )
        return cleaned

    def note_data(self, skip=()):
        """The note fields that validated (a part with errors is left out), minus `skip`."""
        return {
            name: self.cleaned_data[name]
            for name in entries.NOTE_FIELD_NAMES
            if name in self.cleaned_data and name not in skip and name not in self.part_errors
        }


def _score_field(label):
    return forms.IntegerField(
        required=False,
        min_value=PAIN_MIN,
        max_value=PAIN_MAX,
        label=label,
        help_text="Leave blank unless it was recorded wrongly.",
    )


class AmendmentForm(forms.Form):
    """Why, what, and any corrected score; the note service checks the corrections."""

    reason = forms.CharField(max_length=300, label="Why")
    text = forms.CharField(
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Amendment",
        help_text="May be left blank when a score below is corrected.",
    )
    pain_before = _score_field("Corrected pain before (0–10)")
    pain_after = _score_field("Corrected pain after (0–10)")

    def __init__(self, *args, note=None, **kwargs):
        super().__init__(*args, **kwargs)
        # One score per PSFS activity of the note: a correction names the note's own activities.
        self.activities = [entry["activity"] for entry in (note.psfs if note else [])]
        for index, activity in enumerate(self.activities):
            self.fields[f"psfs_{index}"] = _score_field(f"Corrected PSFS: {activity} (0–10)")

    def corrections(self) -> dict:
        """The corrected scores given, as sessions.notes.add_amendment() takes them."""
        data = self.cleaned_data
        corrections = {
            name: data[name] for name in ("pain_before", "pain_after") if data.get(name) is not None
        }
        psfs = [
            {"activity": activity, "score": data[f"psfs_{index}"]}
            for index, activity in enumerate(self.activities)
            if data.get(f"psfs_{index}") is not None
        ]
        if psfs:
            corrections["psfs"] = psfs
        return corrections


class PracticeForm(forms.Form):
    pain_now = forms.IntegerField(
        required=False, min_value=PAIN_MIN, max_value=PAIN_MAX, label="Pain now (0–10, optional)"
    )
