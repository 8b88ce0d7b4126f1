"""A client's progress: pain before and after each session, PSFS, home-care adherence.

A change of 2 points or 30% in pain is flagged as clinically meaningful (DESIGN.md), within a
session (before to after) and over the course (first session's pain before to the latest). Scores
corrected by an amendment count as corrected and are marked `amended` (sessions/corrections.py).
"""

from django.utils import timezone

from .corrections import corrected
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
    """The client's signed notes, oldest first, with their amendments: what progress is made of."""
    return (
        SessionNote.objects.filter(client=client, signed_at__isnull=False)
        # Only the scores and dates progress reads: years of SOAP text and body maps stay put.
        .only("client_id", "session_on", "pain_before", "pain_after", "psfs")
        .prefetch_related("amendments")
        .order_by("appointment__starts_at")
    )


def pain_series(notes) -> list[dict]:
    """One point per session: pain before and after (as last corrected), the change and whether
    it is meaningful; `amended_fields` names the corrected scores."""
    series = []
    for number, note in enumerate(notes, start=1):
        values = corrected(note, note.amendments.all())
        amended = sorted(values.amended & {"pain_before", "pain_after"})
        series.append(
            {
                "note": note.pk,
                "number": number,
                "date": note.session_on.isoformat(),
                "pain_before": values.pain_before,
                "pain_after": values.pain_after,
                "change": _change(values.pain_before, values.pain_after),
                "meaningful": meaningful_change(values.pain_before, values.pain_after),
                "amended": bool(amended),
                "amended_fields": amended,
            }
        )
    return series


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
    """Each PSFS taken (baseline and every fourth session, scores as last corrected), with its
    average and change."""
    taken = []
    for number, note in enumerate(notes, start=1):
        psfs = corrected(note, note.amendments.all()).psfs
        scores = [a for a in psfs if a["score"] is not None]
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
                "amended": any(a["amended"] for a in scores),
            }
        )
    return taken


def progress_for(client, today=None) -> dict:
    """Everything the progress page and `GET /api/clients/<id>/progress/` show (4 queries)."""
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
