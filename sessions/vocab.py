"""The words of treatment plans and notes: the brief's vocabularies, and the body map's regions.

Techniques and pressures are the screening engine's own enums, so a plan, a note and a
restriction can never disagree about what "deep_tissue" or "firm" means.
"""

from django.db import models

from intake.labels import TECHNIQUE_LABELS
from intake.screening import BONY_AREAS, Pressure

TECHNIQUE_CHOICES = [(technique.value, label) for technique, label in TECHNIQUE_LABELS.items()]
PRESSURE_CHOICES = [(p.value, p.value.capitalize()) for p in Pressure]


class Muscle(models.TextChoices):
    GLUTEUS_MAXIMUS = "gluteus_maximus", "Gluteus maximus"
    GLUTEUS_MEDIUS = "gluteus_medius", "Gluteus medius"
    GLUTEUS_MINIMUS = "gluteus_minimus", "Gluteus minimus"
    PIRIFORMIS = "piriformis", "Piriformis"
    QUADRATUS_LUMBORUM = "quadratus_lumborum", "Quadratus lumborum"
    LUMBAR_ERECTORS = "lumbar_erectors", "Lumbar erectors"
    TFL = "tfl", "Tensor fasciae latae (TFL)"
    PROXIMAL_HAMSTRINGS = "proximal_hamstrings", "Proximal hamstrings"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both"


class Goal(models.TextChoices):
    """The seed's five benefits of buttock massage for back pain."""

    MUSCLE_RELAXATION = "muscle_relaxation", "Muscle relaxation"
    CIRCULATION = "circulation", "Improved blood circulation"
    INFLAMMATION = "inflammation", "Reduced inflammation"
    FLEXIBILITY = "flexibility", "Flexibility and range of motion"
    STRESS_RELIEF = "stress_relief", "Stress relief"


# A measure that tracks what the goal is about (pain is charted on every note anyway); the
# therapist may write another.
GOAL_MEASURES = {
    Goal.MUSCLE_RELAXATION: "Muscle tension (0-10)",
    Goal.CIRCULATION: "Cold or numb feeling in buttock or leg (0-10)",
    Goal.INFLAMMATION: "Swelling or tenderness to touch (0-3)",
    Goal.FLEXIBILITY: "Hip flexion and rotation range (degrees)",
    Goal.STRESS_RELIEF: "Stress (0-10)",
}


class Progression(models.TextChoices):
    AS_TOLERATED = "as_tolerated", "Increase as tolerated"
    HOLD = "hold", "Keep this pressure"
    STEP_EACH_VISIT = "step_each_visit", "One step firmer a visit"


class HomeCareTool(models.TextChoices):
    """Self-massage from the seed: hands, a foam roller or a massage ball."""

    HANDS = "hands", "Your hands"
    FOAM_ROLLER = "foam_roller", "A foam roller"
    MASSAGE_BALL = "massage_ball", "A massage ball"


class Weekday(models.TextChoices):
    MON = "mon", "Monday"
    TUE = "tue", "Tuesday"
    WED = "wed", "Wednesday"
    THU = "thu", "Thursday"
    FRI = "fri", "Friday"
    SAT = "sat", "Saturday"
    SUN = "sun", "Sunday"


# Weekday values in date.weekday() order (Monday is 0), for reminders and adherence.
WEEKDAY_INDEX = {day.value: index for index, day in enumerate(Weekday)}


class RegionMark(models.TextChoices):
    TREATED = "treated", "Treated"
    TENDER = "tender", "Tender"
    AVOID = "avoid", "Affected skin: avoid"


PAIRED_SIDES = (Side.LEFT, Side.RIGHT)
MUSCLE_REGIONS: tuple[str, ...] = tuple(f"{m}_{s}" for m in Muscle for s in PAIRED_SIDES)
BODY_REGIONS: tuple[str, ...] = MUSCLE_REGIONS + BONY_AREAS

BONY_LABELS = {
    "spine": "Spine (lumbar)",
    "sacrum": "Sacrum",
    "coccyx": "Coccyx",
    "ischial_tuberosity_left": "Ischial tuberosity (left)",
    "ischial_tuberosity_right": "Ischial tuberosity (right)",
    "greater_trochanter_left": "Greater trochanter (left)",
    "greater_trochanter_right": "Greater trochanter (right)",
    "iliac_crest_left": "Iliac crest (left)",
    "iliac_crest_right": "Iliac crest (right)",
}


def region_label(region: str) -> str:
    """'gluteus_medius_left' -> 'Gluteus medius (left)'; bony areas by their own name."""
    if region in BONY_LABELS:
        return BONY_LABELS[region]
    muscle, _, side = region.rpartition("_")
    return f"{Muscle(muscle).label} ({side})"


def regions_of(muscle: str, side: str) -> tuple[str, ...]:
    """The body-map regions a technique on `muscle` at `side` touches (both sides for 'both')."""
    sides = PAIRED_SIDES if side == Side.BOTH else (side,)
    return tuple(f"{muscle}_{s}" for s in sides)


PAIN_MIN, PAIN_MAX = 0, 10
MINUTES_MIN, MINUTES_MAX = 1, 120
TENDERNESS_MIN, TENDERNESS_MAX = 1, 3
PSFS_ACTIVITIES_MAX = 3
# The Patient-Specific Functional Scale is taken at the first session and every fourth after.
PSFS_EVERY = 4
