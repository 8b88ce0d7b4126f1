"""The intake answers: every question, its type, and the one validation the form and API share.

Pure Python on purpose (no Django): the client form, the REST serializer and the screening
tests all read the same table, so a question or a limit is written once.

`validate_answers()` only sees JSON-like values (bool, int, str, None). The HTML form converts
its strings to those types first; a string is never read as a yes or a number here.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from clinic.core.inputs import UNSTORABLE_TEXT, is_storable_text


class Kind(StrEnum):
    """The type of an answer, which the form uses to pick a widget."""

    INT = "int"
    BOOL = "bool"
    CHOICE = "choice"
    TEXT = "text"


@dataclass(frozen=True)
class AnswerSpec:
    """One intake question: its answer key, type and limits, and the words the client reads.

    INT answers always have both bounds; `nullable` means null is itself an answer.
    """

    key: str
    kind: Kind
    question: str
    help_text: str = ""
    min_value: int | None = None
    max_value: int | None = None
    nullable: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int | None = None


# (value, label) pairs; the label is what the client reads.
INJURY_CHOICES = (
    ("none", "No injury"),
    ("acute", "Yes, in the last 3 days"),
    ("subacute", "Yes, between 3 days and 6 weeks ago"),
    ("chronic", "Yes, more than 6 weeks ago"),
)

SIGNATURE_MAX_LENGTH = 200
OTHER_CONDITIONS_MAX_LENGTH = 2000


def _bool(key: str, question: str, help_text: str = "") -> AnswerSpec:
    return AnswerSpec(key, Kind.BOOL, question, help_text)


# Form order: pain first, then red flags, then the conditions that shape the treatment.
ANSWER_SPECS: dict[str, AnswerSpec] = {
    spec.key: spec
    for spec in (
        AnswerSpec(
            "pain_score",
            Kind.INT,
            "How bad is your back pain right now?",
            "0 means no pain at all, 10 means the worst pain you can imagine.",
            min_value=0,
            max_value=10,
        ),
        AnswerSpec(
            "pain_duration_weeks",
            Kind.INT,
            "How many weeks have you had this bout of back pain?",
            "Count from when this episode started. If it is less than a week, enter 0.",
            min_value=0,
            max_value=520,  # ten years: anything longer is a typo, not a history
        ),
        _bool(
            "pain_constant_unrelenting",
            "Is the pain there all the time, even when you rest or change position?",
        ),
        _bool("pain_worse_at_night", "Is the pain worse at night, or does it wake you up?"),
        _bool("medically_evaluated", "Has a doctor or physiotherapist checked this back pain?"),
        _bool("pain_radiates_below_knee", "Does the pain travel down either leg, past the knee?"),
        _bool("leg_numbness_or_tingling", "Do you have numbness or pins and needles in a leg?"),
        _bool(
            "progressive_leg_weakness",
            "Is either of your legs getting weaker?",
            "For example, your foot catches when you walk or your leg gives way more than before.",
        ),
        _bool(
            "saddle_numbness",
            "Do you have any numbness around your buttocks, groin or inner thighs?",
        ),
        _bool(
            "bladder_or_bowel_change",
            "Have you had any new trouble controlling or passing urine or stools?",
        ),
        _bool(
            "fever_or_unwell",
            "Along with the back pain, do you have a fever or chills, or feel generally unwell?",
        ),
        _bool("unexplained_weight_loss", "Have you lost weight recently without trying to?"),
        _bool("history_of_cancer", "Have you ever been treated for cancer?"),
        _bool(
            "recent_trauma",
            "In the last 6 weeks, have you had a fall, an accident or a blow to your back or hips?",
        ),
        AnswerSpec(
            "injury_in_area",
            Kind.CHOICE,
            "Have you injured your lower back, buttocks or hips?",
            choices=INJURY_CHOICES,
        ),
        AnswerSpec(
            "recent_surgery_weeks",
            Kind.INT,
            "How many weeks ago did you last have surgery of any kind?",
            "Leave this empty if you have not had surgery in the last year.",
            min_value=0,
            max_value=52,
            nullable=True,
        ),
        _bool("pregnant", "Are you pregnant?"),
        AnswerSpec(
            "pregnancy_weeks",
            Kind.INT,
            "How many weeks pregnant are you?",
            min_value=0,
            max_value=45,
        ),
        _bool(
            "pregnancy_high_risk",
            "Has a doctor or midwife told you that your pregnancy is high-risk?",
        ),
        _bool(
            "pregnancy_warning_signs",
            "Do you have any bleeding, severe tummy pain, a severe headache or sudden swelling?",
        ),
        _bool("dvt_signs", "Is one of your calves painful, swollen, warm or red right now?"),
        _bool(
            "dvt_history",
            "Have you ever had a blood clot, such as a DVT in a leg or a clot in a lung (PE)?",
        ),
        _bool(
            "anticoagulants",
            "Do you take medicine to thin your blood?",
            "For example warfarin, apixaban, rivaroxaban or heparin injections.",
        ),
        _bool("osteoporosis", "Have you been told you have osteoporosis or low bone density?"),
        _bool(
            "skin_condition_in_area",
            "Do you have a rash, wound, infection or bruising on your lower back or buttocks?",
        ),
        AnswerSpec(
            "other_conditions",
            Kind.TEXT,
            "Is there anything else you would like your therapist to know?",
            "For example other health conditions, medicines, or areas you prefer not to have "
            "massaged. You can leave this empty.",
            max_length=OTHER_CONDITIONS_MAX_LENGTH,
        ),
        _bool(
            "consent",
            "Do you agree to have massage treatment?",
            "You can ask your therapist to change or stop the treatment at any time.",
        ),
        AnswerSpec(
            "signature",
            Kind.TEXT,
            "Please type your full name to sign this form.",
            max_length=SIGNATURE_MAX_LENGTH,
        ),
    )
}

ANSWER_KEYS: tuple[str, ...] = tuple(ANSWER_SPECS)

# Only asked when `pregnant` is true; otherwise stored as "not pregnant" whatever was sent.
PREGNANCY_DETAIL_KEYS: tuple[str, ...] = (
    "pregnancy_weeks",
    "pregnancy_high_risk",
    "pregnancy_warning_signs",
)
NOT_PREGNANT_DETAILS: dict[str, Any] = {
    "pregnancy_weeks": None,
    "pregnancy_high_risk": False,
    "pregnancy_warning_signs": False,
}

MISSING = "Please answer this question."
UNKNOWN = "Unknown question: remove it or check the spelling of its name."
NOT_BOOL = "Please answer yes or no (true or false)."
NOT_INT = "Please enter a whole number."
NOT_TEXT = "Please enter text."
NO_CONSENT = "We need your consent before we can treat you."
BLANK_SIGNATURE = "Please type your full name to sign."


def _clean(spec: AnswerSpec, value: Any) -> tuple[Any, str | None]:
    """Return (cleaned value, None), or (None, the message) when the value is refused."""
    if value is None:
        return (None, None) if spec.nullable else (None, MISSING)
    if spec.kind is Kind.BOOL:
        return (value, None) if isinstance(value, bool) else (None, NOT_BOOL)
    if spec.kind is Kind.INT:
        # bool is a subclass of int in Python, but true is not a number of weeks.
        if isinstance(value, bool) or not isinstance(value, int):
            return None, NOT_INT
        low, high = spec.min_value, spec.max_value
        assert low is not None and high is not None, f"{spec.key}: an INT needs both bounds"
        if not low <= value <= high:
            return None, f"Please enter a number from {low} to {high}."
        return value, None
    if spec.kind is Kind.CHOICE:
        allowed = [choice for choice, _label in spec.choices]
        if value not in allowed:
            return None, f"Please choose one of: {', '.join(allowed)}."
        return value, None
    if not isinstance(value, str):
        return None, NOT_TEXT
    if not is_storable_text(value):
        return None, UNSTORABLE_TEXT
    text = value.strip()
    if spec.max_length is not None and len(text) > spec.max_length:
        return None, f"Please keep this to {spec.max_length} characters or fewer."
    return text, None


def validate_answers(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Check a full set of intake answers against the question table.

    Returns (cleaned answers, errors by key). When there is any error the cleaned answers are
    empty, so a caller cannot store half an intake. Cleaned answers hold every key in form order:
    text is stripped, `other_conditions` defaults to "", and when the client is not pregnant the
    pregnancy details are stored as None/False.
    """
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for key in data:
        if key not in ANSWER_SPECS:
            errors[key] = [UNKNOWN]

    pregnant = data.get("pregnant") is True
    for key, spec in ANSWER_SPECS.items():
        optional = key == "other_conditions" or (key in PREGNANCY_DETAIL_KEYS and not pregnant)
        value = data.get(key)
        if optional and value is None:
            cleaned[key] = NOT_PREGNANT_DETAILS.get(key, "")
            continue
        if key not in data:
            errors[key] = [MISSING]
            continue
        cleaned[key], message = _clean(spec, value)
        if message is not None:
            errors[key] = [message]

    if cleaned.get("consent") is False:
        errors["consent"] = [NO_CONSENT]
    if cleaned.get("signature") == "":
        errors["signature"] = [BLANK_SIGNATURE]
    if errors:
        return {}, errors
    if not pregnant:
        cleaned.update(NOT_PREGNANT_DETAILS)
    return cleaned, errors
