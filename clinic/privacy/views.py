"""The clinic admin's privacy pages: a client's record export, access requests, retention and
the breach register. Thin: each view validates and calls the domain module."""

import json

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from clinic.accounts.models import Client
from clinic.accounts.roles import PRIVACY, role_required
from clinic.core.errors import DomainError, add_error_to_form
from clinic.core.inputs import parse_id
from clinic.core.models import ClinicSettings
from sessions.pdf import render_pdf

from . import access_requests, breaches, retention
from .export import export_record
from .fhir import record_bundle
from .forms import (
    AccessRequestForm,
    AffectedForm,
    BreachForm,
    DestroyForm,
    FulfilForm,
    ReportedForm,
)
from .models import AccessRequest, Breach, DestructionLog, ExportFormat, RecordExport

LIST_LIMIT = 100
privacy_officer = role_required(*PRIVACY)


@privacy_officer
def home(request):
    """What is due, and a client's privacy page by their number."""
    if "client" in request.GET:
        client_id = parse_id(request.GET["client"])
        if client_id is not None and Client.objects.filter(pk=client_id).exists():
            return redirect("privacy-client", client_id)
        messages.error(request, "No client has that number.")
    return render(
        request,
        "privacy/home.html",
        {
            "due": list(access_requests.due_requests()[:LIST_LIMIT]),
            "today": timezone.localdate(),
            "retention_due": len(retention.retention_due()),
            "breaches": Breach.objects.count(),
        },
    )


@privacy_officer
def client_page(request, pk):
    """A client's exports and requests, with the buttons that export the whole record."""
    return _client_page(request, get_object_or_404(Client, pk=pk))


def _client_page(request, client, refusal=None):
    """The client's privacy page; with a refusal, shown above it and answered with its status."""
    return render(
        request,
        "privacy/client.html",
        {
            "client": client,
            "exports": list(client.record_exports.select_related("made_by")[:LIST_LIMIT]),
            "requests": list(client.access_requests.all()[:LIST_LIMIT]),
            "destroyed": DestructionLog.objects.filter(client_id=client.pk).first(),
            "refusal": refusal,
        },
        status=refusal.status if refusal else 200,
    )


# Atomic: the export and its audit row stand only if the file was made.
@privacy_officer
@require_POST
@transaction.atomic
def export_pdf(request, pk):
    client = get_object_or_404(Client, pk=pk)
    export, record = export_record(client=client, format=ExportFormat.PDF, by=request)
    return render_pdf(
        request,
        "privacy/pdf/record.html",
        {"record": record, "client": client, "export": export},
        f"record-{client.pk}-{timezone.localdate()}-export-{export.pk}.pdf",
    )


@privacy_officer
@require_POST
@transaction.atomic
def export_fhir(request, pk):
    client = get_object_or_404(Client, pk=pk)
    export, record = export_record(client=client, format=ExportFormat.FHIR, by=request)
    response = HttpResponse(
        json.dumps(record_bundle(record)),
        content_type="application/fhir+json",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="record-{client.pk}-export-{export.pk}.fhir.json"'
    )
    return response


@privacy_officer
@require_http_methods(["GET", "POST"])
def request_list(request):
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        client = Client.objects.filter(pk=data["client"]).first()
        if client is None:
            form.add_error("client", "No client has that number.")
        else:
            try:
                access_requests.log_request(
                    client=client,
                    kind=data["kind"],
                    received_on=data["received_on"],
                    notes=data["notes"],
                    by=request,
                )
            except DomainError as error:
                add_error_to_form(form, error)
            else:
                messages.success(request, "Request logged.")
                return redirect("privacy-requests")
    status = 400 if form.errors else 200
    return render(
        request,
        "privacy/requests.html",
        {
            "form": form,
            "open": list(access_requests.open_requests()[:LIST_LIMIT]),
            "fulfilled": list(
                AccessRequest.objects.filter(fulfilled_at__isnull=False)
                .select_related("client", "export")
                .order_by("-fulfilled_at")[:LIST_LIMIT]
            ),
            "today": timezone.localdate(),
        },
        status=status,
    )


