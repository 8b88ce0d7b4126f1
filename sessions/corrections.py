"""Corrections an amendment carries: the numbers a signed note got wrong, put right.

A signed note never changes (its hash and the database trigger say so). An amendment may carry
corrected pain scores and PSFS scores instead, as {"pain_before": 4, "pain_after": 4,
"psfs": [{"activity", "score"}]} (any of them). `clean_corrections` checks them against the
note, with the entry shapes of sessions/entries.py; `corrected` reads a note's values as its
latest amendments leave them, and which were amended, for progress, the record and the PDFs.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from . import entries
from .models import Amendment, SessionNote

PAIN_FIELDS = {"pain_before": "Pain before", "pain_after": "Pain after"}
CORRECTABLE = (*PAIN_FIELDS, "psfs")


def _clean_psfs(rows, note: SessionNote) -> list[dict]:
    """Corrected PSFS scores: each for one of the note's own activities, once, scored 0–10."""
    if not note.psfs:
        raise ValidationError("This note has no PSFS to correct.")
    rows = entries.PSFS.clean(rows)
    activities = [entry["activity"] for entry in note.psfs]
    named = [row["activity"] for row in rows]
    errors = [
        f"“{name}” is not an activity of this note's PSFS ({'; '.join(activities)})."
        for name in named
        if name not in activities
    ]
    if len(set(named)) != len(named):
        errors.append("Correct each activity once.")
    if errors:
        raise ValidationError(errors)
    return rows


def clean_corrections(data, note: SessionNote) -> dict:
    """The corrections normalised (only what is corrected), or {} when there are none.

    Pain scores are whole numbers from 0 to 10 and PSFS activities must be the note's own; a
    blank value corrects nothing. Raises ValidationError (key -> messages) for anything else.
    """
    if data in (None, ""):
        return {}
    if not isinstance(data, Mapping):
        raise ValidationError({"corrections": ["Corrections must be an object of field: value."]})
    errors: dict[str, list[str]] = {}
    for key in data:
        if key not in CORRECTABLE:
            errors[str(key)] = ["Only pain before, pain after and PSFS scores can be corrected."]
    cleaned: dict = {}
    for name, label in PAIN_FIELDS.items():
        if data.get(name) in (None, ""):
            continue
        try:
            cleaned[name] = entries.clean_pain(data[name], label)
        except ValidationError as exc:
            errors[name] = exc.messages
    if data.get("psfs"):
        try:
            cleaned["psfs"] = _clean_psfs(data["psfs"], note)
        except ValidationError as exc:
            errors["psfs"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


@dataclass(frozen=True)
class Corrected:
    """A note's correctable values as its latest amendments leave them.

    `psfs` rows are {"activity", "score", "amended", "signed"} (the score as signed); `amended`
    names the corrected fields.
    """

    pain_before: int | None
    pain_after: int | None
    psfs: list[dict]
    amended: frozenset[str]


def corrected(note: SessionNote, amendments: Iterable[Amendment]) -> Corrected:
    """The note's pain and PSFS scores with the latest correction of each (no query)."""
    pain = {name: getattr(note, name) for name in PAIN_FIELDS}
    signed = {entry["activity"]: entry.get("score") for entry in note.psfs}
    scores = dict(signed)
    amended: set[str] = set()
    amended_activities: set[str] = set()
    for amendment in sorted(amendments, key=lambda a: (a.created_at, a.pk or 0)):
        changes = amendment.corrections or {}
        for name in PAIN_FIELDS:
            if name in changes:
                pain[name] = changes[name]
                amended.add(name)
        for row in changes.get("psfs", []):
            if row["activity"] in scores:
                scores[row["activity"]] = row["score"]
                amended_activities.add(row["activity"])
                amended.add("psfs")
    return Corrected(
        pain_before=pain["pain_before"],
        pain_after=pain["pain_after"],
        psfs=[
            {
                "activity": name,
                "score": score,
                "amended": name in amended_activities,
                "signed": signed[name],
            }
            for name, score in scores.items()
        ],
        amended=frozenset(amended),
    )


def describe(corrections: Mapping) -> list[str]:
    """Each correction in words, for the amendment's history: "Pain after: 4"."""
    lines = [
        f"{label}: {corrections[name]}"
        for name, label in PAIN_FIELDS.items()
        if name in corrections
    ]
    lines += [f"PSFS, {row['activity']}: {row['score']}" for row in corrections.get("psfs", [])]
    return lines
