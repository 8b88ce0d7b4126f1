"""The shape of each structured entry in plans and notes, checked the same way for forms and API.

Each `clean_*` takes what came in (a list of dicts, or a dict for the body map), returns it
normalised (only the known keys, ints as ints) and raises ValidationError naming the entry and
key at fault. Whether an entry is *safe* for this client is sessions/safety.py's question.
"""

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError

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
    Weekday,
)

TECHNIQUES = [value for value, _ in TECHNIQUE_CHOICES]
PRESSURES = [value for value, _ in PRESSURE_CHOICES]
TIME_PATTERN = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _choice(values):
    def check(value):
        if value not in values:
            raise ValueError(f"must be one of {', '.join(values)}")
        return value

    return check


def _int(low, high):
    def check(value):
        # bool is an int in Python; true/false is not a number of minutes.
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value)
            else:
                raise ValueError("must be a whole number")
        if not low <= value <= high:
            raise ValueError(f"must be between {low} and {high}")
        return value

    return check


def _number(value):
    if isinstance(value, bool) or not isinstance(value, int | float):
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ValueError("must be a number") from None
    return int(value) if float(value).is_integer() else float(value)


def _text(max_length, required=True):
    def check(value):
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise ValueError("must be text")
        value = value.strip()
        if required and not value:
            raise ValueError("is required")
        if len(value) > max_length:
            raise ValueError(f"must be at most {max_length} characters")
        return value

    return check


def _days(value):
    if not isinstance(value, list | tuple) or not value:
        raise ValueError("must list at least one day (mon, tue, ...)")
    order = [d.value for d in Weekday]
    for day in value:
        if day not in order:
            raise ValueError(f"must hold days from {', '.join(order)}")
    return sorted(set(value), key=order.index)


def _time(value):
    if not isinstance(value, str) or not TIME_PATTERN.match(value):
        raise ValueError("must be a local time like 19:30")
    return value


Spec = Mapping[str, tuple[Callable[[Any], Any], Any]]
_REQUIRED = object()

TECHNIQUE_SPEC: Spec = {
    "technique": (_choice(TECHNIQUES), _REQUIRED),
    "muscle": (_choice(Muscle.values), _REQUIRED),
    "side": (_choice(Side.values), _REQUIRED),
    "pressure": (_choice(PRESSURES), _REQUIRED),
    "minutes": (_int(MINUTES_MIN, MINUTES_MAX), _REQUIRED),
}
PLAN_TECHNIQUE_SPEC: Spec = {
    **TECHNIQUE_SPEC,
    "progression": (_choice(Progression.values), Progression.AS_TOLERATED.value),
}
TRIGGER_POINT_SPEC: Spec = {
    "muscle": (_choice(Muscle.values), _REQUIRED),
    "side": (_choice(Side.values), _REQUIRED),
    "tenderness": (_int(TENDERNESS_MIN, TENDERNESS_MAX), _REQUIRED),
}
GOAL_SPEC: Spec = {
    "goal": (_choice(Goal.values), _REQUIRED),
    "measure": (_text(100), _REQUIRED),
    "baseline": (_number, _REQUIRED),
    "target": (_number, _REQUIRED),
}
TARGET_MUSCLE_SPEC: Spec = {
    "muscle": (_choice(Muscle.values), _REQUIRED),
    "side": (_choice(Side.values), _REQUIRED),
}
HOME_CARE_SPEC: Spec = {
    "tool": (_choice(HomeCareTool.values), _REQUIRED),
    "technique": (_choice(TECHNIQUES), _REQUIRED),
    "minutes": (_int(MINUTES_MIN, 60), _REQUIRED),
    "days": (_days, _REQUIRED),
    "time": (_time, _REQUIRED),
}
PSFS_SPEC: Spec = {
    "activity": (_text(100), _REQUIRED),
    "score": (_int(0, 10), _REQUIRED),
}


def _clean_rows(rows, spec: Spec, noun: str, max_rows: int = 50) -> list[dict]:
    if rows is None:
        return []
    if not isinstance(rows, list | tuple):
        raise ValidationError(f"{noun.capitalize()}s must be a list.")
    if len(rows) > max_rows:
        raise ValidationError(f"At most {max_rows} {noun}s.")
    cleaned, errors = [], []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            errors.append(f"{noun.capitalize()} {number} must be an object.")
            continue
        unknown = sorted(set(row) - set(spec))
        if unknown:
            errors.append(f"{noun.capitalize()} {number}: unknown key {', '.join(unknown)}.")
        out = {}
        for key, (check, default) in spec.items():
            if key not in row or row[key] in (None, ""):
                if default is _REQUIRED:
                    errors.append(f"{noun.capitalize()} {number}: {key} is required.")
                else:
                    out[key] = default
                continue
            try:
                out[key] = check(row[key])
            except ValueError as exc:
                errors.append(f"{noun.capitalize()} {number}: {key} {exc}.")
        cleaned.append(out)
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_techniques(rows) -> list[dict]:
    """Techniques done in a session: technique, muscle, side, pressure, minutes."""
    return _clean_rows(rows, TECHNIQUE_SPEC, "technique")


def clean_plan_techniques(rows) -> list[dict]:
    """A plan's techniques: as a session's, the pressure being the starting one, + progression."""
    return _clean_rows(rows, PLAN_TECHNIQUE_SPEC, "technique")


def clean_trigger_points(rows) -> list[dict]:
    """Trigger points found: muscle, side and tenderness from 1 (mild) to 3 (severe)."""
    return _clean_rows(rows, TRIGGER_POINT_SPEC, "trigger point")


def clean_goals(rows) -> list[dict]:
    """Goals from the seed's benefits, each with a measure, a baseline and a different target."""
    goals = _clean_rows(rows, GOAL_SPEC, "goal", max_rows=len(Goal))
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
    muscles = _clean_rows(rows, TARGET_MUSCLE_SPEC, "target muscle", max_rows=len(Muscle))
    names = [m["muscle"] for m in muscles]
    if len(set(names)) != len(names):
        raise ValidationError("Each target muscle may be listed once (use side 'both').")
    return muscles


def clean_home_care(rows) -> list[dict]:
    """Self-massage: tool, technique, minutes, days of the week and the preferred local time."""
    return _clean_rows(rows, HOME_CARE_SPEC, "home-care item", max_rows=10)


def clean_psfs(rows) -> list[dict]:
    """Patient-Specific Functional Scale: up to three activities rated 0 (unable) to 10."""
    return _clean_rows(rows, PSFS_SPEC, "activity", max_rows=PSFS_ACTIVITIES_MAX)


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
        elif mark not in RegionMark.values:
            errors.append(f"Body map {region}: mark must be one of {', '.join(RegionMark.values)}.")
    if errors:
        raise ValidationError(errors)
    return {region: marks[region] for region in BODY_REGIONS if marks.get(region)}


def clean_pain(value, label="Pain"):
    """A 0-10 pain score, or None when not asked yet."""
    if value in (None, ""):
        return None
    try:
        return _int(PAIN_MIN, PAIN_MAX)(value)
    except ValueError as exc:
        raise ValidationError(f"{label} {exc}.") from None
