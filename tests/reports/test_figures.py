"""Each report's figures on a week whose answers the test knows (tests/reports/scene.py)."""

from datetime import date
from decimal import Decimal

import pytest

from clinic.core.clinic_time import clinic_zone
from clinic.reminders.models import Reminder, ReminderOptOut
from clinic.reports import homecare, reminder_figures, retention, utilisation, visits
from sessions.models import PracticeLog
from tests.reports import scene as week


@pytest.fixture
def scene(db, therapist):
    return week.build(therapist)


@pytest.fixture
def period(db):
    return week.period(clinic_zone())


def by(rows, key):
    return {row[key]: row for row in rows}


def test_utilisation_is_booked_hours_over_weekly_hours_less_time_off(scene, period):
    rows = by(utilisation.therapist_rows(period), "therapist")
    mine = rows[scene.therapist.name]
    # Monday 8 h + Tuesday 4 h - 2 h off; booked: three Monday hours and Tuesday's, not the
    # cancelled one.
    assert (mine["available_hours"], mine["booked_hours"]) == (Decimal("10.0"), Decimal("4.0"))
    assert mine["utilisation_percent"] == Decimal("40.0")
    assert rows[scene.other.name]["utilisation_percent"] == Decimal("12.5")


def test_a_therapist_sees_only_their_own_utilisation_and_no_rooms(scene, period):
    section = utilisation.section(period, scene.therapist)
    assert [t.key for t in section.tables] == ["utilisation-therapists"]
    assert [row["therapist"] for row in section.tables[0].rows] == [scene.therapist.name]


def test_room_utilisation_is_over_the_clinics_opening_hours(scene, period):
    room = by(utilisation.room_rows(period), "room")["Room A"]
    # Open Monday 9-17 and Tuesday 9-13; five visits (not the cancelled one) booked an hour.
    assert (room["available_hours"], room["booked_hours"]) == (Decimal("12.0"), Decimal("5.0"))


def test_visit_counts_and_rates_per_therapist(scene, period):
    mine = by(visits.therapist_rows(period), "therapist")[scene.therapist.name]
    assert {k: mine[k] for k in ("visits", "attended", "no_shows", "cancelled")} == {
        "visits": 4,
        "attended": 3,
        "no_shows": 1,
        "cancelled": 1,
    }
    assert mine["late_cancellations"] == 1
    assert mine["no_show_rate"] == Decimal("25.0")  # 1 of the 4 visits that were due
    assert mine["late_cancellation_rate"] == Decimal("20.0")  # 1 of 5


def test_new_and_returning_clients(scene, period):
    total = visits.totals(period)
    assert (total["new_clients"], total["returning_clients"]) == (3, 1)
    mine = visits.totals(period, scene.therapist)
    assert (mine["new_clients"], mine["returning_clients"]) == (2, 1)


def test_clients_came_back_within_their_plans_frequency_plus_a_week(scene, period):
    back = retention.returns(period)
    # c1 came back in 10 days, c2 has their next visit in 7; c3 (fortnightly) never did.
    assert (back["clients"], back["came_back"]) == (3, 2)
    assert back["rate"] == Decimal("66.7")


def test_rebooked_at_checkout_counts_a_next_visit_booked_the_same_day(scene, period):
    counts = retention.returns(period)
    assert (counts["visits"], counts["rebooked"]) == (4, 1)


def test_a_therapists_retention_counts_only_their_visits(scene, period):
    mine = retention.returns(period, scene.therapist)
    assert (mine["clients"], mine["came_back"], mine["visits"], mine["rebooked"]) == (3, 2, 3, 1)
    # c4's visit with the other therapist is theirs; its client booked nothing at checkout.
    other = retention.returns(period, scene.other)
    assert (other["clients"], other["visits"], other["rebooked"]) == (0, 1, 0)


def test_lapsed_clients_are_listed_with_their_phone(scene):
    lapsed = by(retention.lapsed(), "client")
    c1, c2, c3, _ = scene.clients
    assert set(lapsed) == {c1.full_name, c3.full_name}
    assert lapsed[c1.full_name]["phone"] == str(c1.phone)
    assert lapsed[c1.full_name]["last_visit"] == "2026-11-12"
    assert list(retention.lapsed(scene.other)) == []


def test_reminder_figures_by_channel(scene, period, therapist):
    client, visit = scene.clients[0], scene.therapist.appointments.order_by("starts_at")[1]

    def reminder(channel, status, **extra):
        due = week.at(0, 8)
        Reminder.objects.create(
            kind="appointment",
            client=client,
            appointment=visit,
            channel=channel,
            due_at=due.replace(minute=len(Reminder.objects.all())),
            next_attempt_at=due,
            status=status,
            sent_at=due if status == "sent" else None,
            **extra,
        )

    reminder("email", "sent", response="confirmed")
    reminder("email", "sent", response="cancelled")
    reminder("email", "skipped", skip_reason="opted_out")
    reminder("sms", "failed")
    ReminderOptOut.objects.create(client=client, channel="email", opted_out_at=week.at(1, 9))
    channels = by(reminder_figures.section(period).tables[0].rows, "channel")
    email, sms = channels["Email"], channels["Text message"]
    assert (email["sent"], email["confirmed"], email["cancelled"]) == (2, 1, 1)
    assert (email["skipped_opted_out"], email["opt_outs"], email["failed"]) == (1, 1, 0)
    assert (sms["sent"], sms["failed"], sms["delivery_rate"]) == (0, 1, Decimal("0.0"))


def test_home_care_adherence_counts_planned_days_in_the_period(scene, period):
    plan = scene.plans["c1"]
    for day in (date(2026, 11, 2), date(2026, 10, 30)):  # the second is before the period
        PracticeLog.objects.create(client=plan.client, plan=plan, practiced_on=day, source="api")
    (row,) = homecare.therapist_rows(period)
    # Monday and Wednesday in the week: two days planned, one done.
    assert (row["therapist"], row["plans"], row["planned"], row["done"]) == (
        scene.therapist.name,
        1,
        2,
        1,
    )
    assert row["bands"] == [0, 1, 0]  # 50%
    figures = dict(homecare.section(period).figures)
    assert figures["Adherence (%)"] == Decimal("50.0")
