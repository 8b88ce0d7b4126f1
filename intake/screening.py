"""The screening engine: validated intake answers in, outcome, findings and restrictions out.

Pure on purpose (no Django, no database) so every rule is a line in one table and can be tested
alone. Pass it the cleaned answers from `intake.answers.validate_answers()`: a missing key is a
KeyError here, never a silent "no".
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Self

RULES_VERSION = "2026.11-1"


class _RankedStrEnum(StrEnum):
    """A StrEnum ordered by declaration, not alphabetically ("clearance" < "precautions")."""

    @property
    def rank(self) -> int:
        """Position from least to most (0 is the first member declared)."""
        return list(type(self)).index(self)

    def _other_rank(self, other: str) -> int:
        # Plain strings are compared as members, so `outcome >= "clearance"` means what it says.
        return type(self)(other).rank

    def __lt__(self, other: str) -> bool:
        return self.rank < self._other_rank(other)

    def __le__(self, other: str) -> bool:
        return self.rank <= self._other_rank(other)

    def __gt__(self, other: str) -> bool:
        return self.rank > self._other_rank(other)

    def __ge__(self, other: str) -> bool:
        return self.rank >= self._other_rank(other)


class Outcome(_RankedStrEnum):
    """What the screening allows, from least to most serious."""

    CLEAR = "clear"
    PRECAUTIONS = "precautions"
    CLEARANCE = "clearance"
    REFER = "refer"


class Pressure(_RankedStrEnum):
    """Massage pressure, from lightest to deepest."""

    LIGHT = "light"
    MODERATE = "moderate"
    FIRM = "firm"
    DEEP = "deep"


class Technique(StrEnum):
    """The techniques from the seed material."""

    EFFLEURAGE = "effleurage"
    KNEADING = "kneading"
    DEEP_TISSUE = "deep_tissue"
    TRIGGER_POINT = "trigger_point"


SIDE_LYING = "side_lying"

# The seed's standing rule, on every plan and note whatever the screening says, so it is not a
# finding. Names are the structure, singular, with _left/_right for the paired ones, as the body
# map draws them.
BONY_AREAS: tuple[str, ...] = (
    "spine",
    "sacrum",
    "coccyx",
    "ischial_tuberosity_left",
    "ischial_tuberosity_right",
    "greater_trochanter_left",
    "greater_trochanter_right",
    "iliac_crest_left",
    "iliac_crest_right",
)
STANDING_RULE = (
    "No direct pressure on the spine or the bony areas: sacrum, coccyx, ischial tuberosities, "
    "greater trochanters and iliac crests."
)

# The avoid area PR_SKIN adds; the therapist marks its place on the body map.
SKIN_AFFECTED_AREA = "skin_affected_area"


@dataclass(frozen=True)
class Restrictions:
    """What a treatment must respect. The defaults limit nothing."""

    max_pressure: Pressure = Pressure.DEEP
    forbidden_techniques: tuple[Technique, ...] = ()
    positioning: str | None = None
    avoid_areas: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Normalise here so equal restrictions compare equal however they were built.
        object.__setattr__(self, "max_pressure", Pressure(self.max_pressure))
        techniques = sorted({Technique(t) for t in self.forbidden_techniques})
        object.__setattr__(self, "forbidden_techniques", tuple(techniques))
        object.__setattr__(self, "avoid_areas", tuple(sorted(set(self.avoid_areas))))
        object.__setattr__(self, "notes", tuple(dict.fromkeys(self.notes)))

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values."""
        return {
            "max_pressure": self.max_pressure.value,
            "forbidden_techniques": [t.value for t in self.forbidden_techniques],
            "positioning": self.positioning,
            "avoid_areas": list(self.avoid_areas),
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Read back what `as_dict()` wrote (__post_init__ turns its lists back into tuples)."""
        return cls(**data)


NO_RESTRICTIONS = Restrictions()


def strictest(a: Restrictions, b: Restrictions) -> Restrictions:
    """Combine two sets of restrictions, keeping the stricter side of each.

    The lowest pressure, every forbidden technique and avoid area, side-lying if either asks for
    it, and all notes (a's first).
    """
    return Restrictions(
        max_pressure=min(a.max_pressure, b.max_pressure),
        forbidden_techniques=a.forbidden_techniques + b.forbidden_techniques,
        positioning=a.positioning or b.positioning,
        avoid_areas=a.avoid_areas + b.avoid_areas,
        notes=a.notes + b.notes,
    )


@dataclass(frozen=True)
class Finding:
    """One rule that fired: its code, its own outcome and a sentence for the therapist."""

    code: str
    outcome: Outcome
    message: str

    def as_dict(self) -> dict[str, str]:
        """Plain JSON-ready values."""
        return {"code": self.code, "outcome": self.outcome.value, "message": self.message}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Read back what `as_dict()` wrote."""
        return cls(code=data["code"], outcome=Outcome(data["outcome"]), message=data["message"])


@dataclass(frozen=True)
class ScreeningResult:
    """The outcome, every finding (most serious first) and the combined restrictions."""

    outcome: Outcome
    findings: tuple[Finding, ...]
    restrictions: Restrictions
    rules_version: str = RULES_VERSION

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values, as stored with the intake and returned by the API."""
        return {
            "outcome": self.outcome.value,
            "findings": [finding.as_dict() for finding in self.findings],
            "restrictions": self.restrictions.as_dict(),
            "rules_version": self.rules_version,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Read back a stored result; its own rules_version is kept, not today's."""
        return cls(
            outcome=Outcome(data["outcome"]),
            findings=tuple(Finding.from_dict(f) for f in data["findings"]),
            restrictions=Restrictions.from_dict(data["restrictions"]),
            rules_version=data["rules_version"],
        )


@dataclass(frozen=True)
class Rule:
    """A row of the rules table in DESIGN.md."""

    code: str
    when: Callable[[Mapping[str, Any]], bool]
    outcome: Outcome
    message: str
    restrictions: Restrictions = NO_RESTRICTIONS


def _severe_pain(a: Mapping[str, Any]) -> bool:
    score: int = a["pain_score"]
    return score >= 7


def _surgery_within_12_weeks(a: Mapping[str, Any]) -> bool:
    # None means no surgery in the last year.
    return a["recent_surgery_weeks"] is not None and a["recent_surgery_weeks"] < 12


_NO_DEEP_TISSUE = (Technique.DEEP_TISSUE,)
_NO_DEEP_OR_TRIGGER = (Technique.DEEP_TISSUE, Technique.TRIGGER_POINT)

# Order matters only for ties: findings list the most serious first, then this order. A message
# says what was found and what it restricts; the outcome itself says whether treatment may go on.
RULES: tuple[Rule, ...] = (
    Rule(
        "RF_CAUDA_EQUINA",
        lambda a: a["saddle_numbness"] or a["bladder_or_bowel_change"],
        Outcome.REFER,
        "Saddle numbness or a bladder or bowel change: possible cauda equina. Emergency care now.",
    ),
    Rule(
        "RF_NEURO_PROGRESSIVE",
        lambda a: a["progressive_leg_weakness"],
        Outcome.REFER,
        "Leg weakness that is getting worse. Advise an urgent medical assessment.",
    ),
    Rule(
        "RF_INFECTION",
        lambda a: a["fever_or_unwell"],
        Outcome.REFER,
        "Fever, chills or feeling unwell with the pain: possible infection. Advise medical care.",
    ),
    Rule(
        "RF_MALIGNANCY",
        lambda a: a["unexplained_weight_loss"],
        Outcome.REFER,
        "Unexplained weight loss with back pain. Advise a prompt medical assessment.",
    ),
    Rule(
        "RF_TRAUMA",
        lambda a: a["recent_trauma"],
        Outcome.REFER,
        "A fall, accident or blow to the back or hips in the last 6 weeks: rule out a fracture.",
    ),
    Rule(
        "RF_DVT",
        lambda a: a["dvt_signs"],
        Outcome.REFER,
        "A painful, swollen, warm or red calf: possible blood clot. Emergency care now.",
    ),
    Rule(
        "RF_PREGNANCY_WARNING",
        lambda a: a["pregnant"] and a["pregnancy_warning_signs"],
        Outcome.REFER,
        "Pregnancy warning signs. Advise calling their midwife or doctor now.",
    ),
    Rule(
        "RF_SEVERE_UNRELENTING",
        lambda a: _severe_pain(a) and (a["pain_constant_unrelenting"] or a["pain_worse_at_night"]),
        Outcome.REFER,
        "Severe pain (7/10 or more), constant or worse at night. Advise a medical assessment.",
    ),
    Rule(
        "CL_PREGNANCY",
        lambda a: a["pregnant"],
        Outcome.CLEARANCE,
        "Pregnant: side-lying, moderate pressure at most, no deep tissue.",
        Restrictions(Pressure.MODERATE, _NO_DEEP_TISSUE, positioning=SIDE_LYING),
    ),
    Rule(
        "CL_HIGH_RISK_PREGNANCY",
        lambda a: a["pregnant"] and a["pregnancy_high_risk"],
        Outcome.CLEARANCE,
        "High-risk pregnancy: light pressure only.",
        Restrictions(Pressure.LIGHT),
    ),
    Rule(
        "CL_SEVERE_OR_PERSISTENT",
        lambda a: (
            (_severe_pain(a) or a["pain_duration_weeks"] >= 6) and not a["medically_evaluated"]
        ),
        Outcome.CLEARANCE,
        "Severe (7/10 or more) or persistent (6 weeks or more) pain not yet medically assessed.",
    ),
    Rule(
        "CL_RADICULAR",
        lambda a: (
            a["pain_radiates_below_knee"]
            and a["leg_numbness_or_tingling"]
            and not a["medically_evaluated"]
        ),
        Outcome.CLEARANCE,
        "Pain below the knee with numbness or tingling, not yet assessed: possible nerve root.",
    ),
    Rule(
        "CL_CANCER_HISTORY",
        lambda a: a["history_of_cancer"],
        Outcome.CLEARANCE,
        "History of cancer: moderate pressure at most.",
        Restrictions(Pressure.MODERATE),
    ),
    Rule(
        "CL_RECENT_SURGERY",
        _surgery_within_12_weeks,
        Outcome.CLEARANCE,
        "Surgery less than 12 weeks ago.",
    ),
    Rule(
        "CL_ACUTE_INJURY",
        lambda a: a["injury_in_area"] == "acute",
        Outcome.CLEARANCE,
        "Injury to the lower back, buttocks or hips in the last 72 hours.",
    ),
    Rule(
        "CL_DVT_HISTORY",
        lambda a: a["dvt_history"],
        Outcome.CLEARANCE,
        "History of a blood clot (DVT or PE): no deep tissue.",
        Restrictions(forbidden_techniques=_NO_DEEP_TISSUE),
    ),
    Rule(
        "CL_OSTEOPOROSIS",
        lambda a: a["osteoporosis"],
        Outcome.CLEARANCE,
        "Osteoporosis or low bone density: light pressure only, no deep tissue or trigger points.",
        Restrictions(Pressure.LIGHT, _NO_DEEP_OR_TRIGGER),
    ),
    Rule(
        "PR_ANTICOAGULANTS",
        lambda a: a["anticoagulants"],
        Outcome.PRECAUTIONS,
        "On blood thinners, so bruises easily: moderate pressure at most, no deep tissue or "
        "trigger points.",
        Restrictions(Pressure.MODERATE, _NO_DEEP_OR_TRIGGER),
    ),
    Rule(
        "PR_SKIN",
        lambda a: a["skin_condition_in_area"],
        Outcome.PRECAUTIONS,
        "Rash, wound, infection or bruising on the lower back or buttocks: avoid that area.",
        Restrictions(
            avoid_areas=(SKIN_AFFECTED_AREA,),
            notes=(f"Avoid the affected skin ({SKIN_AFFECTED_AREA}); mark it on the body map.",),
        ),
    ),
    Rule(
        "PR_SUBACUTE_INJURY",
        lambda a: a["injury_in_area"] == "subacute",
        Outcome.PRECAUTIONS,
        "Injury to the lower back, buttocks or hips 3 days to 6 weeks ago: moderate at most.",
        Restrictions(Pressure.MODERATE),
    ),
    Rule(
        "PR_START_LIGHT",
        lambda a: a["pain_score"] >= 4,
        Outcome.PRECAUTIONS,
        "Pain of 4/10 or more: start with light pressure and progress as tolerated.",
        Restrictions(notes=("Start with light pressure and progress as tolerated.",)),
    ),
)


def screen(answers: Mapping[str, Any]) -> ScreeningResult:
    """Screen validated intake answers against every rule in RULES.

    The outcome is the most serious finding's (clear when none fire). Restrictions combine over
    every finding, whatever its outcome, so a refer result still says what applies when treatment
    resumes. Findings are listed most serious first, then in rules-table order.
    """
    fired = [rule for rule in RULES if rule.when(answers)]
    # list.sort() is stable even when reversed, so ties keep the table's order.
    fired.sort(key=lambda rule: rule.outcome.rank, reverse=True)
    restrictions = NO_RESTRICTIONS
    for rule in fired:
        restrictions = strictest(restrictions, rule.restrictions)
    return ScreeningResult(
        outcome=max((rule.outcome for rule in fired), default=Outcome.CLEAR),
        findings=tuple(Finding(rule.code, rule.outcome, rule.message) for rule in fired),
        restrictions=restrictions,
    )
