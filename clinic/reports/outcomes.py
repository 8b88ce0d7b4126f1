"""Outcomes over a client's first six visits: did pain fall meaningfully, and PSFS change?

The cohort is the clients whose first signed session note falls in the period. Pain is the
score a client arrives with (pain before, as the latest amendment corrected it); it fell
meaningfully when the lowest of visits 2 to 6 is 2 points or 30% below visit 1's (the rule of
sessions/progress.py). PSFS change is the average score at the last PSFS taken within those six
visits minus the baseline's (signed scores). Clients with one scored visit are not judged yet.
"""

from collections import defaultdict
from statistics import mean

from django.db.models import Exists, F, IntegerField, OuterRef, Window
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, RowNumber

from sessions.models import Amendment, SessionNote
from sessions.progress import meaningful_change

from .period import Period
from .tables import Section, Table, rate

FIRST_VISITS = 6


def _corrections(notes) -> dict[int, int]:
    """The latest corrected pain before per note, for the few notes an amendment corrected (one
    query)."""
    amended = (
        Amendment.objects.filter(note__in=notes, corrections__has_key="pain_before")
        .order_by("note", "created_at", "id")
        .annotate(value=Cast(KeyTextTransform("pain_before", "corrections"), IntegerField()))
        .values_list("note", "value")
    )
    return dict(amended)  # later amendments overwrite earlier ones


def first_visit_notes(period: Period, therapist=None) -> dict[int, list[tuple]]:
    """Per cohort client, (pain before, PSFS) of their first six signed notes in order (two
    queries)."""
    signed = SessionNote.objects.filter(signed_at__isnull=False)
    earlier = signed.filter(client=OuterRef("client"), session_on__lt=period.start)
    # Notes in the period of clients with none before it: read by (client, session_on), so the
    # cost follows the period, not the whole history.
    cohort = signed.filter(session_on__gte=period.start, session_on__lte=period.end).filter(
        ~Exists(earlier)
    )
    if therapist is not None:
        cohort = cohort.filter(therapist=therapist)
    cohort_notes = signed.filter(client__in=cohort.values("client"))
    notes = (
        cohort_notes.annotate(
            number=Window(
                RowNumber(),
                partition_by=[F("client_id")],
                order_by=[F("session_on").asc(), F("id").asc()],
            ),
        )
        .filter(number__lte=FIRST_VISITS)
        .order_by("client_id", "number")
        .values_list("pk", "client_id", "pain_before", "psfs")
    )
    rows = list(notes)
    corrected = _corrections(cohort_notes.values("pk"))
    by_client: dict[int, list[tuple]] = defaultdict(list)
    for pk, client_id, pain, psfs in rows:
        by_client[client_id].append((corrected.get(pk, pain), psfs))
    return by_client


def _psfs_average(psfs) -> float | None:
    scores = [entry.get("score") for entry in psfs or [] if isinstance(entry, dict)]
    scores = [score for score in scores if isinstance(score, int | float)]
    return mean(scores) if scores else None


def figures(period: Period, therapist=None) -> dict:
    clients = first_visit_notes(period, therapist)
    judged = improved = 0
    psfs_changes = []
    for visits in clients.values():
        baseline = visits[0][0]
        later = [pain for pain, _ in visits[1:] if pain is not None]
        if baseline is not None and later:
            judged += 1
            lowest = min(later)
            improved += lowest < baseline and meaningful_change(baseline, lowest)
        taken = [a for a in (_psfs_average(psfs) for _, psfs in visits) if a is not None]
        if len(taken) >= 2:
            psfs_changes.append(taken[-1] - taken[0])
    return {
        "clients": len(clients),
        "judged": judged,
        "improved": improved,
        "improved_rate": rate(improved, judged),
        "psfs_clients": len(psfs_changes),
        "psfs_change": round(mean(psfs_changes), 1) if psfs_changes else None,
    }


def section(period: Period, therapist=None) -> Section:
    result = figures(period, therapist)
    rows = [
        ("Clients who started treatment in the period", result["clients"]),
        ("Clients with pain scored at two visits or more", result["judged"]),
        ("Pain fell by 2 points or 30% within 6 visits", result["improved"]),
        ("Pain fell meaningfully (%)", result["improved_rate"]),
        ("Clients with two PSFS or more", result["psfs_clients"]),
        ("Average PSFS change (points, 0–10)", result["psfs_change"]),
    ]
    table = Table(
        "outcomes",
        "Outcomes within the first 6 visits of clients who started in the period",
        [("measure", "Measure"), ("value", "Value")],
        [{"measure": label, "value": value} for label, value in rows],
    )
    return Section("outcomes", "Outcomes", figures=rows, tables=[table])
