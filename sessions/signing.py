"""The canonical content of a note and its SHA-256, so a signed note can be shown unchanged."""

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from .entries import NOTE_FIELD_NAMES
from .models import Amendment, SessionNote


def _digest(content: dict[str, Any]) -> str:
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def note_content(note: SessionNote) -> dict[str, Any]:
    """The note as signed: who it is about, which visit, its fields, and who signed when."""
    return {
        "note": note.pk,
        "client": note.client_id,
        "appointment": note.appointment_id,
        "therapist": note.therapist_id,
        "session_on": note.session_on.isoformat(),
        # Every field the therapist writes. A field added to NOTE_FIELDS changes the hash of
        # notes signed before it, so such a change needs a plan for their verification.
        **{name: getattr(note, name) for name in NOTE_FIELD_NAMES},
        "signed_by": note.signed_by_id,
        "signed_at": note.signed_at.isoformat() if note.signed_at else None,
    }


def note_hash(note: SessionNote) -> str:
    """SHA-256 (hex) of the note's canonical content."""
    return _digest(note_content(note))


def amendment_hash(amendment: Amendment, previous_hash: str) -> str:
    """SHA-256 over the previous link (the note's or last amendment's hash) and this amendment."""
    content: dict[str, Any] = {
        "previous": previous_hash,
        "note": amendment.note_id,
        "author": amendment.author_id,
        "created_at": amendment.created_at.isoformat(),
        "reason": amendment.reason,
        "text": amendment.text,
    }
    # Hashed only when present, so amendments made before corrections existed still verify.
    if amendment.corrections:
        content["corrections"] = amendment.corrections
    return _digest(content)


def verify(note: SessionNote, amendments: Iterable[Amendment]) -> bool:
    """True when the note and its amendments, in order, still match their stored hashes."""
    if note_hash(note) != note.content_hash:
        return False
    previous = note.content_hash
    for amendment in amendments:
        if amendment_hash(amendment, previous) != amendment.content_hash:
            return False
        previous = amendment.content_hash
    return True
