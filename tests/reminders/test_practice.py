"""Practice reminders on the plan's days at the client's local time, across DST, and the rebook
nudge with the front desk's list."""

from datetime import date, timedelta

import pytest

from clinic.reminders.models import Reminder, ReminderKind, ReminderStatus, SkipReason
from clinic.reminders.planning import plan_for_appointment
from clinic.reminders.practice import plan_for_plan, rebook_list
from sessions.models import PlanStatus

from .conftest import ZONE, at, home_care

pytestmark = pytest.mark.django_db
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def practice(plan):
    return Reminder.objects.filter(plan=plan, kind=ReminderKind.PRACTICE).order_by("due_at")


def local_times(rows):
    return [r.due_at.astimezone(ZONE).strftime("%a %d %H:%M") for r in rows]


def test_practice_reminders_fall_on_the_home_care_days_at_the_preferred_local_time(plan_for):
    plan = plan_for(home_care=home_care(days=("mon", "wed", "fri"), at_time="19:30"))
    plan_for_plan(plan, now=at("2026-02-02", "12:00"))  # a Monday noon
    assert local_times(practice(plan)) == ["Mon 02 19:30", "Wed 04 19:30", "Fri 06 19:30"]


def test_practice_is_planned_a_rolling_week_ahead_without_duplicates(plan_for):
    plan = plan_for(home_care=home_care(days=EVERY_DAY))
    plan_for_plan(plan, now=at("2026-02-02", "12:00"))
    plan_for_plan(plan, now=at("2026-02-04", "12:00"))
    assert local_times(practice(plan))[0] == "Mon 02 19:30"
    assert local_times(practice(plan))[-1] == "Tue 10 19:30"
    assert practice(plan).count() == 9


@pytest.mark.parametrize(
    "now, change_day, day_length",
    [
        (at("2026-03-05", "12:00"), "Sun 08", timedelta(hours=23)),  # spring forward
        (at("2026-10-29", "12:00"), "Sun 01", timedelta(hours=25)),  # fall back
    ],
    ids=["spring-forward", "fall-back"],
)
def test_practice_reminders_keep_their_local_time_across_a_dst_change(
    plan_for, now, change_day, day_length
):
    plan = plan_for(home_care=home_care(days=EVERY_DAY, at_time="19:30"))
    plan_for_plan(plan, now=now)
    rows = list(practice(plan))
    assert len(rows) == 7
    assert {r.due_at.astimezone(ZONE).strftime("%H:%M") for r in rows} == {"19:30"}
    assert change_day in [t[:6] for t in local_times(rows)]
    # The UTC time moves by an hour across the change, which is what keeps the local time.
    assert len({r.due_at.strftime("%H:%M") for r in rows}) == 2
    gaps = {rows[i + 1].due_at - rows[i].due_at for i in range(len(rows) - 1)}
    assert gaps == {timedelta(hours=24), day_length}


def test_a_practice_time_the_spring_forward_skips_is_sent_just_after_the_gap(plan_for):
    plan = plan_for(home_care=home_care(days=("sun",), at_time="02:30"))
    plan_for_plan(plan, now=at("2026-03-05", "12:00"))
    assert local_times(practice(plan)) == ["Sun 08 03:30"]


def test_a_practice_time_the_fall_back_repeats_is_sent_once(plan_for):
    plan = plan_for(home_care=home_care(days=("sun",), at_time="01:30"))
    plan_for_plan(plan, now=at("2026-10-29", "12:00"))
    rows = list(practice(plan))
    assert local_times(rows) == ["Sun 01 01:30"]
    assert rows[0].due_at.astimezone(ZONE).utcoffset() == timedelta(hours=-4)


def test_changing_the_home_care_days_skips_the_days_dropped(plan_for):
    plan = plan_for(home_care=home_care(days=("mon", "wed", "fri")))
    now = at("2026-02-02", "12:00")
    plan_for_plan(plan, now=now)
    plan.home_care = home_care(days=("mon", "fri"))
    plan.save()
    plan_for_plan(plan, now=now)
    skipped = practice(plan).filter(status=ReminderStatus.SKIPPED)
    assert local_times(skipped) == ["Wed 04 19:30"]
    assert {r.skip_reason for r in skipped} == {SkipReason.PLAN_CHANGED}


def test_ending_a_plan_skips_its_pending_practice_and_rebook_reminders(plan_for):
    plan = plan_for(home_care=home_care(days=EVERY_DAY))
    now = at("2026-02-02", "12:00")
    plan_for_plan(plan, now=now)
    plan.status = PlanStatus.COMPLETED
    plan.save()
    plan_for_plan(plan, now=now)
    assert set(Reminder.objects.filter(plan=plan).values_list("status", "skip_reason")) == {
        ("skipped", SkipReason.PLAN_CHANGED)
    }


def test_practice_is_not_planned_before_the_plan_starts(plan_for):
    plan = plan_for(starts_on=date(2026, 2, 5), home_care=home_care(days=EVERY_DAY))
    plan_for_plan(plan, now=at("2026-02-02", "12:00"))
    assert local_times(practice(plan))[0] == "Thu 05 19:30"


def rebook(plan):
    return Reminder.objects.filter(plan=plan, kind=ReminderKind.REBOOK)


def test_a_plan_with_no_visit_gets_a_rebook_nudge_a_frequency_and_three_days_after_it_starts(
    plan_for,
):
    plan = plan_for(starts_on=date(2026, 2, 2), frequency_weeks=2)
    plan_for_plan(plan, now=at("2026-02-02", "12:00"))
    assert [r.due_at for r in rebook(plan)] == [at("2026-02-19", "00:00")]


def test_booking_a_visit_moves_the_rebook_nudge_after_it(plan_for, visit_for):
    plan = plan_for(starts_on=date(2026, 2, 2))
    now = at("2026-02-02", "12:00")
    plan_for_plan(plan, now=now)
    visit = visit_for(at("2026-02-09", "10:00"))
    plan_for_appointment(visit, now=now)
    assert sorted((r.due_at, r.status, r.skip_reason) for r in rebook(plan)) == [
        (at("2026-02-12", "00:00"), "skipped", SkipReason.VISIT_BOOKED),
        (at("2026-02-19", "10:00"), "pending", ""),
    ]


def test_the_front_desk_list_shows_plans_overdue_for_a_visit(plan_for, visit_for, a_client):
    plan = plan_for(starts_on=date(2026, 2, 2))
    visit_for(at("2026-02-09", "10:00"), status="completed")
    assert [e.plan for e in rebook_list(at("2026-02-19", "10:01"))] == [plan]
    assert rebook_list(at("2026-02-19", "09:59")) == []


def test_a_visit_booked_ahead_takes_the_client_off_the_rebook_list(plan_for, visit_for):
    plan_for(starts_on=date(2026, 2, 2))
    visit_for(at("2026-02-09", "10:00"), status="completed")
    visit_for(at("2026-02-20", "10:00"))
    assert rebook_list(at("2026-02-21", "09:00")) == []


def test_cancelled_visits_do_not_count_as_booked(plan_for, visit_for):
    plan = plan_for(starts_on=date(2026, 2, 2))
    visit_for(at("2026-02-09", "10:00"), status="completed")
    visit_for(at("2026-02-20", "10:00"), status="cancelled")
    assert [e.plan for e in rebook_list(at("2026-02-21", "09:00"))] == [plan]
