"""A client's record as a FHIR R4 `collection` Bundle, built as plain dicts.

Resources: Patient; Appointment per visit; QuestionnaireResponse per intake; Observation per
pain score (intake, before and after each session, home-care practice); CarePlan per treatment
plan; DocumentReference per session note, amendment (appending to its note), clearance and
uploaded clearance document. Every resource is in R4's core and identical in R4B, whose models
(`fhir.resources.R4B`) validate the bundle in the tests.
"""

import base64
import uuid
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from intake.answers import ANSWER_SPECS, Kind

from .record import ClientRecord

# LOINC 72514-3: pain severity, 0-10 verbal numeric rating, reported.
PAIN_CODE = {
    "coding": [
        {
            "system": "http://loinc.org",
            "code": "72514-3",
            "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
        }
    ],
    "text": "Pain (0-10)",
}
SURVEY = [
    {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                "code": "survey",
            }
        ]
    }
]
APPOINTMENT_STATUS = {
    "booked": "booked",
    "confirmed": "booked",
    "checked_in": "arrived",
    "completed": "fulfilled",
    "cancelled": "cancelled",
    "no_show": "noshow",
}
PLAN_STATUS = {
    "active": "active",
    "on_hold": "on-hold",
    "completed": "completed",
    "discontinued": "revoked",
}
INTAKE_QUESTIONNAIRE = "urn:tranquil:questionnaire:intake"


def _instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")


def _day(value: date) -> str:
    return value.isoformat()


def _text_attachment(title: str, text: str) -> dict[str, Any]:
    return {
        "contentType": "text/plain; charset=utf-8",
        "title": title,
        "data": base64.b64encode(text.encode()).decode(),
    }


def _file_attachment(field_file) -> dict[str, Any] | None:
    """A stored document, embedded: a bundle for systems carries the file itself."""
    if not field_file:
        return None
    name = field_file.name.rsplit("/", 1)[-1]
    kind = (
        "application/pdf"
        if name.lower().endswith(".pdf")
        else "image/" + ("png" if name.lower().endswith(".png") else "jpeg")
    )
    try:
        with field_file.open("rb") as stream:
            data = stream.read()
    except OSError:
        return {"contentType": kind, "title": f"{name} (file missing from storage)"}
    return {"contentType": kind, "title": name, "data": base64.b64encode(data).decode()}


class _Bundle:
    def __init__(self, base: str):
        self.base = base
        self.entries: list[dict[str, Any]] = []

    def add(self, resource: dict[str, Any]) -> str:
        reference = f"{resource['resourceType']}/{resource['id']}"
        self.entries.append({"fullUrl": f"{self.base}/{reference}", "resource": resource})
        return reference


def _answer(key: str, value: Any) -> list[dict[str, Any]]:
    spec = ANSWER_SPECS.get(key)
    if value is None:
        return []
    if isinstance(value, bool):
        return [{"valueBoolean": value}]
    if isinstance(value, int):
        return [{"valueInteger": value}]
    if spec is not None and spec.kind == Kind.CHOICE:
        label = dict(spec.choices).get(value, str(value))
        return [
            {
                "valueCoding": {
                    "system": f"urn:tranquil:intake:{key}",
                    "code": str(value),
                    "display": label,
                }
            }
        ]
    return [{"valueString": str(value)}] if str(value) else []


