"""A client's progress: pain before and after each session, PSFS, home-care adherence.

A change of 2 points or 30% in pain is flagged as clinically meaningful (DESIGN.md), within a
session (before to after) and over the course (first session's pain before to the latest).
"""

from django.utils import timezone

from .homecare import adherence
from .models import PracticeLog, SessionNote
from .plans import active_plan

MEANINGFUL_POINTS = 2
MEANINGFUL_FRACTION = 0.3


def meaningful_change(start, end) -> bool:
    """True when pain moved by 2 points or more, or by 30% or more of where it started."""
    if start is None or end is None:
        return False
    change = abs(end - start)
    if change >= MEANINGFUL_POINTS:
        return True
    return start > 0 and change / start >= MEANINGFUL_FRACTION


def _change(start, end):
    return None if start is None or end is None else end - start


def signed_notes(client):
    """The client's signed notes, oldest first: what the progress is made of."""
    return (
        SessionNote.objects.filter(client=client, signed_at__isnull=False)
        .select_related("appointment")
        .order_by("appointment__starts_at")
    )


def pain_series(notes) -> list[dict]:
    """One point per session: pain before and after, the change and whether it is meaningful."""
    return [
        {
            "note": note.pk,
            "number": number,
            "date": note.session_on.isoformat(),
            "pain_before": note.pain_before,
            "pain_after": note.pain_after,
            "change": _change(note.pain_before, note.pain_after),
            "meaningful": meaningful_change(note.pain_before, note.pain_after),
        }
        for number, note in enumerate(notes, start=1)
    ]


def overall(series) -> dict | None:
    """First session's pain before against the latest session's."""
    scored = [point for point in series if point["pain_before"] is not None]
    if len(scored) < 2:
        return None
    first, last = scored[0]["pain_before"], scored[-1]["pain_before"]
    return {
        "baseline": first,
        "latest": last,
        "change": last - first,
        "meaningful": meaningful_change(first, last),
    }


def psfs_series(notes) -> list[dict]:
    """Each PSFS taken (baseline and every fourth session), with its average and change."""
    taken = []
    for number, note in enumerate(notes, start=1):
        scores = [a for a in note.psfs if a.get("score") is not None]
        if not scores:
            continue
        average = round(sum(a["score"] for a in scores) / len(scores), 1)
        taken.append(
            {
                "note": note.pk,
                "number": number,
                "date": note.session_on.isoformat(),
                "activities": scores,
                "average": average,
                "change": round(average - taken[0]["average"], 1) if taken else None,
            }
        )
    return taken


def progress_for(client, today=None) -> dict:
    """Everything the progress page and `GET /api/clients/<id>/progress/` show (3 queries)."""
    today = today or timezone.localdate()
    notes = list(signed_notes(client))
    series = pain_series(notes)
    plan = active_plan(client)
    practice = None
    if plan is not None:
        dates = PracticeLog.objects.filter(plan=plan).values_list("practiced_on", flat=True)
        practice = adherence(plan, list(dates), today)
    return {
        "client": client.pk,
        "sessions": series,
        "overall": overall(series),
        "psfs": psfs_series(notes),
        "adherence": practice,
    }
