"""Writing treatment plans: the one door for creating and changing them.

Each write checks the plan against the client's screening (sessions/safety.py), keeps to one
active plan per client, and writes its audit row in the same transaction.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clinic.audit.history import acting
from clinic.audit.log import Origin, record
from clinic.audit.models import AuditAction

from . import entries, safety
from .models import PlanStatus, TreatmentPlan
from .signals import plan_saved

# Field name -> the entries cleaner that normalises it.
STRUCTURED = {
    "goals": entries.clean_goals,
    "target_muscles": entries.clean_target_muscles,
    "techniques": entries.clean_plan_techniques,
    "home_care": entries.clean_home_care,
    "avoid_regions": entries.clean_regions,
}
SIMPLE = ("status", "frequency_weeks", "visits_planned", "review_on", "notes", "starts_on")
ACTIVE_TAKEN = "This client already has an active treatment plan; close it or edit it instead."


def active_plan(client):
    """The client's active plan, or None."""
    return TreatmentPlan.objects.filter(client=client, status=PlanStatus.ACTIVE).first()


def clean_plan_data(data) -> dict:
    """Normalise the structured parts of plan data; ValidationError names what is wrong."""
    cleaned, errors = dict(data), {}
    for name, cleaner in STRUCTURED.items():
        if name in data:
            try:
                cleaned[name] = cleaner(data[name])
            except ValidationError as exc:
                errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def save_plan(client, therapist, data, actor, plan=None) -> TreatmentPlan:
    """Create a plan (plan=None) or change one, after the safety check; audited.

    `data` holds plan fields (the structured ones as lists of dicts). Raises SafetyError when
    the plan breaks the client's restrictions and ValidationError for a second active plan;
    either way nothing is saved.
    """
    data = clean_plan_data(data)
    creating = plan is None
    if creating:
        plan = TreatmentPlan(client=client, therapist=therapist, created_by=Origin.of(actor).user)
    for name in (*STRUCTURED, *SIMPLE):
        if name in data:
            setattr(plan, name, data[name])
    safety.ensure(
        safety.check_plan(
            safety.screening_for(client),
            {
                "techniques": plan.techniques,
                "avoid_regions": plan.avoid_regions,
                "home_care": plan.home_care,
            },
        )
    )
    if plan.status == PlanStatus.ACTIVE:
        others = TreatmentPlan.objects.filter(client=client, status=PlanStatus.ACTIVE)
        if others.exclude(pk=plan.pk).exists():
            raise ValidationError({"status": [ACTIVE_TAKEN]})
    try:
        with transaction.atomic(), acting(actor):
            plan.full_clean(exclude=["client", "therapist", "created_by", *STRUCTURED])
            plan.save()
            record(actor, AuditAction.CREATE if creating else AuditAction.UPDATE, plan)
            plan_saved.send(sender=TreatmentPlan, plan=plan)
    except IntegrityError:
        # Another request made a plan active between the check and the insert.
        raise ValidationError({"status": [ACTIVE_TAKEN]}) from None
    return plan
