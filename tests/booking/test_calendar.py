"""The time-grid calendar: every therapist's lanes, visits placed by clinic time (DST days too),
cancellations kept visible, "next available", drag-to-move and buttons that fit the clock."""

import json
import re
from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from clinic.accounts.models import Role
from clinic.booking.models import AppointmentStatus
from clinic.core.clinic_time import at_local, today
from tests.booking.conftest import at, working_every_day
from tests.factories import AppointmentFactory, TherapistFactory, WorkingHoursFactory

pytestmark = pytest.mark.django_db


def page(http, url):
    response = http.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def lane(html, therapist, day):
    """The HTML of one therapist's lane on one day."""
    section = html.split(f'data-day="{day}"')[1]
    return section.split(f'data-therapist="{therapist.pk}"')[1].split('class="cal-lane"')[0]


def top_of(html, visit):
    return int(re.search(rf'data-visit="{visit.pk}" data-top="(\d+)"', html).group(1))


def hour_labels(html):
    return re.findall(r'class="cal-hour" data-top="\d+">([\d:]+)<', html)


def test_the_day_view_has_a_lane_per_therapist_and_places_visits_by_time(
    client_as, therapist, service, room
):
    other = TherapistFactory(user__first_name="Ola")
    working_every_day(therapist, room)
    working_every_day(other, room, start=time(8))
    mine = AppointmentFactory(
        therapist=therapist, service=service, starts_at=at("2026-03-10", "10:00")
    )
    theirs = AppointmentFactory(
        therapist=other, service=service, starts_at=at("2026-03-10", "13:15")
    )
    html = page(client_as(Role.FRONT_DESK), "/booking/day/?date=2026-03-10")
    assert f'data-visit="{mine.pk}"' in lane(html, therapist, "2026-03-10")
    assert f'data-visit="{theirs.pk}"' in lane(html, other, "2026-03-10")
    assert hour_labels(html)[0] == "08:00"  # the earliest working hour
    assert top_of(html, mine) == 120 and top_of(html, theirs) == 315
    assert 'data-outcome="missing"' in lane(html, therapist, "2026-03-10")  # the badge


@pytest.mark.parametrize(
    ("day", "labels", "wall", "minutes"),
    [
        # Spring forward: 02:00 never happens, so 03:30 is 2.5 hours after midnight.
        ("2026-03-08", ["00:00", "01:00", "03:00", "04:00", "05:00"], "03:30", 150),
        # Fall back: 01:00 happens twice, so 03:00 is 4 hours after midnight.
        (
            "2026-11-01",
            ["00:00", "01:00", "01:00", "02:00", "03:00", "04:00", "05:00"],
            "03:00",
            240,
        ),
    ],
)
def test_a_dst_day_has_its_real_hours_and_visits_sit_at_their_real_time(
    client_as, therapist, service, room, day, labels, wall, minutes
):
    weekday = date.fromisoformat(day).weekday()
    WorkingHoursFactory(therapist=therapist, weekday=weekday, start_time=time(0), end_time=time(6))
    visit = AppointmentFactory(therapist=therapist, service=service, starts_at=at(day, wall))
    html = page(client_as(Role.FRONT_DESK), f"/booking/day/?date={day}")
    assert hour_labels(html) == labels
    assert top_of(html, visit) == minutes
    assert f">{wall}–" in html


def test_on_a_dst_day_a_morning_visit_sits_where_it_does_on_any_other_day(
    client_as, therapist, service, room
):
    working_every_day(therapist, room)
    dst = AppointmentFactory(
        therapist=therapist, service=service, starts_at=at("2026-03-08", "10:00")
    )
    plain = AppointmentFactory(
        therapist=therapist, service=service, starts_at=at("2026-03-10", "10:00")
    )
    html = page(client_as(Role.FRONT_DESK), "/booking/week/?date=2026-03-09&show=all")
    week_before = page(client_as(Role.FRONT_DESK), "/booking/week/?date=2026-03-02")
    assert top_of(html, plain) == 60
    assert top_of(week_before, dst) == 60


