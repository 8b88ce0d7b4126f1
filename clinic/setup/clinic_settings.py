"""The clinic's settings, edited on one screen: the groups the screen shows, and the one
function that saves a change with its audit row (before and after) in one transaction.

A field added to ClinicSettings is slotted into the screen and the API by naming it in one
of GROUPS below (test_settings checks that every editable field is in a group).
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from clinic.audit.history import acting
from clinic.audit.log import record
from clinic.audit.models import AuditAction
from clinic.core.errors import DomainError
from clinic.core.models import ClinicSettings
from clinic.core.signals import clinic_settings_changed

# (title, fields): the screen's sections, in order.
GROUPS: list[tuple[str, list[str]]] = [
    ("The clinic", ["name", "address", "phone", "email", "time_zone", "date_format"]),
    (
        "Business and tax",
        ["business_registration", "tax_number", "tax_name", "tax_rate", "currency"],
    ),
    (
        "Cancellations and online booking",
        [
            "online_cancel_cutoff_hours",
            "late_cancel_window_hours",
            "late_cancel_fee",
            "no_show_fee",
            "online_min_notice_hours",
            "require_card_for_online_booking",
            "waitlist_hold_minutes",
        ],
    ),
    (
        "Reminders",
        ["first_reminder_hours", "second_reminder_hours", "quiet_hours_start", "quiet_hours_end"],
    ),
    (
        "Balance reminders",
        [
            "balance_reminders",
            "balance_reminder_days",
            "balance_reminder_repeat_days",
            "balance_reminder_max",
        ],
    ),
    (
        "Clinical records and privacy",
        ["intake_validity_days", "late_charting_days", "care_window_days", "retention_years"],
    ),
    ("Sign-in", ["staff_idle_minutes", "require_two_factor_for_staff"]),
    ("US insurance (superbill)", ["superbill_enabled", "billing_npi", "place_of_service"]),
]
# Written by the system, never on the screen.
NOT_EDITABLE = {"id", "worker_seen_at"}


def editable_fields() -> list[str]:
    return [name for _, names in GROUPS for name in names]


class SettingsError(DomainError):
    code = "SETTINGS_REFUSED"


def _shown(value) -> str:
    return "" if value is None else str(value)


def update_settings(*, changes: dict, by) -> dict[str, tuple[str, str]]:
    """Apply `changes` (field name -> value) to the clinic's settings. Returns what changed,
    field -> (before, after); an audit row names each, and django-pghistory keeps the full
    before and after. Nothing is saved when a value is refused."""
    unknown = set(changes) - set(editable_fields())
    if unknown:
        raise SettingsError(f"Unknown setting: {', '.join(sorted(unknown))}.")
    with transaction.atomic(), acting(by):
        current = ClinicSettings.objects.select_for_update().get_or_create(pk=1)[0]
        before = {name: getattr(current, name) for name in changes}
        for name, value in changes.items():
            setattr(current, name, value)
        try:
            current.full_clean(exclude=sorted(NOT_EDITABLE))
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            raise SettingsError(messages[0], None if field == "__all__" else field) from error
        changed = {
            name: (_shown(before[name]), _shown(getattr(current, name)))
            for name in changes
            if before[name] != getattr(current, name)
        }
        if not changed:
            return {}
        current.save()
        detail = "; ".join(f"{name}: {old!r} → {new!r}" for name, (old, new) in changed.items())
        record(by, AuditAction.UPDATE, current, detail=detail)
        clinic_settings_changed.send(sender=ClinicSettings, changed=set(changed))
    return changed
