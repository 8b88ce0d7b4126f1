"""Every report on the demo clinic shows real figures, checked against counts made here."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from clinic.accounts.models import User
from clinic.booking.models import Appointment
from clinic.reminders.models import Reminder
from clinic.reports import sections
from clinic.reports.period import parse_period
from clinic.reports.visits import ATTENDED


@pytest.fixture
def demo(transactional_db):
    # Reminders plan once the seed commits, so the demo needs real transactions.
    call_command("seed_demo", stdout=None)


def figures_of(section):
    return dict(section.figures)


def test_every_report_renders_real_figures_on_the_demo(demo, client):
    client.force_login(User.objects.get(email="admin@tranquil.test"))
    period = parse_period({})
    response = client.get(reverse("reports"))
    assert response.status_code == 200
    found = {section.key: section for section in response.context["sections"]}
    assert set(found) == set(sections.REPORTS) - {"revenue"}
    attended = Appointment.objects.filter(
        starts_at__gte=period.starts_at, starts_at__lt=period.ends_at, status__in=ATTENDED
    ).count()
    assert attended > 0
    assert figures_of(found["visits"])["Attended"] == attended
    in_period = Appointment.objects.filter(starts_at__gte=period.starts_at)
    assert figures_of(found["visits"])["No-shows"] == in_period.filter(status="no_show").count()
    sent = Reminder.objects.filter(status="sent", due_at__gte=period.starts_at).count()
    email = found["reminders"].tables[0].rows[0]
    assert email["sent"] == sent > 0
    assert email["confirmed"] == 1 and email["cancelled"] == 1
    assert figures_of(found["retention"])["Rebooked at checkout"] > 0
    for key, section in found.items():
        values = [v for _, v in section.figures] + [
            cell for table in section.tables for row in table.cells for cell in row[1:]
        ]
        assert any(isinstance(v, int | Decimal) and v > 0 for v in values), (key, values)


def test_a_demo_therapist_sees_their_own_reports(demo, client):
    client.force_login(User.objects.get(email="maya@tranquil.test"))
    response = client.get(reverse("reports"))
    assert response.status_code == 200
    assert response.context["therapist"].user.email == "maya@tranquil.test"
