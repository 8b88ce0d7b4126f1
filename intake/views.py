"""Intake pages: the client's form (by emailed link or logged in), the confirmation, the
client's upload of a clearance note, and the staff actions on a client's page (send the link,
check-in, clearances, alerts)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from clinic.accounts.models import Client
from clinic.accounts.roles import (
    ALL,
    CLINICAL,
    STAFF,
    Role,
    can_manage_screening,
    can_record_screening,
    can_view_client_contact,
    has_role,
    is_staff_member,
    role_required,
    treatment_refusal,
)
from clinic.core.errors import DomainError, add_error_to_form
from clinic.core.inputs import parse_id
from clinic.core.ratelimits import rate_limited

from . import services
from .access import document_read
from .answers import PREGNANCY_DETAIL_KEYS
from .clearance import what_to_bring
from .forms import BOOL_VALUES, ClearanceForm, ClearanceUploadForm, IntakeForm
from .links import LinkUnusable, read_token
from .models import Clearance, ClearanceUpload
from .screening import Outcome
from .status import screening_status
from .upload_links import read_upload_token, upload_path

SUBMITTED = "intake-submitted"
CHANGED = "Thank you. The intake form is open again: it needs filling in before treatment."
UNCHANGED = "Thank you. The intake on file still counts."


def _fill(request, client, link=None):
    """Show the form, or store the intake and go to the confirmation."""
    form = IntakeForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        try:
            intake = services.submit_intake(client, form.to_answers(), request.user, link=link)
        except services.InvalidInput as exc:
            add_error_to_form(form, exc)
        else:
            request.session[SUBMITTED] = {
                "first_name": client.first_name,
                "refer": intake.outcome == Outcome.REFER,
                "bring": what_to_bring(intake.findings),
                # Without a login, the link is the client's way back to upload the note.
                "upload_url": upload_path(intake) if link is not None else "",
            }
            return redirect("intake-thanks")
    return render(
        request,
        "intake/form.html",
        {"form": form, "client": client, "pregnancy_detail_keys": PREGNANCY_DETAIL_KEYS},
        status=400 if form.errors else 200,
    )


@rate_limited("link", methods=("GET", "POST"))
@rate_limited("intake")
def link_form(request, token):
    """The intake form reached from an emailed link: no login, one successful submission."""
    try:
        link = read_token(token)
        return _fill(request, link.client, link=link)
    except LinkUnusable as exc:
        return render(
            request, "intake/link_unusable.html", {"reason": exc.reason}, status=exc.status
        )


@role_required(Role.CLIENT)
@rate_limited("intake")
def my_form(request):
    """The intake form for a logged-in client, for themselves."""
    client = Client.objects.filter(user=request.user).first()
    if client is None:
        return render(request, "intake/not_linked.html")
    return _fill(request, client)


def thanks(request):
    """A calm confirmation: never the findings, only the advice to see a doctor on `refer`
    and, on `clearance`, the provider's note to bring (logged-in clients can upload it)."""
    return render(
        request,
        "intake/thanks.html",
        {
            "submitted": request.session.get(SUBMITTED),
            "can_upload": has_role(request.user, Role.CLIENT),
        },
    )


def _upload(request, client, *, back_to, logged_in):
    """Show what to bring and the upload form, or store the note and go to `back_to`."""
    form = ClearanceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.upload_clearance_document(
                client, document=form.cleaned_data["document"], by_user=request.user
            )
        except DomainError as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(
                request, "Thank you, your note has reached the clinic. Your therapist will read it."
            )
            return redirect(back_to)
    status = screening_status(client)
    bring = what_to_bring(status.intake.findings) if status.intake else []
    return render(
        request,
        "intake/my_clearance.html",
        {"form": form, "bring": bring, "logged_in": logged_in},
        status=400 if form.errors else 200,
    )


@role_required(Role.CLIENT)
def my_clearance(request):
    """The client uploads their provider's note for their own `clearance` screening; it waits
    for their therapist's review and lifts nothing by itself."""
    client = Client.objects.filter(user=request.user).first()
    if client is None:
        return render(request, "intake/not_linked.html")
    return _upload(request, client, back_to=reverse("client-home"), logged_in=True)


@rate_limited("link", methods=("GET", "POST"))
def link_clearance(request, token):
    """The same upload for a client who filled the form from an emailed link (no login): the
    signed link from their confirmation page names the intake, so only its client is reached."""
    try:
        intake = read_upload_token(token)
    except LinkUnusable as exc:
        return render(
            request, "intake/link_unusable.html", {"reason": exc.reason}, status=exc.status
        )
    return _upload(request, intake.client, back_to=request.path, logged_in=False)


@require_POST
@role_required(*STAFF)
def send_link(request, pk):
    client = get_object_or_404(Client, pk=pk)
    try:
        link = services.send_intake_link(client, request.user, request.build_absolute_uri("/"))
    except services.InvalidInput as exc:
        messages.error(request, exc.errors["email"][0])
    else:
        messages.success(request, f"Intake link sent to {link.sent_to}.")
    return redirect(client)


@require_POST
@role_required(*ALL)
def check_in(request, pk):
    """ "Has anything changed since the last intake?", asked by staff or by the client."""
    client = get_object_or_404(Client, pk=pk)
    if not can_view_client_contact(request.user, client):
        raise PermissionDenied
    answer = BOOL_VALUES.get(request.POST.get("changed"))
    try:
        services.record_check_in(client, answer, request.user)
    except services.InvalidInput as exc:
        messages.error(request, exc.errors["changed"][0])
    else:
        messages.success(request, CHANGED if answer else UNCHANGED)
    return redirect(client if is_staff_member(request.user) else reverse("client-home"))


@role_required(*CLINICAL)
def add_clearance(request, pk):
    """Record a provider's clearance for a client of this therapist (or any client, for admins)."""
    client = get_object_or_404(Client, pk=pk)
    if not can_record_screening(request.user, client):
        raise PermissionDenied
    form = ClearanceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_clearance(client, by_user=request.user, **form.cleaned_data)
        except services.InvalidInput as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, "Clearance recorded.")
            return redirect(client)
    return render(
        request,
        "intake/clearance_form.html",
        {"form": form, "client": client},
        status=400 if form.errors else 200,
    )


@role_required(*CLINICAL)
def clearance_document(request, pk):
    """The clearance's file, for those who may read the client's screening (never public)."""
    clearance = get_object_or_404(Clearance.objects.select_related("client"), pk=pk)
    if not can_manage_screening(request.user, clearance.client):
        raise treatment_refusal(request.user, clearance.client)
    if not clearance.document:
        raise Http404("This clearance has no document.")
    document_read(request, clearance)
    return FileResponse(clearance.document.open("rb"), as_attachment=False)


@role_required(*CLINICAL)
def upload_document(request, pk):
    """A document the client uploaded, for those who may read their screening (never public)."""
    upload = get_object_or_404(ClearanceUpload.objects.select_related("client"), pk=pk)
    if not can_manage_screening(request.user, upload.client):
        raise treatment_refusal(request.user, upload.client)
    document_read(request, upload)
    return FileResponse(upload.document.open("rb"), as_attachment=False)


@require_POST
@role_required(*STAFF)
def alerts_seen(request):
    ids = [pk for pk in map(parse_id, request.POST.getlist("alert")) if pk is not None]
    services.mark_alerts_seen(request.user, ids)
    return redirect("home")
