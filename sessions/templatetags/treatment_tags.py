"""Treatment pieces other pages include with one line: the body map, the note link, the
client page's treatment section, the therapist's notes still to write; and the filters that
show a note's values as its amendments corrected them."""

from django import template

from clinic.accounts.roles import (
    can_read_treatment,
    can_write_treatment,
    is_the_client,
    is_visit_therapist,
    own_therapist,
)
from clinic.booking.models import AppointmentStatus
from clinic.core.clinic_time import day_bounds, today
from intake.labels import area_label, plain_note, positioning_label, technique_label

from ..bodymap import HATCH_ID, OUTLINE, OUTLINE_PAINT, SHAPES, TEXT_PAINT, VIEWBOX, paint
from ..corrections import corrected as corrected_values
from ..corrections import describe
from ..entries import NOTE_FIELDS
from ..notes import days_since_visit, is_late, unsigned_visits
from ..progress import progress_for
from ..safety import STANDING_NO_BONY_PRESSURE, code_title
from ..vocab import Progression, RegionMark, region_label

register = template.Library()


@register.inclusion_tag("treatment/_body_map.html")
def body_map(marks, form=None, skin_code=""):
    """The body map SVG with each region's mark; with a form, tappable over its radio fallback.

    `skin_code` names the rule behind affected-skin marks (PR_SKIN) in the refusal message.
    """
    marks = marks or {}
    return {
        "viewbox": VIEWBOX,
        "outline": OUTLINE,
        "outline_paint": OUTLINE_PAINT,
        "text_paint": TEXT_PAINT,
        "hatch_id": HATCH_ID,
        "shapes": [
            (shape, mark, paint(shape, mark))
            for shape, mark in ((s, marks.get(s.region, "")) for s in SHAPES)
        ],
        "form": form,
        "marks": RegionMark.choices,
        "bony_code": STANDING_NO_BONY_PRESSURE,
        "skin_code": skin_code or "MARKED_AVOID",
        "listed": [(region_label(r), RegionMark(m).label) for r, m in marks.items()],
    }


@register.inclusion_tag("treatment/_note_link.html", takes_context=True)
def note_link(context, appointment):
    """'Write note' for a visit (the note-for-appointment URL opens or starts the draft)."""
    # The visit's own therapist treats its client (roles.py agrees), so no query is needed
    # per row of a day list.
    return {
        "appointment": appointment,
        "show": appointment.status in ("checked_in", "completed")
        and is_visit_therapist(context["request"].user, appointment),
    }


def todays_visits(client, therapist):
    """The client's checked-in or completed visits with this therapist today (clinic time)."""
    start, end = day_bounds(today())
    return list(
        client.appointments.filter(
            therapist=therapist,
            starts_at__gte=start,
            starts_at__lt=end,
            status__in=[AppointmentStatus.CHECKED_IN, AppointmentStatus.COMPLETED],
        )
    )


@register.inclusion_tag("treatment/_client_section.html", takes_context=True)
def treatment_section(context, client):
    """Links to the clinical record, plan, progress and home care, for those who may read them."""
    user = context["request"].user
    can_write = can_write_treatment(user, client)
    show = can_read_treatment(user, client)
    return {
        "client": client,
        "show": show,
        # A therapist who does not treat the client may still open the record with a reason.
        "break_glass": not show and own_therapist(user) is not None,
        "can_write": can_write,
        "visits_today": todays_visits(client, user.therapist) if can_write else [],
    }


@register.inclusion_tag("treatment/_my_progress.html", takes_context=True)
def my_progress(context, client):
    """The client's own pain chart (with its table as the fallback) and home-care adherence,
    from the same progress data the therapist sees; only ever for the client themself."""
    if client is None or not is_the_client(context["request"].user, client):
        return {"client": None}
    return {"client": client, "progress": progress_for(client)}


# Enough for a backlog of several days; the oldest come first, so none is hidden for long.
CHARTING_ROWS = 30


@register.inclusion_tag("treatment/_charting_due.html")
def charting_due(therapist):
    """The therapist's past visits still waiting for a signed note, oldest first (one query)."""
    visits = unsigned_visits(therapist, limit=CHARTING_ROWS + 1)
    rows = []
    for appointment in visits[:CHARTING_ROWS]:
        note = getattr(appointment, "session_note", None)
        days = days_since_visit(appointment)
        rows.append(
            {
                "appointment": appointment,
                "note": note,
                "days": days,
                "late": note.charted_late if note else is_late(days),
            }
        )
    return {"rows": rows, "more": len(visits) > CHARTING_ROWS}


@register.filter
def corrected(note, amendments):
    """The note's pain and PSFS scores as its amendments (already loaded) corrected them."""
    return corrected_values(note, amendments or ())


@register.filter
def correction_lines(amendment):
    """An amendment's corrections in words: ["Pain after: 4", ...]."""
    return describe(amendment.corrections or {})


register.filter("region_name", region_label)


# A rule code (or the check's joined codes) in plain words: 'Pregnancy: clearance needed'.
register.filter("rule_name", code_title)


@register.filter
def technique_names(values):
    """['deep_tissue', 'trigger_point'] -> 'Deep tissue, Trigger point therapy'."""
    return ", ".join(technique_label(v) for v in values)


register.filter("positioning_name", positioning_label)


@register.filter
def area_names(values):
    return ", ".join(area_label(v) for v in values)


register.filter("note_words", plain_note)


@register.filter
def progression_name(value):
    return Progression(value).label if value in Progression.values else value


@register.filter
def words(value):
    """'gluteus_medius' -> 'gluteus medius'."""
    return str(value).replace("_", " ")


@register.filter
def note_texts(note, part):
    """(label, text) of the note's free-text fields in `part` ("soap" or "response")."""
    return [(f.label, getattr(note, f.name)) for f in NOTE_FIELDS if f.part == part]
