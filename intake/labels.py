"""Plain words for the screening's codes, for the people who read them.

The codes (`CL_PREGNANCY`, `side_lying`, ...) stay the truth in the data and the API; pages show
these words and keep the code beside them in small type for reference. Pure, like the engine.
"""

from .screening import RULES, SIDE_LYING, SKIN_AFFECTED_AREA, Outcome, Technique

TECHNIQUE_LABELS: dict[Technique, str] = {
    Technique.EFFLEURAGE: "Effleurage",
    Technique.KNEADING: "Kneading",
    Technique.DEEP_TISSUE: "Deep tissue",
    Technique.TRIGGER_POINT: "Trigger point therapy",
}

# What each rule found, in a few words; `rule_title()` adds what the outcome asks.
RULE_NAMES: dict[str, str] = {
    "RF_CAUDA_EQUINA": "Possible cauda equina",
    "RF_NEURO_PROGRESSIVE": "Worsening leg weakness",
    "RF_INFECTION": "Possible infection",
    "RF_MALIGNANCY": "Unexplained weight loss",
    "RF_TRAUMA": "Recent fall or blow",
    "RF_DVT": "Possible blood clot",
    "RF_PREGNANCY_WARNING": "Pregnancy warning signs",
    "RF_SEVERE_UNRELENTING": "Severe constant or night pain",
    "CL_PREGNANCY": "Pregnancy",
    "CL_HIGH_RISK_PREGNANCY": "High-risk pregnancy",
    "CL_SEVERE_OR_PERSISTENT": "Severe or lasting pain not yet assessed",
    "CL_RADICULAR": "Possible nerve root pain",
    "CL_CANCER_HISTORY": "History of cancer",
    "CL_RECENT_SURGERY": "Recent surgery",
    "CL_ACUTE_INJURY": "Injury in the last 72 hours",
    "CL_DVT_HISTORY": "History of a blood clot",
    "CL_OSTEOPOROSIS": "Osteoporosis",
    "PR_ANTICOAGULANTS": "Blood thinners",
    "PR_SKIN": "Affected skin",
    "PR_SUBACUTE_INJURY": "Recent injury",
    "PR_START_LIGHT": "Pain of 4/10 or more",
}
OUTCOME_WORDS: dict[Outcome, str] = {
    Outcome.REFER: "refer to a doctor",
    Outcome.CLEARANCE: "clearance needed",
    Outcome.PRECAUTIONS: "take care",
    Outcome.CLEAR: "clear",
}
POSITIONING_LABELS: dict[str, str] = {SIDE_LYING: "Side-lying only"}
AREA_LABELS: dict[str, str] = {SKIN_AFFECTED_AREA: "the affected skin (marked on the body map)"}

_OUTCOMES = {rule.code: rule.outcome for rule in RULES}


def rule_title(code: str) -> str:
    """'CL_PREGNANCY' -> 'Pregnancy: clearance needed'; a code not in the table comes back as is."""
    if code not in RULE_NAMES:
        return code
    return f"{RULE_NAMES[code]}: {OUTCOME_WORDS[_OUTCOMES[code]]}"


def technique_label(value: str) -> str:
    """'deep_tissue' -> 'Deep tissue'."""
    return TECHNIQUE_LABELS.get(Technique(value), value) if value in Technique else value


def positioning_label(value: str) -> str:
    """'side_lying' -> 'Side-lying only'."""
    return POSITIONING_LABELS.get(value, value.replace("_", " ").capitalize())


def area_label(value: str) -> str:
    """An avoid area in words."""
    return AREA_LABELS.get(value, value.replace("_", " "))


def plain_note(note: str) -> str:
    """A restriction's note without the area codes it names ("Avoid the affected skin; ...")."""
    for code in AREA_LABELS:
        note = note.replace(f" ({code})", "")
    return note
