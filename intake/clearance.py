"""What a `clearance` screening asks the client to bring, in their words, from its findings.

Pure like the screening engine: findings in, sentences out. The client never sees the rule
codes or the therapist's messages, only who to ask and what the note should say.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from .screening import Outcome

# Each clearance rule's note: who writes it, and what it is about. Two pregnancy rules ask for
# the same note, so the client is asked for it once.
WHAT_TO_BRING = {
    "CL_PREGNANCY": "a note from your midwife or doctor saying massage is OK during your pregnancy",
    "CL_HIGH_RISK_PREGNANCY": (
        "a note from your midwife or doctor saying massage is OK during your pregnancy"
    ),
    "CL_SEVERE_OR_PERSISTENT": (
        "a note from your doctor or physiotherapist saying massage is OK for your back pain"
    ),
    "CL_RADICULAR": (
        "a note from your doctor saying massage is OK for the pain and tingling in your leg"
    ),
    "CL_CANCER_HISTORY": "a note from your doctor or cancer care team saying massage is OK",
    "CL_RECENT_SURGERY": (
        "a note from your surgeon or doctor saying massage is OK after your surgery"
    ),
    "CL_ACUTE_INJURY": "a note from your doctor saying massage is OK after your recent injury",
    "CL_DVT_HISTORY": (
        "a note from your doctor saying massage is OK with your history of blood clots"
    ),
    "CL_OSTEOPOROSIS": (
        "a note from your doctor saying massage is OK with your osteoporosis or low bone density"
    ),
}
# A clearance rule added to the table before its words are: still ask for something plain.
ANY_NOTE = "a note from your doctor saying massage is OK for you"


def what_to_bring(findings: Iterable[Mapping[str, Any]]) -> list[str]:
    """The notes a client should bring for their stored `clearance` findings, each named once,
    in the findings' order; nothing for findings of other outcomes."""
    notes: list[str] = []
    for finding in findings:
        if finding["outcome"] != Outcome.CLEARANCE:
            continue
        note = WHAT_TO_BRING.get(finding["code"], ANY_NOTE)
        if note not in notes:
            notes.append(note)
    return notes
