"""PDFs of a signed note and of a client's whole record (WeasyPrint, DejaVu fonts)."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.accounts.roles import role_required
from clinic.audit.log import record
from clinic.audit.models import AuditAction
from clinic.core.models import ClinicSettings

from .access import client_for, note_for
from .models import Amendment
from .views import record_context


def render_pdf(request, template, context, filename):
    """Render a template to a PDF download; links and images resolve against this site."""
    context = {
        **context,
        "clinic": ClinicSettings.load(),
        "printed_at": timezone.localtime(),
        "printed_by": request.user,
    }
    # Imported here: WeasyPrint parses its stylesheets on import, which every command would pay.
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(Role.THERAPIST, Role.CLINIC_ADMIN)
def note_pdf(request, pk):
    """A signed note with its amendments, for a referral or a record request."""
    # Audited below, once the PDF is really made: a draft only redirects.
    note = note_for(request, pk, audit=False)
    if not note.is_signed:
        return redirect("note-edit", note.pk)
    record(request, AuditAction.EXPORT, note, detail="note PDF")
    return render_pdf(
        request,
        "treatment/pdf/note.html",
        {
            "note": note,
            "client": note.client,
            # A list: the note's content reads the corrections from it, then lists it.
            "amendments": list(note.amendments.select_related("author")),
        },
        f"note-{note.pk}-{note.session_on}.pdf",
    )


@role_required(Role.THERAPIST, Role.CLINIC_ADMIN)
def record_pdf(request, client_id):
    """The client's full record: screening, plans, signed notes with amendments, progress."""
    client = client_for(request, client_id, audit=AuditAction.EXPORT, detail="record PDF")
    context = record_context(client)
    signed = [n for n in context["notes"] if n.is_signed]
    amendments = {}
    for amendment in Amendment.objects.filter(note__in=[n.pk for n in signed]).select_related(
        "author"
    ):
        amendments.setdefault(amendment.note_id, []).append(amendment)
    context["signed_notes"] = [(n, amendments.get(n.pk, [])) for n in reversed(signed)]
    return render_pdf(
        request,
        "treatment/pdf/record.html",
        context,
        f"record-{client.pk}-{timezone.localdate()}.pdf",
    )
