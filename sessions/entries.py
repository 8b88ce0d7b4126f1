"""The shape of each structured entry in plans and notes, declared once.

Each shape (a technique done, a trigger point, a goal, a target muscle, a home-care item, a PSFS
activity, a body-map mark) is a tuple of typed fields: name, label, choices or bounds, and
whether it is required. The form rows (sessions/rows.py) and the API serializers
(sessions/serializers.py) are built from these declarations, and the `clean_*` functions below
check what came in against them: each returns the entries normalised (only the known keys, ints
as ints) or raises ValidationError naming the entry and key at fault. Whether an entry is
*safe* for this client is sessions/safety.py's question.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from clinic.core.inputs import MAX_TEXT_LENGTH

from .shapes import Choice, Days, Number, Shape, Text, Time, Whole
from .vocab import (
    BODY_REGIONS,
    MINUTES_MAX,
    MINUTES_MIN,
    PAIN_MAX,
    PAIN_MIN,
    PRESSURE_CHOICES,
    PSFS_ACTIVITIES_MAX,
    TECHNIQUE_CHOICES,
    TENDERNESS_MAX,
    TENDERNESS_MIN,
    Goal,
    HomeCareTool,
    Muscle,
    Progression,
    RegionMark,
    Side,
)

TECHNIQUE = Shape(
    "technique",
    (
        Choice("technique", "Technique", choices=TECHNIQUE_CHOICES),
        Choice("muscle", "Muscle", choices=Muscle.choices),
        Choice("side", "Side", choices=Side.choices),
        Choice("pressure", "Pressure", choices=PRESSURE_CHOICES),
        Whole("minutes", "Minutes", low=MINUTES_MIN, high=MINUTES_MAX),
    ),
)
# A plan's pressure is the one to start from; the progression says how it may grow.
PLAN_TECHNIQUE = TECHNIQUE.but(
    Choice("pressure", "Starting pressure", choices=PRESSURE_CHOICES),
    Choice(
        "progression",
        "Progression",
        choices=Progression.choices,
        required=False,
        default=Progression.AS_TOLERATED.value,
    ),
)
TRIGGER_POINT = Shape(
    "trigger point",
    (
        Choice("muscle", "Muscle", choices=Muscle.choices),
        Choice("side", "Side", choices=Side.choices),
        Whole(
            "tenderness",
            "Tenderness",
            low=TENDERNESS_MIN,
            high=TENDERNESS_MAX,
            names={1: "mild", 2: "moderate", 3: "severe"},
        ),
    ),
)
GOAL = Shape(
    "goal",
    (
        Choice("goal", "Goal", choices=Goal.choices),
        Text("measure", "Measure", max_length=100),
        Number("baseline", "Now"),
        Number("target", "Target"),
    ),
    max_rows=len(Goal),
)
TARGET_MUSCLE = Shape(
    "target muscle",
    (
        Choice("muscle", "Muscle", choices=Muscle.choices),
        Choice("side", "Side", choices=Side.choices),
    ),
    max_rows=len(Muscle),
)
HOME_CARE = Shape(
    "home-care item",
    (
        Choice("tool", "Tool", choices=HomeCareTool.choices),
        Choice("technique", "Technique", choices=TECHNIQUE_CHOICES),
        Whole("minutes", "Minutes", low=MINUTES_MIN, high=60),
        Days("days", "Days"),
        Time("time", "Preferred time"),
    ),
    max_rows=10,
)
PSFS = Shape(
    "activity",
    (
        Text("activity", "Activity", max_length=100),
        Whole("score", "Score (0–10)", low=0, high=10, nullable=True),
    ),
    max_rows=PSFS_ACTIVITIES_MAX,
)
# The body map holds one mark per region: {region: mark}.
REGION_MARK = Choice("mark", "Mark", choices=RegionMark.choices)


def clean_techniques(rows) -> list[dict]:
    """Techniques done in a session: technique, muscle, side, pressure, minutes."""
    return TECHNIQUE.clean(rows)


def clean_plan_techniques(rows) -> list[dict]:
    """A plan's techniques: as a session's, the pressure being the starting one, + progression."""
    return PLAN_TECHNIQUE.clean(rows)


def clean_trigger_points(rows) -> list[dict]:
    """Trigger points found: muscle, side and tenderness from 1 (mild) to 3 (severe)."""
    return TRIGGER_POINT.clean(rows)


def clean_goals(rows) -> list[dict]:
    """Goals from the seed's benefits, each with a measure, a baseline and a different target."""
    goals = GOAL.clean(rows)
    errors = [
        f"Goal {n}: the target must differ from the baseline to be measurable."
        for n, goal in enumerate(goals, start=1)
        if goal["baseline"] == goal["target"]
    ]
    chosen = [goal["goal"] for goal in goals]
    if len(set(chosen)) != len(chosen):
        errors.append("Each goal may be chosen once.")
    if errors:
        raise ValidationError(errors)
    return goals


