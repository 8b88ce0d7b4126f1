"""Intake sections other apps' pages include with one line each; each decides what the viewer
may see through clinic/accounts/roles.py, so the pages themselves stay unaware of the rules."""

from django import template

from clinic.accounts.models import Role
from clinic.accounts.roles import can_manage_screening, has_role, is_staff_member

from ..answers import ANSWER_SPECS, PREGNANCY_DETAIL_KEYS, Kind
from ..clearance import what_to_bring
from ..models import AlertKind, IntakeAlert
from ..screening import STANDING_RULE, Outcome
from ..status import screening_status

register = template.Library()

# Consent and signature are shown as the signature line, not as answers.
NOT_SHOWN_AS_ANSWERS = {"consent", "signature"}


def _show(spec, value):
    if spec.kind is Kind.BOOL:
        return "Yes" if value else "No"
    if spec.kind is Kind.CHOICE:
        return dict(spec.choices).get(value, value)
    if value is None:
        return "None in the last year" if spec.key == "recent_surgery_weeks" else "—"
    return value if value != "" else "—"


def answer_rows(answers):
    """(question, answer in words) for each stored answer, in form order.

    Pregnancy details are left out when the client is not pregnant (they were not asked).
    """
    rows = []
    for key, spec in ANSWER_SPECS.items():
        if key in NOT_SHOWN_AS_ANSWERS or key not in answers:
            continue
        if key in PREGNANCY_DETAIL_KEYS and not answers.get("pregnant"):
            continue
        rows.append((spec.question, _show(spec, answers[key])))
    return rows


def _words(values):
    return ", ".join(str(v).replace("_", " ") for v in values)


@register.inclusion_tag("intake/_client_section.html", takes_context=True)
def intake_section(context, client, status):
    """The screening on a client's page: the outcome badge, validity and clearance on file for
    every staff member; answers, findings, restrictions and clearances for admins and the
    client's own therapists.

    `status` comes from intake.access.screening_for in the page's view, which audits the read:
    rendering writes nothing.
    """
    user = context["request"].user
    clinical = can_manage_screening(user, client)
    section = {
        "client": client,
        "status": status,
        "staff": is_staff_member(user),
        "clinical": clinical,
    }
    if clinical:
        intake = status.intake
        restrictions = status.restrictions
        section.update(
            answers=answer_rows(intake.answers) if intake else [],
            restrictions=restrictions,
            forbidden=_words(restrictions.forbidden_techniques) if restrictions else "",
            avoid=_words(restrictions.avoid_areas) if restrictions else "",
            positioning="side-lying" if restrictions and restrictions.positioning else "any",
            standing_rule=STANDING_RULE,
            clearances=list(client.clearances.all()[:20]),
        )
    if section["staff"]:
        # Staff see that a document came; only clinical eyes open it.
        section["uploads"] = list(client.clearance_uploads.filter(reviewed_at__isnull=True)[:20])
    return section


def needs_clearance(status) -> bool:
    """A `clearance` screening with no clearance on file yet: the client has a note to bring."""
    return status.outcome == Outcome.CLEARANCE and not status.clearance_on_file


@register.inclusion_tag("intake/_my_intake.html", takes_context=True)
def my_intake(context, client, status):
    """The client's own intake on their home page: fill it in, or see what they sent.
    `status` is what the view loaded (intake.access.own_screening_for, which audits it)."""
    if client is None or status is None or not has_role(context["request"].user, Role.CLIENT):
        return {"client": None}
    section = {
        "client": client,
        "status": status,
        "answers": answer_rows(status.intake.answers) if status.intake else [],
        "bring": [],
        "clinic": context.get("clinic"),
    }
    if needs_clearance(status):
        section.update(
            bring=what_to_bring(status.intake.findings),
            uploads=list(client.clearance_uploads.filter(reviewed_at__isnull=True)[:5]),
        )
    return section


@register.inclusion_tag("intake/_alerts.html", takes_context=True)
def intake_alerts(context):
    """Intakes that need the viewer (a `refer`, a clearance to chase, a document the client
    uploaded) they have not marked seen yet, newest first."""
    user = context["request"].user
    alerts = []
    if user.is_authenticated:
        alerts = list(
            IntakeAlert.objects.filter(recipient=user, seen_at__isnull=True).select_related(
                "intake__client"
            )[:50]
        )
    return {"alerts": alerts, "kinds": AlertKind}


def next_step(status):
    """What the client should do before their visit, in plain words: (key, sentence)."""
    if status.needs_intake:
        return "form", "Fill in your health form before your next visit."
    if status.outcome == "refer":
        return "doctor", "Please see a doctor before any massage, and call us about your visit."
    if status.outcome == "clearance" and not status.clearance_on_file:
        notes = what_to_bring(status.intake.findings) if status.intake else []
        return "clearance", f"Bring {' and '.join(notes) or 'a note from your doctor'}."
    return "none", "Nothing to do: your health form is on file."


@register.inclusion_tag("intake/_my_next_step.html", takes_context=True)
def my_next_step(context, client):
    """The client's intake status and their next step, for the top of their portal."""
    if client is None or not has_role(context["request"].user, Role.CLIENT):
        return {"client": None}
    status = screening_status(client)
    step, sentence = next_step(status)
    return {"client": client, "status": status, "step": step, "sentence": sentence}


@register.inclusion_tag("intake/_my_documents.html", takes_context=True)
def my_documents(context, client):
    """The clearances on file for the client (their uploads and the clinic's), newest first."""
    if client is None or not has_role(context["request"].user, Role.CLIENT):
        return {"client": None}
    return {
        "client": client,
        "clearances": list(client.clearances.all()[:50]),
        "uploads": list(client.clearance_uploads.all()[:50]),
    }