def _pain(bundle: _Bundle, patient: str, key: str, score, when: datetime, note: str) -> None:
    if score is None:
        return
    bundle.add(
        {
            "resourceType": "Observation",
            "id": key,
            "status": "final",
            "category": SURVEY,
            "code": PAIN_CODE,
            "subject": {"reference": patient},
            "effectiveDateTime": _instant(when),
            "valueInteger": int(score),
            "note": [{"text": note}],
        }
    )


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def record_bundle(record: ClientRecord) -> dict[str, Any]:
    """The FHIR R4 Bundle (type `collection`) of everything in `record`."""
    client = record.client
    bundle = _Bundle(settings.SITE_URL.rstrip("/") + "/fhir")
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": f"client-{client.pk}",
        "identifier": [{"system": "urn:tranquil:client", "value": str(client.pk)}],
        "name": [{"family": client.last_name, "given": [client.first_name]}],
    }
    telecom = []
    if client.phone:
        telecom.append({"system": "phone", "value": str(client.phone)})
    if client.email:
        telecom.append({"system": "email", "value": client.email})
    if telecom:
        patient["telecom"] = telecom
    if client.date_of_birth:
        patient["birthDate"] = _day(client.date_of_birth)
    subject = {"reference": bundle.add(patient)}
    ref = subject["reference"]

    for visit in record.appointments:
        resource: dict[str, Any] = {
            "resourceType": "Appointment",
            "id": f"appointment-{visit.pk}",
            "status": APPOINTMENT_STATUS[visit.status],
            "serviceType": [{"text": visit.service.name}],
            "start": _instant(visit.starts_at),
            "end": _instant(visit.ends_at),
            "created": _day(timezone.localdate(visit.booked_at)),
            "participant": [
                {"actor": {**subject, "display": client.full_name}, "status": "accepted"},
                {"actor": {"display": visit.therapist.name}, "status": "accepted"},
                {"actor": {"display": f"Room {visit.room}"}, "status": "accepted"},
            ],
        }
        if visit.cancellation_reason:
            resource["cancelationReason"] = {"text": visit.cancellation_reason}
        bundle.add(resource)

    for intake in record.intakes:
        items = []
        for key, value in intake.answers.items():
            spec = ANSWER_SPECS.get(key)
            item: dict[str, Any] = {"linkId": key, "text": spec.question if spec else key}
            answers = _answer(key, value)
            if answers:
                item["answer"] = answers
            items.append(item)
        bundle.add(
            {
                "resourceType": "QuestionnaireResponse",
                "id": f"intake-{intake.pk}",
                "questionnaire": INTAKE_QUESTIONNAIRE,
                "status": "amended" if intake.superseded_at else "completed",
                "subject": subject,
                "authored": _instant(intake.submitted_at),
                "item": items,
            }
        )
        _pain(
            bundle,
            ref,
            f"intake-{intake.pk}-pain",
            intake.answers.get("pain_score"),
            intake.submitted_at,
            f"At intake (screening outcome: {intake.outcome})",
        )

    for plan in record.plans:
        bundle.add(
            {
                "resourceType": "CarePlan",
                "id": f"plan-{plan.pk}",
                "status": PLAN_STATUS[plan.status],
                "intent": "plan",
                "title": "Massage therapy plan for low back pain",
                "subject": subject,
                "period": {"start": _day(plan.starts_on)},
                "created": _instant(plan.created_at),
                "author": {"display": plan.therapist.name},
                "description": _plan_text(plan),
            }
        )

    for note in record.notes:
        when = note.appointment.starts_at
        note_ref = bundle.add(
            {
                "resourceType": "DocumentReference",
                "id": f"note-{note.pk}",
                "status": "current",
                "docStatus": "final" if note.is_signed else "preliminary",
                "type": {"text": "Massage therapy session note (SOAP)"},
                "subject": subject,
                "date": _instant(note.signed_at or note.updated_at),
                "author": [{"display": note.therapist.name}],
                "context": {"period": {"start": _instant(when)}},
                "content": [
                    {
                        "attachment": _text_attachment(
                            f"Session note {note.session_on}", _note_text(note)
                        )
                    }
                ],
            }
        )
        _pain(
            bundle, ref, f"note-{note.pk}-pain-before", note.pain_before, when, "Before the session"
        )
        _pain(bundle, ref, f"note-{note.pk}-pain-after", note.pain_after, when, "After the session")
        for amendment in note.amendments.all():
            bundle.add(
                {
                    "resourceType": "DocumentReference",
                    "id": f"amendment-{amendment.pk}",
                    "status": "current",
                    "docStatus": "amended",
                    "type": {"text": "Amendment to a session note"},
                    "subject": subject,
                    "date": _instant(amendment.created_at),
                    "author": [{"display": str(amendment.author)}],
                    "relatesTo": [{"code": "appends", "target": {"reference": note_ref}}],
                    "content": [
                        {
                            "attachment": _text_attachment(
                                "Amendment",
                                f"Why: {amendment.reason}\n{amendment.text}\n"
                                f"Corrections: {amendment.corrections or 'none'}",
                            )
                        }
                    ],
                }
            )

    for clearance in record.clearances:
        content = [
            {
                "attachment": _text_attachment(
                    f"Clearance from {clearance.provider_name}",
                    f"Provider: {clearance.provider_name}\nCleared on: {clearance.cleared_on}\n"
                    f"{clearance.note}",
                )
            }
        ]
        document = _file_attachment(clearance.document)
        if document:
            content.append({"attachment": document})
        bundle.add(
            {
                "resourceType": "DocumentReference",
                "id": f"clearance-{clearance.pk}",
                "status": "current",
                "type": {"text": "Healthcare provider's clearance for massage"},
                "subject": subject,
                "date": _instant(clearance.recorded_at),
                "author": [{"display": clearance.provider_name}],
                "content": content,
            }
        )
    for upload in record.uploads:
        document = _file_attachment(upload.document)
        if document:
            bundle.add(
                {
                    "resourceType": "DocumentReference",
                    "id": f"upload-{upload.pk}",
                    "status": "current",
                    "type": {"text": "Clearance document uploaded by the client"},
                    "subject": subject,
                    "date": _instant(upload.uploaded_at),
                    "content": [{"attachment": document}],
                }
            )

    for log in record.practice_logs:
        _pain(
            bundle, ref, f"practice-{log.pk}-pain", log.pain_now, log.done_at, "Home-care practice"
        )

    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": _instant(timezone.now()),
        "entry": bundle.entries,
    }


def _plan_text(plan) -> str:
    goals = "; ".join(
        f"{g.get('goal')}: {g.get('measure')} {g.get('baseline')} → {g.get('target')}"
        for g in plan.goals
    )
    techniques = "; ".join(
        f"{t.get('technique')} on {t.get('muscle')} ({t.get('side')}), {t.get('pressure')}"
        for t in plan.techniques
    )
    lines = [
        f"Goals: {goals or 'none'}",
        f"Techniques: {techniques or 'none'}",
        f"{plan.visits_planned} visits, every {plan.frequency_weeks} week(s); review on "
        f"{plan.review_on}",
    ]
    if plan.notes:
        lines.append(plan.notes)
    return "\n".join(lines)


def _note_text(note) -> str:
    parts = [
        f"Date: {note.session_on}",
        f"Therapist: {note.therapist.name}",
        f"Subjective: {note.subjective}",
        f"Objective: {note.objective}",
        f"Assessment: {note.assessment}",
        f"Plan: {note.plan}",
        f"Pain before/after: {note.pain_before}/{note.pain_after}",
        f"Techniques: {note.techniques}",
        f"Trigger points: {note.trigger_points}",
        f"Body map: {note.body_map}",
        f"Client response: {note.client_response}",
        f"Home care: {note.home_care}",
    ]
    if note.is_signed:
        parts.append(f"Signed {note.signed_at.isoformat()} by {note.signed_by}")
    return "\n".join(parts)
