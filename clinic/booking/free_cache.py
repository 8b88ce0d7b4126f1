"""The availability API's answers, kept per schedule version (clinic/booking/grid_cache.py).

A week of a chain's free slots is ten thousand rows and a megabyte of JSON, the same for every
asker until the schedule changes: kept under the version, the service, the therapist asked for,
the range and the clinic's zone. Time alone only takes slots away (a start that has passed is no
longer offered; nothing new frees up), so a kept answer serves until its first slot starts,
and is worked out anew from then on.
"""

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from clinic.core.clinic_time import clinic_zone

from .grid_cache import KEEP_SECONDS, schedule_version


def _key(data) -> str:
    therapist = data.get("therapist")
    return ":".join(
        [
            "booking:free",
            str(schedule_version()),
            clinic_zone().key,
            str(data["service"].pk),
            str(therapist.pk if therapist else ""),
            data["start"].isoformat(),
            data["end"].isoformat(),
        ]
    )


def kept_free_slots(data, work_out):
    """The JSON response for a validated availability query: kept, or `work_out()`'s slots
    written out (and kept)."""
    key = _key(data)
    kept = cache.get(key)
    if kept is None or (kept[0] is not None and kept[0] <= timezone.now().timestamp()):
        rows, first_start = work_out()
        kept = (first_start.timestamp() if first_start else None, JSONRenderer().render(rows))
        cache.set(key, kept, KEEP_SECONDS)
    return HttpResponse(kept[1], content_type="application/json")
