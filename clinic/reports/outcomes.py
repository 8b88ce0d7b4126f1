"""Outcomes over a client's first six visits: did pain fall meaningfully, and PSFS change?

The cohort is the clients whose first signed session note falls in the period. Pain is the
score a client arrives with (pain before, as the latest amendment corrected it); it fell
meaningfully when the lowest of visits 2 to 6 is 2 points or 30% below visit 1's (the rule of
sessions/progress.py). PSFS change is the average score at the last PSFS taken within those six
visits minus the baseline's (signed scores). Clients with one scored visit are not judged yet.
"""

from collections import defaultdict
from statistics import mean

from django.db.models import F, IntegerField, Min, OuterRef, Subquery, Window
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, RowNumber

from sessions.models import Amendment, SessionNote
from sessions.progress import meaningful_change

from .period import Period
from .tables import Section, Table, rate

FIRST_VISITS = 6


def _corrected_pain_before():
    latest = (
        Amendment.objects.filter(note=OuterRef("pk"), corrections__has_key="pain_before")
        .order_by("-created_at", "-id")
        .annotate(value=Cast(KeyTextTransform("pain_before", "corrections"), IntegerField()))
        .values("value")[:1]
    )
    return Coalesce(Subquery(latest), F("pain_before"), output_field=IntegerField())


def first_visit_notes(period: Period, therapist=None) -> dict[int, list[tuple]]:
    """Per cohort client, (pain before, PSFS) of their first six signed notes in order (one
    query)."""
    signed = SessionNote.objects.filter(signed_at__isnull=False)
    firsts = signed.values("client").annotate(first=Min("session_on"))
    cohort = firsts.filter(first__gte=period.start, first__lte=period.end)
    if therapist is not None:
        cohort = cohort.filter(therapist=therapist)
    notes = (
        signed.filter(client__in=cohort.values("client"))
        .annotate(
            number=Window(
                RowNumber(),
                partition_by=[F("client_id")],
                order_by=[F("appointment__starts_at").asc(), F("id").asc()],
            ),
            pain=_corrected_pain_before(),
        )
        .filter(number__lte=FIRST_VISITS)
        .order_by("client_id", "number")
        .values_list("client_id", "pain", "psfs")
    )
    by_client: dict[int, list[tuple]] = defaultdict(list)
    for client_id, pain, psfs in notes:
        by_client[client_id].append((pain, psfs))
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
