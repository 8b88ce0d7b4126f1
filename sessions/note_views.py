"""Session note pages: open from a visit, edit with autosave, sign, read, amend."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clinic.accounts.models import Role
from clinic.accounts.roles import can_write_treatment, role_required
from clinic.audit.log import Origin
from clinic.core.errors import add_error_to_form
from intake.status import screening_status

from . import homecare, signing
from . import notes as note_service
from .access import note_for, view_on_get, visit_for_charting
from .forms import AmendmentForm, NoteForm
from .models import SessionNote
from .safety import SafetyError

CLINICAL = (Role.THERAPIST, Role.CLINIC_ADMIN)


@role_required(Role.THERAPIST)
def note_for_appointment(request, appointment_id):
    """One tap from the day list: open the visit's note, starting a draft if there is none."""
    appointment = visit_for_charting(request, appointment_id)
    try:
        note, created = note_service.start_note(appointment, Origin.of(request))
    except note_service.NoteExists:
        # Started a moment ago (another tab, a double tap): open that one.
        note = SessionNote.objects.get(appointment=appointment)
    except (SafetyError, note_service.NoteRefused) as refused:
        return render(
            request,
            "treatment/note_refused.html",
            {"appointment": appointment, "reason": str(refused), "code": refused.code},
            status=409,
        )
    if note.is_signed:
        return redirect("note-detail", note.pk)
    return redirect("note-edit", note.pk)


def _note_page(request, note, form, status=200):
    screening = screening_status(note.client)
    number = note_service.session_number(note)
    return render(
        request,
        "treatment/note_form.html",
        {
            "note": note,
            "client": note.client,
            "form": form,
            "screening": screening,
            "precautions": homecare.precautions_for(screening.restrictions),
            "session_number": number,
            "psfs_due": note_service.psfs_due(number) or bool(note.psfs),
        },
        status=status,
    )


@role_required(Role.THERAPIST)
def note_edit(request, pk):
    note = note_for(request, pk, charting=True, audit=view_on_get(request))
    if note.is_signed:
        messages.info(request, "This note is signed: add an amendment instead.")
        return redirect("note-detail", note.pk)
    if request.method == "GET":
        return _note_page(request, note, NoteForm(note=note))
    form = NoteForm(request.POST, note=note)
    if not form.is_valid():
        return _note_page(request, note, form, status=400)
    origin = Origin.of(request)
    try:
        note_service.save_draft(note, form.note_data(), origin)
        if request.POST.get("action") in ("review", "sign"):
            # Signing locks the note for good, so it is confirmed on its own page first.
            return redirect("note-sign", note.pk)
    except (SafetyError, ValidationError, note_service.NoteRefused) as error:
        add_error_to_form(form, error)
        return _note_page(request, note, form, status=400)
    except note_service.NoteLocked as locked:
        messages.error(request, str(locked))
        return redirect("note-detail", note.pk)
    messages.success(request, "Draft saved.")
    return redirect("note-edit", note.pk)


@role_required(Role.THERAPIST)
def note_sign(request, pk):
    """GET: what signing will lock, with the one button that signs. POST: sign the draft."""
    note = note_for(request, pk, charting=True, audit=view_on_get(request))
    if note.is_signed:
        return redirect("note-detail", note.pk)
    if request.method == "GET":
        # A draft has no amendments; the shared note content reads them all the same.
        context = {"note": note, "client": note.client, "amendments": []}
        return render(request, "treatment/note_sign.html", context)
    try:
        note_service.sign_note(note, Origin.of(request))
    except (SafetyError, ValidationError, note_service.NoteRefused) as refused:
        messages.error(request, f"Not signed: {refused}")
        return redirect("note-edit", note.pk)
    except note_service.NoteLocked as locked:
        messages.error(request, str(locked))
        return redirect("note-detail", note.pk)
    messages.success(request, "Note signed.")
    return redirect("note-detail", note.pk)


@require_POST
@role_required(Role.THERAPIST)
def note_autosave(request, pk):
    """htmx, as the therapist types: save what is valid and safe, say what was not saved."""
    note = note_for(request, pk, charting=True)
    form = NoteForm(request.POST, note=note)
    form.is_valid()
    problems = [str(e) for e in form.non_field_errors()] + [
        f"{form.fields[name].label}: {' '.join(errors)}"
        for name, errors in form.errors.items()
        if name != "__all__"
    ]
    skip = set()
    saved = False
    origin = Origin.of(request)
    while not saved:
        try:
            note_service.save_draft(note, form.note_data(skip), origin, detail="autosave")
            saved = True
        except SafetyError as refused:
            parts = {v.part for v in refused.violations}
            problems += [v.html() for v in refused.violations]
            if "client" in parts or parts <= skip:
                break
            # Keep the rest of the draft; the refused part waits until it is safe.
            skip |= parts
        except note_service.NoteLocked as locked:
            problems.append(str(locked))
            break
    return render(
        request,
        "treatment/_autosave_status.html",
        {
            "saved_at": timezone.localtime() if saved else None,
            "partial": bool(skip),
            "problems": list(dict.fromkeys(problems)),
        },
    )


def _detail_context(note, can_write, form):
    amendments = list(note.amendments.select_related("author"))
    return {
        "note": note,
        "client": note.client,
        "amendments": amendments,
        "intact": note.is_signed and signing.verify(note, amendments),
        "can_write": can_write,
        "form": form,
    }


@role_required(*CLINICAL)
def note_detail(request, pk):
    note = note_for(request, pk)
    form = AmendmentForm(note=note)
    context = _detail_context(note, can_write_treatment(request.user, note.client), form)
    return render(request, "treatment/note_detail.html", context)


@require_POST
@role_required(Role.THERAPIST)
def note_amend(request, pk):
    note = note_for(request, pk, write=True)
    form = AmendmentForm(request.POST, note=note)
    if form.is_valid():
        try:
            note_service.add_amendment(
                note,
                Origin.of(request),
                form.cleaned_data["reason"],
                form.cleaned_data["text"],
                corrections=form.corrections(),
            )
        except (ValidationError, note_service.NoteRefused) as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, "Amendment added.")
            return redirect("note-detail", note.pk)
    return render(
        request, "treatment/note_detail.html", _detail_context(note, True, form), status=400
    )