def test_the_day_view_keeps_cancellations_and_no_shows_struck_through_and_labelled(
    client_as, therapist, service
):
    cancelled = AppointmentFactory(
        therapist=therapist,
        service=service,
        starts_at=at("2026-03-10", "10:00"),
        status=AppointmentStatus.CANCELLED,
    )
    no_show = AppointmentFactory(
        therapist=therapist,
        service=service,
        starts_at=at("2026-03-10", "12:00"),
        status=AppointmentStatus.NO_SHOW,
    )
    live = AppointmentFactory(
        therapist=therapist, service=service, starts_at=at("2026-03-10", "10:00")
    )
    http = client_as(Role.FRONT_DESK)
    html = page(http, "/booking/day/?date=2026-03-10")
    for visit, label in ((cancelled, "Cancelled"), (no_show, "No-show")):
        card = html.split(f'data-visit="{visit.pk}"')[0].rsplit("<article", 1)[1]
        assert "visit-gone" in card
        after = html.split(f'data-visit="{visit.pk}"')[1]
        assert f'<span class="status-label">{label}</span>' in after.split("</article>")[0]
    assert f'data-visit="{live.pk}"' in html
    active = page(http, "/booking/day/?date=2026-03-10&show=active")
    assert f'data-visit="{cancelled.pk}"' not in active
    assert f'data-visit="{no_show.pk}"' not in active
    assert f'data-visit="{live.pk}"' in active


def test_the_week_shows_every_therapist_each_day_and_filters_by_one(client_as, service, room):
    first, second = TherapistFactory(), TherapistFactory()
    for t in (first, second):
        for weekday in range(5):
            WorkingHoursFactory(therapist=t, weekday=weekday, start_time=time(9), end_time=time(17))
    AppointmentFactory(therapist=second, service=service, starts_at=at("2026-03-11", "09:00"))
    http = client_as(Role.FRONT_DESK)
    html = page(http, "/booking/week/?date=2026-03-10")
    assert html.count('class="cal-day"') == 5  # Monday to Friday: the weekend is idle
    for t in (first, second):
        assert html.count(f'class="cal-lane" data-therapist="{t.pk}"') == 5
    assert "Wed 11 Mar" in html and "Sat 14 Mar" not in html
    only = page(http, f"/booking/week/?date=2026-03-10&therapist={first.pk}")
    assert only.count('class="cal-lane"') == 5


def test_the_week_takes_a_fixed_number_of_queries(
    client_as, service, room, django_assert_max_num_queries
):
    http = client_as(Role.FRONT_DESK)
    for n in range(6):
        t = TherapistFactory()
        working_every_day(t, room)
        for d in range(7):
            AppointmentFactory(
                therapist=t,
                service=service,
                starts_at=at(f"2026-03-{9 + d:02d}", f"{9 + n:02d}:00"),
            )
    shown = 0
    for number in (1, 2):  # six therapists a page, and the fixtures' one
        with django_assert_max_num_queries(12):
            html = page(http, f"/booking/week/?date=2026-03-10&page={number}")
        shown += html.count("data-visit=")
    assert shown == 42


def test_next_available_jumps_to_the_first_free_time_and_highlights_it(
    client_as, therapist, service, room
):
    working_every_day(therapist, room)
    http = client_as(Role.FRONT_DESK)
    response = http.get(f"/booking/next-available/?service={service.pk}&therapist={therapist.pk}")
    assert response.status_code == 302
    html = page(http, response.url.split("#")[0])
    highlighted = html.split('id="next-free"')[0].rsplit('data-therapist="', 1)[1]
    assert highlighted.startswith(f'{therapist.pk}"')
    assert re.search(r'id="next-free"[^>]*>Next free: \d\d:\d\d<', html)


def test_next_available_opens_the_page_of_therapists_with_the_free_lane(
    client_as, therapist, service, room
):
    # Thirteen others sort before "Zz": the free therapist's lane is on the second page.
    for n in range(13):
        TherapistFactory(user__first_name=f"Aa{n:02d}")
    therapist.user.first_name = "Zz"
    therapist.user.save()
    working_every_day(therapist, room)
    http = client_as(Role.FRONT_DESK)
    response = http.get(f"/booking/next-available/?service={service.pk}&therapist={therapist.pk}")
    html = page(http, response.url.split("#")[0])
    assert 'id="next-free"' in html
    assert "Therapists 13–14 of 14" in html


def test_a_lane_asked_for_opens_the_page_of_therapists_that_holds_it(client_as, therapist):
    for n in range(13):
        TherapistFactory(user__first_name=f"Aa{n:02d}")
    therapist.user.first_name = "Zz"
    therapist.user.save()
    html = page(client_as(Role.FRONT_DESK), f"/booking/day/?date=2026-03-10&lane={therapist.pk}")
    assert f'data-therapist="{therapist.pk}"' in html
    assert "Therapists 13–14 of 14" in html


