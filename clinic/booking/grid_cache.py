"""The day and week grids, rendered once per version of the schedule and kept in the cache.

A grid's HTML is most of what its page costs (a hundred visit cards, each with its badge and
buttons), and it changes only when the schedule does. So it is kept under a key naming
everything that changes what it shows:

- the schedule's version, a counter bumped whenever a visit, working hours, time off, a
  closure, therapist, client, service (or who offers it), room, intake, clearance or check-in
  is written (receivers in `connect_receivers`, run from the app's `ready`; the availability
  API's kept answers, clinic/booking/free_cache.py, use it too): immediately, for the writing
  request and tests, and again on commit, so a render that read the old rows in between is
  never kept under the new version;
- who looks: the desk and admins see the same buttons, anyone else their own (a therapist may
  complete only their own visits), so other users get their own copy;
- the page's full path (date, week, therapist, page of lanes, `show`, the highlighted free
  time; it is also where the buttons return), and the clinic's time zone and language.

Time alone changes a grid too: a visit's No-show button appears once it starts, Check in on its
day, a screening badge turns "expired" when the intake lapses. Each copy keeps the first such
moment after it was drawn and is drawn anew from then on.

The CSRF token is the user's own: copies hold a placeholder, replaced on the way out.
"""

import hashlib
import time
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from clinic.accounts.roles import can_manage_bookings, role_of
from clinic.core.clinic_time import at_local, clinic_zone, local_date

VERSION_KEY = "booking:schedule-version"
CSRF_PLACEHOLDER = "csrf-token-placeholder-5f3a"
# A copy no page asked for in this long makes room for others.
KEEP_SECONDS = 15 * 60
LIVE = frozenset({"booked", "confirmed"})


def schedule_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # Never back to a number used before: a counter the cache dropped starts past them.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def retire_kept_grids() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there (dropped or never set): any new number retires old copies
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)


def schedule_changed(**kwargs) -> None:
    """Retire every kept grid: now, and once more when the writing transaction commits."""
    if kwargs.get("update_fields") == frozenset({"last_login"}):
        return  # a sign-in changes nothing a grid shows
    retire_kept_grids()
    connection = transaction.get_connection()
    # Once per transaction however many rows it writes (Django keeps (savepoints, callback,
    # robust) per registration); outside one, on_commit runs it at once.
    if not any(func is retire_kept_grids for _, func, _ in connection.run_on_commit):
        transaction.on_commit(retire_kept_grids)


def connect_receivers() -> None:
    from clinic.accounts.models import Client, Therapist, User
    from intake.models import Clearance, Intake, IntakeCheckIn

    from .models import Appointment, Closure, Room, Service, TimeOff, WorkingHours
    from .signals import appointment_changed

    appointment_changed.connect(schedule_changed, dispatch_uid="grid-cache-visit")
    for model in (
        Appointment,
        WorkingHours,
        TimeOff,
        Room,
        Service,
        Closure,
        Therapist,
        User,
        Client,
        Intake,
        Clearance,
        IntakeCheckIn,  # a check-in that changed the answers retires the intake in bulk
    ):
        for signal in (post_save, post_delete):
            signal.connect(schedule_changed, sender=model, dispatch_uid=f"grid-cache-{model}")
    # Who offers a service and which rooms suit it: the free slots (clinic/booking/free_cache).
    for through in (Service.therapists.through, Room.services.through):
        m2m_changed.connect(schedule_changed, sender=through, dispatch_uid=f"grid-cache-{through}")


def _key(request, own_lanes: bool) -> str:
    user = request.user
    # The desk and admins see the same buttons; an admin may also renew a feed address, and the
    # owner of the lanes shown gets a link to their feed. Anyone else sees their own.
    if can_manage_bookings(user):
        viewer = f"{role_of(user)}{'-own' if own_lanes else ''}"
    else:
        viewer = f"user-{user.pk}"
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    zone, language = clinic_zone().key, translation.get_language()
    return f"booking:grid:{schedule_version()}:{viewer}:{zone}:{language}:{path}"


def _redraw_at(grid, now: datetime) -> float:
    """The first moment after `now` at which time alone changes what `grid` shows."""
    moments = [at_local(local_date(now) + timedelta(days=1), datetime.min.time())]
    for visit in grid.visits:
        if visit.status in LIVE and visit.starts_at > now:
            moments.append(visit.starts_at)
        intake = getattr(visit.screening, "intake", None)
        if intake is not None and intake.valid_until > now:
            moments.append(intake.valid_until)
    return min(moments).timestamp()


def cached_grid(request, draw, *, own_lanes: bool = False):
    """The page's HTML around its grid: a kept copy, or what `draw(csrf_token)` returns
    (html, grid), kept for the next request. `own_lanes`: the lanes shown are the viewer's."""
    key = _key(request, own_lanes)
    kept = cache.get(key)
    if kept is None or kept[0] <= timezone.now().timestamp():
        html, grid = draw(CSRF_PLACEHOLDER)
        kept = (_redraw_at(grid, timezone.now()), html)
        cache.set(key, kept, KEEP_SECONDS)
    html = kept[1]
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    # Our own templates, already escaped when drawn; the token is [A-Za-z0-9] only.
    return mark_safe(html)  # nosec B308 B703
