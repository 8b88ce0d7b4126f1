"""The ICD-10-CM codes a superbill may carry for low back pain, and the ones the intake's
answers and findings suggest (DESIGN.md's answer keys and rule codes). Pure: no database.

The therapist or the desk confirms or changes the suggestion; this only gives a sound start.
"""

from collections.abc import Iterable, Mapping
from typing import Any

# Code -> its ICD-10-CM title, in the order the chooser lists them.
CODES: dict[str, str] = {
    "M54.50": "Low back pain, unspecified",
    "M54.59": "Other low back pain",
    "M54.40": "Lumbago with sciatica, unspecified side",
    "M54.41": "Lumbago with sciatica, right side",
    "M54.42": "Lumbago with sciatica, left side",
    "M54.30": "Sciatica, unspecified side",
    "M54.31": "Sciatica, right side",
    "M54.32": "Sciatica, left side",
    "M62.830": "Muscle spasm of back",
    "S39.012A": "Strain of muscle, fascia and tendon of lower back, initial encounter",
    "S39.012D": "Strain of muscle, fascia and tendon of lower back, subsequent encounter",
    "G89.29": "Other chronic pain",
}
# A superbill lists up to four diagnoses (pointers A to D on its procedure line).
MAX_CODES = 4
CHRONIC_WEEKS = 12  # pain for three months or more is chronic


def suggest(answers: Mapping[str, Any], finding_codes: Iterable[str]) -> list[str]:
    """The codes an intake points to, the primary first.

    Pain going down the leg (below the knee, or with numbness or tingling: the CL_RADICULAR
    rule's signs) makes it lumbago with sciatica, else low back pain unspecified; a recent
    injury to the area (CL_ACUTE_INJURY, PR_SUBACUTE_INJURY) adds a lower-back strain; pain
    lasting 12 weeks or more adds chronic pain."""
    codes = set(finding_codes)
    radiating = (
        bool(answers.get("pain_radiates_below_knee"))
        or bool(answers.get("leg_numbness_or_tingling"))
        or "CL_RADICULAR" in codes
    )
    chosen = ["M54.40" if radiating else "M54.50"]
    injured = answers.get("injury_in_area") in ("acute", "subacute")
    if injured or codes & {"CL_ACUTE_INJURY", "PR_SUBACUTE_INJURY"}:
        chosen.append("S39.012A")
    weeks = answers.get("pain_duration_weeks")
    if isinstance(weeks, int) and weeks >= CHRONIC_WEEKS:
        chosen.append("G89.29")
    return chosen


def units_of_97124(minutes: int) -> int:
    """CPT 97124 is billed per 15 minutes; a last part of 8 minutes or more counts as a unit
    (the CMS "8-minute rule")."""
    whole, rest = divmod(max(minutes, 0), 15)
    return whole + (1 if rest >= 8 else 0)