@privacy_officer
@require_POST
def request_fulfil(request, pk):
    access_request = get_object_or_404(AccessRequest.objects.select_related("client"), pk=pk)
    form = FulfilForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("Choose an export from the list.", code="UNKNOWN_EXPORT")
        export = None
        if form.cleaned_data["export"]:
            export = RecordExport.objects.filter(pk=form.cleaned_data["export"]).first()
            if export is None:
                raise DomainError("No export has that number.", code="UNKNOWN_EXPORT")
        access_requests.fulfil_request(access_request=access_request, export=export, by=request)
    except DomainError as error:
        return _client_page(request, access_request.client, refusal=error)
    messages.success(request, "Request marked fulfilled.")
    return redirect("privacy-client", access_request.client_id)


@privacy_officer
def retention_list(request):
    due = retention.retention_due()
    return render(
        request,
        "privacy/retention.html",
        {
            "due": due[:LIST_LIMIT],
            "more": max(0, len(due) - LIST_LIMIT),
            "years": ClinicSettings.load().retention_years,
            "destroyed": list(DestructionLog.objects.select_related("destroyed_by")[:LIST_LIMIT]),
            "old_breaches": retention.breaches_past_keeping(),
        },
    )


@privacy_officer
@require_http_methods(["GET", "POST"])
def destroy(request, pk):
    client = get_object_or_404(Client, pk=pk)
    form = DestroyForm(request.POST or None, client_id=client.pk)
    if request.method == "POST" and form.is_valid():
        try:
            retention.destroy_record(client=client, by=request)
        except DomainError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, f"The record of client {client.pk} was destroyed.")
            return redirect("privacy-retention")
    return render(
        request,
        "privacy/destroy.html",
        {"client": client, "form": form, "retention": retention.retention_for(client)},
        status=400 if form.errors else 200,
    )


@privacy_officer
@require_http_methods(["GET", "POST"])
def breach_list(request):
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            breach = breaches.record_breach(**form.cleaned_data, by=request)
        except DomainError as error:
            add_error_to_form(form, error)
        else:
            return redirect("privacy-breach", breach.pk)
    return render(
        request,
        "privacy/breaches.html",
        {"form": form, "breaches": list(Breach.objects.select_related("recorded_by")[:LIST_LIMIT])},
        status=400 if form.errors else 200,
    )


@privacy_officer
@require_http_methods(["GET", "POST"])
def breach_detail(request, pk):
    """The incident, its affected clients, and the audit-log search that adds more."""
    breach = get_object_or_404(Breach, pk=pk)
    form = AffectedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            found = list(
                breaches.clients_read_by(user=data["user"], start=data["start"], end=data["end"])
            )
            added = breaches.add_affected(breach=breach, clients=found, by=request)
        except DomainError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, f"{len(found)} clients found, {added} new on the list.")
            return redirect("privacy-breach", breach.pk)
    return _breach_page(request, breach, form, ReportedForm())


def _breach_page(request, breach, form, reported_form):
    return render(
        request,
        "privacy/breach.html",
        {
            "breach": breach,
            "form": form,
            "affected": list(breach.affected_clients.order_by("pk")),
            "keep_until": retention.breach_keep_until(breach),
            "reported_form": reported_form,
        },
        status=400 if form.errors or reported_form.errors else 200,
    )


@privacy_officer
@require_POST
def breach_reported(request, pk):
    """Note the day the breach was reported to the regulator."""
    breach = get_object_or_404(Breach, pk=pk)
    form = ReportedForm(request.POST)
    if form.is_valid():
        try:
            breaches.report_breach(
                breach=breach, reported_on=form.cleaned_data["reported_on"], by=request
            )
        except DomainError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, "Report to the regulator noted.")
            return redirect("privacy-breach", breach.pk)
    return _breach_page(request, breach, AffectedForm(), form)
