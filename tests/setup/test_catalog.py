"""Services with prices, rooms, weekly hours, time off and closures through the clinic admin's
screens and domain functions (issue 14, item 2)."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models.signals import pre_save
from django.urls import reverse

from clinic.accounts.models import Role
from clinic.audit.models import AuditEvent
from clinic.booking import catalog
from clinic.booking.models import Closure, Room, Service, WorkingHours
from tests.factories import RoomFactory, ServiceFactory, TherapistFactory

pytestmark = pytest.mark.django_db


def test_a_service_is_added_with_price_tax_and_who_offers_it(client_as, therapist):
    http = client_as(Role.CLINIC_ADMIN)
    response = http.post(
        reverse("setup-service-new"),
        {
            "name": "Gluteal release 60",
            "description": "Deep work on the buttock muscles.",
            "duration_minutes": "60",
            "buffer_minutes": "15",
            "price": "110.00",
            "online_bookable": "on",
            "is_active": "on",
            "therapists": [therapist.pk],
        },
    )
    assert response.status_code == 302
    service = Service.objects.get(name="Gluteal release 60")
    assert service.price == Decimal("110.00") and not service.tax_exempt
    assert list(service.therapists.all()) == [therapist]
    assert AuditEvent.objects.filter(object_type="booking.service", action="create").exists()


@pytest.mark.parametrize(
    "field, value",
    [("price", "-1"), ("price", "abc"), ("duration_minutes", "0"), ("name", "")],
)
def test_a_bad_service_is_refused_and_nothing_is_saved(client_as, field, value):
    data = {"name": "Ok", "duration_minutes": "60", "buffer_minutes": "0", "price": "90"}
    data[field] = value
    response = client_as(Role.CLINIC_ADMIN).post(reverse("setup-service-new"), data)
    assert response.status_code == 400
    assert not Service.objects.exists()


def test_a_room_is_added_with_the_services_it_suits(client_as):
    service = ServiceFactory(name="Hot stones")
    response = client_as(Role.CLINIC_ADMIN).post(
        reverse("setup-room-new"), {"name": "Willow", "is_active": "on", "services": [service.pk]}
    )
    assert response.status_code == 302
    assert list(Room.objects.get(name="Willow").services.all()) == [service]


def test_a_room_name_taken_is_refused(client_as):
    RoomFactory(name="Willow")
    response = client_as(Role.CLINIC_ADMIN).post(reverse("setup-room-new"), {"name": "Willow"})
    assert response.status_code == 400 and Room.objects.count() == 1


@pytest.mark.parametrize(
    ("page", "factory", "data", "error"),
    [
        ("setup-room-new", RoomFactory, {}, "A room with this name already exists."),
        (
            "setup-service-new",
            ServiceFactory,
            {"duration_minutes": "60", "buffer_minutes": "0", "price": "90"},
            "A service with this name already exists.",
        ),
    ],
)
def test_a_name_differing_only_in_case_is_refused_on_the_name_field(
    client_as, page, factory, data, error
):
    factory(name="Willow")
    response = client_as(Role.CLINIC_ADMIN).post(reverse(page), {"name": "WILLOW", **data})
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == [error]
    assert factory._meta.model.objects.count() == 1


@pytest.fixture
def twin_saved_meanwhile():
    """Another admin's "WILLOW" lands between the page's checks and its save."""

    def insert_twin(sender, instance, **kwargs):
        if instance.pk is None:
            Room.objects.bulk_create([Room(name=instance.name.upper())])

    pre_save.connect(insert_twin, sender=Room, dispatch_uid="twin-room")
    yield
    pre_save.disconnect(sender=Room, dispatch_uid="twin-room")


def test_a_twin_name_saved_at_the_same_instant_is_refused_not_a_500(
    client_as, twin_saved_meanwhile
):
    response = client_as(Role.CLINIC_ADMIN).post(reverse("setup-room-new"), {"name": "Willow"})
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["A room with this name already exists."]
    assert not Room.objects.filter(name="Willow").exists()


def test_the_database_refuses_two_service_names_differing_only_in_case():
    ServiceFactory(name="Hot stones")
    with pytest.raises(IntegrityError), transaction.atomic():
        Service.objects.create(name="HOT STONES", duration_minutes=60)


def hours_post(rows):
    data = {
        "form": "hours",
        "hours-TOTAL_FORMS": str(len(rows)),
        "hours-INITIAL_FORMS": "0",
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "1000",
    }
    for n, (weekday, start, end, room) in enumerate(rows):
        data |= {
            f"hours-{n}-weekday": str(weekday),
            f"hours-{n}-start_time": start,
            f"hours-{n}-end_time": end,
            f"hours-{n}-room": str(room.pk) if room else "",
        }
    return data


def test_weekly_hours_take_several_blocks_a_day_each_with_its_room(client_as, therapist):
    willow, cedar = RoomFactory(name="Willow"), RoomFactory(name="Cedar")
    url = reverse("setup-staff-hours", args=[therapist.user.pk])
    response = client_as(Role.CLINIC_ADMIN).post(
        url, hours_post([(0, "09:00", "12:00", willow), (0, "13:00", "17:30", cedar)])
    )
    assert response.status_code == 302
    blocks = list(WorkingHours.objects.filter(therapist=therapist).order_by("start_time"))
    assert [(b.start_time, b.end_time, b.room) for b in blocks] == [
        (time(9), time(12), willow),
        (time(13), time(17, 30), cedar),
    ]


def test_overlapping_blocks_are_refused_and_the_old_hours_stay(client_as, therapist):
    WorkingHours.objects.create(
        therapist=therapist, weekday=2, start_time=time(8), end_time=time(9)
    )
    url = reverse("setup-staff-hours", args=[therapist.user.pk])
    response = client_as(Role.CLINIC_ADMIN).post(
        url, hours_post([(0, "09:00", "12:00", None), (0, "11:00", "15:00", None)])
    )
    assert response.status_code == 400
    assert list(WorkingHours.objects.values_list("weekday", flat=True)) == [2]


def test_time_off_is_added_on_the_hours_page_in_clinic_time(client_as, therapist):
    url = reverse("setup-staff-hours", args=[therapist.user.pk])
    response = client_as(Role.CLINIC_ADMIN).post(
        url,
        {
            "form": "time_off",
            "starts_at": "2026-07-01T09:00",
            "ends_at": "2026-07-01T13:00",
            "reason": "Course",
        },
    )
    assert response.status_code == 302
    off = therapist.time_off.get()
    assert off.starts_at.isoformat() == "2026-07-01T13:00:00+00:00"  # 09:00 in Toronto (EDT)


def test_time_off_ending_before_it_starts_is_refused(clinic_admin_user):
    therapist = TherapistFactory()
    with pytest.raises(catalog.CatalogError):
        catalog.add_time_off(
            therapist=therapist,
            starts_at="2026-07-01T13:00Z",
            ends_at="2026-07-01T12:00Z",
            by=clinic_admin_user,
        )


def test_a_closure_is_added_and_removed_on_its_screen(client_as):
    http = client_as(Role.CLINIC_ADMIN)
    response = http.post(
        reverse("setup-closures"),
        {"first_day": "2026-12-25", "last_day": "2026-12-26", "reason": "Christmas"},
    )
    assert response.status_code == 302
    closure = Closure.objects.get()
    assert (closure.first_day, closure.last_day) == (date(2026, 12, 25), date(2026, 12, 26))
    assert http.post(reverse("setup-closure-remove", args=[closure.pk])).status_code == 302
    assert not Closure.objects.exists()
    assert AuditEvent.objects.filter(object_type="booking.closure").count() == 2


def test_a_closure_ending_before_it_starts_is_refused(client_as):
    response = client_as(Role.CLINIC_ADMIN).post(
        reverse("setup-closures"),
        {"first_day": "2026-12-26", "last_day": "2026-12-25", "reason": "Oops"},
    )
    assert response.status_code == 400 and not Closure.objects.exists()


@pytest.mark.parametrize("name", ["setup-services", "setup-rooms", "setup-staff"])
def test_the_lists_run_a_fixed_number_of_queries(client_as, name, django_assert_max_num_queries):
    for n in range(30):
        service = ServiceFactory(name=f"S{n}")
        service.therapists.add(TherapistFactory())
        RoomFactory(name=f"R{n}").services.add(service)
    http = client_as(Role.CLINIC_ADMIN)
    with django_assert_max_num_queries(15):
        assert http.get(reverse(name)).status_code == 200


def test_the_hours_page_runs_a_fixed_number_of_queries(
    client_as, therapist, django_assert_max_num_queries
):
    rooms = [RoomFactory(name=f"Room {n}") for n in range(5)]
    for n in range(28):
        WorkingHours.objects.create(
            therapist=therapist,
            weekday=n % 7,
            start_time=time(6 + n // 7 * 3),
            end_time=time(8 + n // 7 * 3),
            room=rooms[n % 5],
        )
    http = client_as(Role.CLINIC_ADMIN)
    with django_assert_max_num_queries(15):
        page = http.get(reverse("setup-staff-hours", args=[therapist.user.pk]))
    assert page.status_code == 200


@pytest.mark.parametrize("name", ["setup-settings", "setup-closures", "admin-home"])
def test_the_settings_and_closures_pages_run_a_fixed_number_of_queries(
    client_as, name, django_assert_max_num_queries
):
    for n in range(30):
        Closure.objects.create(
            first_day=date(2030, 1, n + 1), last_day=date(2030, 1, n + 1), reason="x"
        )
    http = client_as(Role.CLINIC_ADMIN)
    with django_assert_max_num_queries(15):
        assert http.get(reverse(name)).status_code == 200


def test_the_staff_profile_page_runs_a_fixed_number_of_queries(
    client_as, therapist, django_assert_max_num_queries
):
    for n in range(30):
        ServiceFactory(name=f"S{n}").therapists.add(therapist)
    http = client_as(Role.CLINIC_ADMIN)
    with django_assert_max_num_queries(15):
        page = http.get(reverse("setup-staff-detail", args=[therapist.user.pk]))
    assert page.status_code == 200
