"""Everything the clinic holds about one client, read in a fixed number of queries.

The export (PDF and FHIR bundle) reads this one selector, so what a client receives and what
the retention destroys are the same list of record kinds (`RECORD_KINDS`).
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from clinic.accounts.models import Client
from clinic.booking.models import Appointment
from clinic.reminders.models import Reminder
from intake.models import Clearance, ClearanceUpload, Intake, IntakeCheckIn
from sessions.models import Amendment, PracticeLog, SessionNote, TreatmentPlan


@dataclass(frozen=True)
class ClientRecord:
    client: Client
    intakes: list[Intake]
    check_ins: list[IntakeCheckIn]
    clearances: list[Clearance]
    uploads: list[ClearanceUpload]
    plans: list[TreatmentPlan]
    notes: list[SessionNote]
    appointments: list[Appointment]
    practice_logs: list[PracticeLog]
    reminders: list[Reminder]

    def counts(self) -> dict[str, Any]:
        """How many rows of each kind (what the destruction log keeps: numbers, no content)."""
        return {
            "intakes": len(self.intakes),
            "check_ins": len(self.check_ins),
            "clearances": len(self.clearances),
            "clearance_uploads": len(self.uploads),
            "plans": len(self.plans),
            "notes": len(self.notes),
            "amendments": sum(len(note.amendments.all()) for note in self.notes),
            "appointments": len(self.appointments),
            "practice_logs": len(self.practice_logs),
            "reminders": len(self.reminders),
        }


def client_record(client: Client) -> ClientRecord:
    """The client's whole record, oldest first within each kind (ten queries, whatever its size)."""
    return ClientRecord(
        client=client,
        intakes=list(Intake.objects.filter(client=client).order_by("submitted_at", "id")),
        check_ins=list(IntakeCheckIn.objects.filter(client=client).order_by("answered_at", "id")),
        clearances=list(Clearance.objects.filter(client=client).order_by("recorded_at", "id")),
        uploads=list(ClearanceUpload.objects.filter(client=client).order_by("uploaded_at", "id")),
        plans=list(
            TreatmentPlan.objects.filter(client=client)
            .select_related("therapist__user")
            .order_by("created_at", "id")
        ),
        notes=list(
            SessionNote.objects.filter(client=client)
            .select_related("therapist__user", "signed_by", "appointment")
            .prefetch_related(
                Prefetch("amendments", Amendment.objects.select_related("author").order_by("id"))
            )
            .order_by("session_on", "id")
        ),
        appointments=list(
            Appointment.objects.filter(client=client)
            .select_related("therapist__user", "service", "room")
            .order_by("starts_at", "id")
        ),
        practice_logs=list(
            PracticeLog.objects.filter(client=client).order_by("practiced_on", "id")
        ),
        reminders=list(Reminder.objects.filter(client=client).order_by("due_at", "id")),
    )
