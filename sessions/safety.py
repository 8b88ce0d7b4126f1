"""The one safety check that plan forms, note forms and the API share.

A plan or note must respect the client's screening restrictions (maximum pressure, forbidden
techniques, avoided areas) and the seed's standing rule (no pressure on the spine or bony areas);
a session note also needs a screening that allows treatment. Every refusal carries the rule code:
the finding that imposed the restriction, `STANDING_NO_BONY_PRESSURE` for the standing rule, or
a `SCREENING_*` / `INTAKE_*` code for a blocked or missing screening. Its message names the rule
in plain words; pages show the code beside it in small type (`Violation.html()`).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString

from clinic.accounts.models import Client
from clinic.core.errors import DomainError
from intake.labels import rule_title
from intake.screening import (
    BONY_AREAS,
    NO_RESTRICTIONS,
    RULES,
    SKIN_AFFECTED_AREA,
    Outcome,
    Pressure,
    Restrictions,
)
from intake.status import EXPIRED, MISSING, ScreeningStatus, screening_status

from .vocab import BODY_REGIONS, TECHNIQUE_CHOICES, RegionMark, region_label, regions_of

STANDING_NO_BONY_PRESSURE = "STANDING_NO_BONY_PRESSURE"
# A region the therapist marked to avoid without a screening rule behind it.
MARKED_AVOID = "MARKED_AVOID"
SCREENING_REFER = "SCREENING_REFER"
SCREENING_CLEARANCE = "SCREENING_CLEARANCE"
INTAKE_MISSING = "INTAKE_MISSING"
INTAKE_EXPIRED = "INTAKE_EXPIRED"
# A restriction whose finding is not in today's rules table (an older rules version).
SCREENING_RESTRICTION = "SCREENING_RESTRICTION"

_RULES = {rule.code: rule for rule in RULES}
_TECHNIQUE_LABELS = dict(TECHNIQUE_CHOICES)

# The check's own codes in plain words; screening rule codes are named in intake/labels.py.
CODE_TITLES = {
    STANDING_NO_BONY_PRESSURE: "No pressure on the spine or bony areas",
    MARKED_AVOID: "Marked to avoid on the body map",
    SCREENING_REFER: "Screening says refer",
    SCREENING_CLEARANCE: "Clearance needed before a session",
    INTAKE_MISSING: "No intake on file",
    INTAKE_EXPIRED: "Intake out of date",
    SCREENING_RESTRICTION: "A screening restriction",
}


def code_title(codes: str) -> str:
    """Codes as the check joins them ('CL_DVT_HISTORY, CL_PREGNANCY'), in plain words."""
    return "; ".join(CODE_TITLES.get(code) or rule_title(code) for code in codes.split(", "))


@dataclass(frozen=True)
class Violation:
    """One refusal: the rule code, a sentence for the therapist, and the part it concerns."""

    code: str
    message: str
    part: str  # "client", "techniques", "body_map" or "home_care"

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "part": self.part}

    def html(self) -> SafeString:
        """The message for a page: plain words, with the code in small type for reference."""
        return format_html('{} <small class="code">{}</small>', self.message, self.code)


class SafetyError(DomainError):
    """Raised by `ensure()`: the save is refused and nothing is changed.

    Its `code` is the first violation's rule code; the API answers every violation, and a
    blocked screening's `outcome` (refer, clearance, ...).
    """

    def __init__(self, violations: list[Violation]):
        self.violations = list(violations)
        super().__init__(" ".join(v.message for v in self.violations), code=self.violations[0].code)

    def response_body(self) -> dict[str, object]:
        body: dict[str, object] = {
            "detail": self.message,
            "code": self.code,
            "violations": [v.as_dict() for v in self.violations],
        }
        blocked = [v for v in self.violations if v.part == "client"]
        if blocked:
            body["outcome"] = blocked[0].code.removeprefix("SCREENING_").lower()
        return body

    def form_errors(self) -> list[tuple[str | None, str]]:
        return [(None, v.html()) for v in self.violations]

    @property
    def codes(self) -> list[str]:
        return [v.code for v in self.violations]


@dataclass(frozen=True)
class Screening:
    """What the check needs from a client's screening: restrictions and the codes behind them."""

    restrictions: Restrictions
    finding_codes: tuple[str, ...]
    status: ScreeningStatus

    @classmethod
    def of(cls, status: ScreeningStatus) -> "Screening":
        # An expired intake still says the most we know, so plans keep respecting it.
        if status.intake is None:
            return cls(NO_RESTRICTIONS, (), status)
        codes = tuple(f["code"] for f in status.intake.findings)
        return cls(status.intake.result.restrictions, codes, status)

    def _codes_where(self, imposes: Callable[[Restrictions], bool]) -> str:
        codes = [c for c in self.finding_codes if c in _RULES and imposes(_RULES[c].restrictions)]
        return ", ".join(codes) or SCREENING_RESTRICTION

    def pressure_codes(self, pressure: Pressure) -> str:
        return self._codes_where(lambda r: r.max_pressure < pressure)

    def technique_codes(self, technique: str) -> str:
        return self._codes_where(lambda r: technique in r.forbidden_techniques)

    def area_codes(self, area: str) -> str:
        return self._codes_where(lambda r: area in r.avoid_areas)


def screening_for(client: Client) -> Screening:
    """The client's current screening, as the check reads it."""
    return Screening.of(screening_status(client))