def test_next_available_without_a_service_says_so(client_as):
    response = client_as(Role.FRONT_DESK).get("/booking/next-available/", follow=True)
    assert "Choose a service" in response.content.decode()


@pytest.fixture
def soon(therapist, service, room):
    """Two visits of `therapist` on a day ahead, at 10:00 and 13:00."""
    working_every_day(therapist, room)
    day = today() + timedelta(days=3)
    return [
        AppointmentFactory(
            therapist=therapist, service=service, room=room, starts_at=at_local(day, time(h))
        )
        for h in (10, 13)
    ]


def move(http, visit, starts_at, therapist):
    return http.post(
        f"/booking/appointments/{visit.pk}/move/",
        {"slot": f"{starts_at.isoformat()}|{therapist.pk}"},
    )


def test_a_drag_moves_the_visit_through_reschedule(client_as, soon, therapist):
    visit = soon[0]
    later = visit.starts_at + timedelta(hours=5)
    response = move(client_as(Role.FRONT_DESK), visit, later, therapist)
    assert response.status_code == 200
    assert response.json()["detail"].startswith("Moved ")
    visit.refresh_from_db()
    assert visit.starts_at == later


def test_a_drag_onto_a_taken_time_is_refused_with_the_conflicts_and_changes_nothing(
    client_as, soon, therapist
):
    visit, other = soon
    before = visit.starts_at
    response = move(client_as(Role.FRONT_DESK), visit, other.starts_at, therapist)
    assert response.status_code == 409
    body = json.loads(response.content)
    assert body["conflicts"] and body["conflicts"][0]["appointment"] == other.pk
    assert "is already booked" in body["detail"]
    visit.refresh_from_db()
    assert visit.starts_at == before


def test_a_therapist_cannot_drag_a_visit(client_as, soon, therapist):
    response = move(
        client_as(Role.THERAPIST), soon[0], soon[0].starts_at + timedelta(hours=5), therapist
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "slot", ["", "tomorrow|1", "2026-03-10T10:00|x", "2026-03-10T10:00|999999"]
)
def test_a_move_that_cannot_be_read_is_a_400_and_changes_nothing(client_as, soon, slot):
    visit = soon[0]
    response = client_as(Role.FRONT_DESK).post(
        f"/booking/appointments/{visit.pk}/move/", {"slot": slot}
    )
    assert response.status_code == 400
    assert response.json()["detail"]
    before = visit.starts_at
    visit.refresh_from_db()
    assert visit.starts_at == before


class TestButtonsFitTheClock:
    """Only what the visit allows now: Check in on its day, No-show once it has started."""

    NOW = at("2026-03-10", "12:00")

    @pytest.fixture(autouse=True)
    def frozen(self, monkeypatch):
        monkeypatch.setattr(timezone, "now", lambda: self.NOW)

    def buttons(self, client_as, therapist, service, day, wall):
        visit = AppointmentFactory(therapist=therapist, service=service, starts_at=at(day, wall))
        html = page(client_as(Role.FRONT_DESK), f"/booking/day/?date={day}")
        return html.split(f'data-visit="{visit.pk}"')[1].split("</article>")[0]

    def test_a_visit_three_days_ahead_offers_no_check_in_and_no_no_show(
        self, client_as, therapist, service
    ):
        card = self.buttons(client_as, therapist, service, "2026-03-13", "10:00")
        assert "Check in" not in card and "No-show" not in card
        assert "Move" in card and "Cancel" in card

    def test_a_visit_later_today_offers_check_in_but_not_no_show(
        self, client_as, therapist, service
    ):
        card = self.buttons(client_as, therapist, service, "2026-03-10", "14:00")
        assert "Check in" in card and "No-show" not in card

    def test_a_started_visit_offers_no_show(self, client_as, therapist, service):
        card = self.buttons(client_as, therapist, service, "2026-03-10", "11:30")
        assert "No-show" in card and "Check in" in card


def test_the_front_desk_menu_has_the_week(client_as):
    html = page(client_as(Role.FRONT_DESK), "/booking/day/")
    menu = html.split('aria-label="Main"')[1].split("</nav>")[0]
    assert '<a href="/booking/week/">Week</a>' in menu