def clean_target_muscles(rows) -> list[dict]:
    """Target muscles with their side; each muscle once."""
    muscles = TARGET_MUSCLE.clean(rows)
    names = [m["muscle"] for m in muscles]
    if len(set(names)) != len(names):
        raise ValidationError("Each target muscle may be listed once (use side 'both').")
    return muscles


def clean_home_care(rows) -> list[dict]:
    """Self-massage: tool, technique, minutes, days of the week and the preferred local time."""
    return HOME_CARE.clean(rows)


def clean_psfs(rows) -> list[dict]:
    """Patient-Specific Functional Scale: up to three activities rated 0 (unable) to 10."""
    return PSFS.clean(rows)


def clean_regions(regions) -> list[str]:
    """A list of body-map regions, each once, in the body map's order."""
    if regions is None:
        return []
    if not isinstance(regions, list | tuple):
        raise ValidationError("Regions must be a list.")
    unknown = sorted({r for r in regions if r not in BODY_REGIONS}, key=str)
    if unknown:
        raise ValidationError(f"Unknown body-map region: {', '.join(map(str, unknown))}.")
    return [r for r in BODY_REGIONS if r in set(regions)]


def clean_body_map(marks) -> dict[str, str]:
    """{region: treated | tender | avoid}; regions left out (or blank) are unmarked."""
    if marks is None:
        return {}
    if not isinstance(marks, Mapping):
        raise ValidationError("The body map must be an object of region: mark.")
    errors = []
    for region, mark in marks.items():
        if mark in (None, ""):
            continue  # unmarked
        if region not in BODY_REGIONS:
            errors.append(f"Unknown body-map region: {region}.")
            continue
        try:
            REGION_MARK.check(mark)
        except ValueError as exc:
            errors.append(f"Body map {region}: {REGION_MARK.name} {exc}.")
    if errors:
        raise ValidationError(errors)
    return {region: marks[region] for region in BODY_REGIONS if marks.get(region)}


def clean_pain(value, label="Pain"):
    """A 0-10 pain score, or None when not asked yet."""
    if value in (None, ""):
        return None
    try:
        return Whole("pain", label, low=PAIN_MIN, high=PAIN_MAX).check(value)
    except ValueError as exc:
        raise ValidationError(f"{label} {exc}.") from None


NOTE_TEXT_MAX = MAX_TEXT_LENGTH  # one limit for all free text (clinic/core/inputs.py)


def clean_note_text(value) -> str:
    """A note's free text: blank allowed, at most NOTE_TEXT_MAX characters."""
    value = value if value is not None else ""
    if not isinstance(value, str):
        raise ValidationError("Must be text.")
    if len(value) > NOTE_TEXT_MAX:
        raise ValidationError(f"At most {NOTE_TEXT_MAX} characters.")
    return value


@dataclass(frozen=True)
class NoteField:
    """A field the therapist writes in a session note. `part` says where the form shows it:
    "soap", "pain", "response", or the field's own section for structured entries."""

    name: str
    label: str
    part: str
    help_text: str = ""

    def clean(self, value):
        """The value normalised; ValidationError says what is wrong with it."""
        if self.part == "pain":
            return clean_pain(value, self.name.replace("_", " ").capitalize())
        if self.part in ("soap", "response"):
            return clean_note_text(value)
        return STRUCTURED_NOTE_CLEANERS[self.name](value)


STRUCTURED_NOTE_CLEANERS = {
    "techniques": clean_techniques,
    "trigger_points": clean_trigger_points,
    "body_map": clean_body_map,
    "psfs": clean_psfs,
}
# The note's fields, in the order the API shows them and the signature hashes them; the note
# service, the form, the serializer and sessions/signing.py all read this one tuple.
NOTE_FIELDS: tuple[NoteField, ...] = (
    NoteField("subjective", "Subjective", "soap", "What the client reports today."),
    NoteField("objective", "Objective", "soap", "What you observed and found."),
    NoteField("assessment", "Assessment", "soap"),
    NoteField("plan", "Plan", "soap", "Next steps for this client."),
    NoteField("pain_before", "Pain before (0–10)", "pain"),
    NoteField("pain_after", "Pain after (0–10)", "pain"),
    NoteField("techniques", "Techniques done", "techniques"),
    NoteField("trigger_points", "Trigger points", "trigger_points"),
    NoteField("body_map", "Body map", "body_map"),
    NoteField("client_response", "Client response", "response"),
    NoteField("home_care", "Home care given", "response"),
    NoteField("psfs", "Patient-Specific Functional Scale", "psfs"),
)
NOTE_FIELD_NAMES: tuple[str, ...] = tuple(field.name for field in NOTE_FIELDS)