def check_note_allowed(status: ScreeningStatus) -> list[Violation]:
    """A session may be logged only on a valid intake whose outcome allows treatment."""
    if status.outcome == MISSING or status.intake is None:
        message = (
            "No intake on file: the client must complete the intake screening before a session "
            "is logged."
        )
        return [Violation(INTAKE_MISSING, message, "client")]
    if status.outcome == EXPIRED:
        message = (
            "The intake is older than 90 days (expired): the client must complete it again "
            "before a session is logged."
        )
        return [Violation(INTAKE_EXPIRED, message, "client")]
    findings = [f["code"] for f in status.intake.findings if f["outcome"] == status.outcome]
    because = f" ({code_title(', '.join(findings))})" if findings else ""
    if status.outcome == Outcome.REFER:
        message = (
            f"Screening outcome is refer{because}: do not treat; only a new intake can lift it."
        )
        return [Violation(SCREENING_REFER, message, "client")]
    if status.blocks_treatment:
        message = (
            f"Screening outcome is clearance{because}: record a healthcare provider's clearance "
            "before a session is logged."
        )
        return [Violation(SCREENING_CLEARANCE, message, "client")]
    return []


def _avoided_regions(screening: Screening, marked_avoid: Iterable[str]) -> dict[str, str]:
    """Regions no technique may touch, each with the rule code that keeps it off."""
    avoided = {}
    for area in screening.restrictions.avoid_areas:
        if area in BODY_REGIONS:
            avoided[area] = screening.area_codes(area)
    skin_code = (
        screening.area_codes(SKIN_AFFECTED_AREA)
        if SKIN_AFFECTED_AREA in screening.restrictions.avoid_areas
        else MARKED_AVOID
    )
    for region in marked_avoid:
        avoided.setdefault(region, skin_code)
    return avoided


def check_treatment(
    screening: Screening,
    techniques: Iterable[Mapping[str, Any]] = (),
    body_map: Mapping[str, str] | None = None,
    avoid_regions: Iterable[str] = (),
) -> list[Violation]:
    """Every way these techniques and body-map marks break the restrictions or standing rule.

    `avoid_regions` are regions the therapist marked as affected skin outside the body map
    (a plan's); the body map's own `avoid` marks count too.
    """
    body_map = body_map or {}
    restrictions = screening.restrictions
    violations = []
    marked = [*avoid_regions, *(r for r, m in body_map.items() if m == RegionMark.AVOID)]
    avoided = _avoided_regions(screening, marked)
    for entry in techniques:
        name = _TECHNIQUE_LABELS.get(entry["technique"], entry["technique"])
        where = f"{entry['muscle'].replace('_', ' ')} ({entry['side']})"
        if entry["technique"] in restrictions.forbidden_techniques:
            code = screening.technique_codes(entry["technique"])
            violations.append(
                Violation(
                    code,
                    f"{name} is not allowed for this client ({code_title(code)}).",
                    "techniques",
                )
            )
        pressure = Pressure(entry["pressure"])
        if pressure > restrictions.max_pressure:
            code = screening.pressure_codes(pressure)
            message = (
                f"{name} on {where} at {pressure} pressure is above this client's maximum, "
                f"{restrictions.max_pressure} ({code_title(code)})."
            )
            violations.append(Violation(code, message, "techniques"))
        for region in regions_of(entry["muscle"], entry["side"]):
            if region in avoided:
                code = avoided[region]
                message = (
                    f"{name} on {region_label(region)}: that area is to be avoided "
                    f"({code_title(code)})."
                )
                violations.append(Violation(code, message, "techniques"))
    for region, mark in body_map.items():
        if mark != RegionMark.TREATED:
            continue
        if region in BONY_AREAS:
            message = f"{region_label(region)}: no direct pressure on the spine or bony areas."
            violations.append(Violation(STANDING_NO_BONY_PRESSURE, message, "body_map"))
        elif region in avoided:
            code = avoided[region]
            message = (
                f"{region_label(region)} is marked treated but is to be avoided "
                f"({code_title(code)})."
            )
            violations.append(Violation(code, message, "body_map"))
    return violations


def check_plan(screening: Screening, plan: Mapping[str, Any]) -> list[Violation]:
    """A plan's techniques and home care against the restrictions.

    Plans may be written before a clearance is on file; only notes wait for it.
    """
    violations = check_treatment(
        screening, plan.get("techniques", ()), avoid_regions=plan.get("avoid_regions", ())
    )
    forbidden = screening.restrictions.forbidden_techniques
    for item in plan.get("home_care", ()):
        if item["technique"] in forbidden:
            code = screening.technique_codes(item["technique"])
            name = _TECHNIQUE_LABELS[item["technique"]]
            message = f"Home care: {name} is not allowed for this client ({code_title(code)})."
            violations.append(Violation(code, message, "home_care"))
    return violations


def check_note(screening: Screening, note: Mapping[str, Any]) -> list[Violation]:
    """A note: the screening must allow a session, and what was done must respect it."""
    blocked = check_note_allowed(screening.status)
    if blocked:
        return blocked
    return check_treatment(screening, note.get("techniques", ()), note.get("body_map"))


def ensure(violations: list[Violation]) -> None:
    """Raise SafetyError when there is anything to refuse."""
    if violations:
        raise SafetyError(violations)
