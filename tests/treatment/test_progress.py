"""Progress: pain per session with meaningful changes flagged, PSFS, home-care adherence."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sessions import homecare
from sessions.models import PracticeLog, PracticeSource
from sessions.notes import psfs_due
from sessions.progress import meaningful_change, progress_for
from tests.factories import ClientFactory
from tests.treatment.conftest import make_plan, screened, signed_note

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "end", "meaningful"),
    [
        (6, 4, True),
        (6, 5, False),
        (3, 2, True),
        (2, 3, True),
        (8, 7, False),
        (0, 1, False),
        (None, 3, False),
    ],
)
def test_a_change_of_two_points_or_thirty_percent_is_meaningful(start, end, meaningful):
    assert meaningful_change(start, end) is meaningful


@pytest.mark.parametrize(
    ("number", "due"), [(1, True), (2, False), (4, False), (5, True), (9, True)]
)
def test_the_psfs_is_due_at_baseline_and_every_fourth_session(number, due):
    assert psfs_due(number) is due


def test_the_chart_data_follows_the_signed_sessions_in_order(clear_client, therapist):
    now = timezone.now()
    signed_note(clear_client, therapist, now - timedelta(days=7), pain=(5, 4))
    signed_note(
        clear_client,
        therapist,
        now - timedelta(days=14),
        pain=(8, 5),
        psfs=[{"activity": "Sitting", "score": 3}, {"activity": "Walking", "score": 5}],
    )
    progress = progress_for(clear_client)
    assert [
        (s["number"], s["pain_before"], s["pain_after"], s["meaningful"])
        for s in progress["sessions"]
    ] == [(1, 8, 5, True), (2, 5, 4, False)]
    assert progress["psfs"][0]["average"] == 4.0
    assert progress["overall"]["change"] == -3


def test_the_progress_page_embeds_the_chart_data(client_as, clear_client, therapist):
    signed_note(clear_client, therapist, pain=(6, 3))
    page = client_as("therapist").get(reverse("treatment-progress", args=[clear_client.pk]))
    body = page.content.decode()
    assert 'id="progress-data"' in body and '"pain_before": 6' in body
    assert "chart-4.6.1.umd.min.js" in body


def test_practice_is_recorded_once_a_day(clear_client, therapist):
    plan = make_plan(clear_client, therapist)
    today = timezone.localdate()
    first, created = homecare.record_practice(clear_client, plan, today, 4, PracticeSource.REMINDER)
    again, created_again = homecare.record_practice(clear_client, plan, today)
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk and PracticeLog.objects.count() == 1


def test_practice_for_another_client_s_plan_or_the_future_is_refused(clear_client, therapist):
    plan = make_plan(clear_client, therapist)
    with pytest.raises(ValidationError):
        homecare.record_practice(ClientFactory(), plan, timezone.localdate())
    with pytest.raises(ValidationError):
        homecare.record_practice(clear_client, plan, timezone.localdate() + timedelta(days=5))


def test_adherence_counts_planned_days_done(clear_client, therapist):
    # Mondays, Wednesdays and Fridays; two weeks from Monday Mar 2, 2026.
    plan = make_plan(clear_client, therapist, starts_on=date(2026, 3, 2))
    done = [date(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 7), date(2026, 3, 9)]
    result = homecare.adherence(plan, done, until=date(2026, 3, 13))
    assert (result["expected"], result["done"], result["extra"], result["percent"]) == (6, 3, 1, 50)


def test_the_home_care_page_shows_the_routine_in_plain_words_and_the_client_s_precautions(
    client_as, a_client, therapist
):
    screened(a_client, anticoagulants=True)
    make_plan(a_client, therapist)
    body = client_as("client").get(reverse("my-home-care")).content.decode()
    assert "Kneading with a massage ball" in body
    assert "5 minutes, Monday, Wednesday, Friday, at 19:30" in body
    assert "Keep the pressure moderate" in body
    assert "Skip “trigger points”" in body
    assert "Do not press directly on your spine" in body


def test_the_client_taps_i_did_it_and_sees_it_done(client_as, clear_client, therapist):
    make_plan(clear_client, therapist)
    http = client_as("client")
    http.post(reverse("practice-record", args=[clear_client.pk]), {"pain_now": "2"})
    assert "Done for today" in http.get(reverse("my-home-care")).content.decode()
    assert PracticeLog.objects.get().pain_now == 2
