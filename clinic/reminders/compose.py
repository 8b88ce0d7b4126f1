"""The words of each reminder: subject, text, HTML and SMS, with the clinic's name and links.

Messages say what the reminder is for and link to the app; they never carry screening
findings or notes.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from clinic.billing.cards import card_for_reminder
from intake.links import link_path, new_link

from . import balance, links
from .channels import Message
from .models import Channel, ReminderKind

SUBJECTS = {
    ReminderKind.APPOINTMENT: "Your visit on {when} at {clinic}",
    ReminderKind.INTAKE: "Please fill in your health form before your visit at {clinic}",
    ReminderKind.PRACTICE: "Time for your home-care practice ({clinic})",
    ReminderKind.REBOOK: "Time to book your next visit at {clinic}",
    ReminderKind.BALANCE: "A balance is owing at {clinic}",
}


def _intake_url(reminder) -> str:
    # The client's one live intake link (the desk's, if it sent one), freshly signed.
    sent_to = reminder.client.email if reminder.channel == Channel.EMAIL else ""
    link = new_link(reminder.client, sent_to=sent_to)
    return settings.SITE_URL + link_path(link)


def _context(reminder, clinic) -> dict:
    zone = clinic.zone
    context = {
        "reminder": reminder,
        "client": reminder.client,
        "clinic": clinic,
        "opt_out_url": links.link_url(reminder, links.OPT_OUT),
    }
    if reminder.appointment_id:
        visit = reminder.appointment
        context["visit"] = visit
        when = timezone.localtime(visit.starts_at, zone)
        context["when"] = f"{date_format(when, 'DATE_FORMAT')} at {when:%H:%M}"
    if reminder.kind == ReminderKind.APPOINTMENT:
        context["confirm_url"] = links.link_url(reminder, links.CONFIRM)
        context["cancel_url"] = links.link_url(reminder, links.CANCEL)
        if card := card_for_reminder(reminder.client):
            context["card"] = {**card, "url": settings.SITE_URL + card["url"]}
    elif reminder.kind == ReminderKind.INTAKE:
        context["intake_url"] = _intake_url(reminder)
    elif reminder.kind == ReminderKind.REBOOK:
        context["book_url"] = settings.SITE_URL + reverse("booking-online")
    elif reminder.kind == ReminderKind.PRACTICE:
        context["done_url"] = links.link_url(reminder, links.DONE)
        context["minutes"] = sum(item.get("minutes", 0) for item in reminder.plan.home_care)
        context["home_care_url"] = settings.SITE_URL + reverse("my-home-care")
    elif reminder.kind == ReminderKind.BALANCE:
        context.update(balance.message_context(reminder, clinic))
        context["invoices_url"] = settings.SITE_URL + reverse("billing-my-invoices")
    return context


def compose(reminder, clinic) -> Message:
    """The message for a reminder on its channel (an SMS is short; email has text and HTML)."""
    context = _context(reminder, clinic)
    base = f"reminders/messages/{reminder.kind}"
    subject = SUBJECTS[reminder.kind].format(when=context.get("when", ""), clinic=clinic.name)
    if reminder.channel == Channel.SMS:
        return Message(subject, "", "", render_to_string(f"{base}.sms.txt", context).strip())
    return Message(
        subject,
        render_to_string(f"{base}.txt", context),
        render_to_string(f"{base}.html", context),
        "",
    )
