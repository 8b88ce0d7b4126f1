"""factory_boy factories for every model the tests build; one module, shared by all apps."""

from datetime import time, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from clinic.accounts.models import Client, Role, Therapist, User
from clinic.booking.models import Appointment, Room, Service, WorkingHours

PASSWORD = "correct horse battery staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"user{n}@tranquil.test")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.CLIENT
    password = factory.django.Password(PASSWORD)


class TherapistFactory(DjangoModelFactory):
    class Meta:
        model = Therapist

    user = factory.SubFactory(UserFactory, role=Role.THERAPIST)


class ClientFactory(DjangoModelFactory):
    class Meta:
        model = Client

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"client{n}@example.com")
    phone = factory.Sequence(lambda n: f"+1 416 555 {n:04d}")


class ClientWithLoginFactory(ClientFactory):
    user = factory.SubFactory(
        UserFactory,
        role=Role.CLIENT,
        email=factory.SelfAttribute("..email"),
        first_name=factory.SelfAttribute("..first_name"),
        last_name=factory.SelfAttribute("..last_name"),
    )


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Gluteal release {n}")
    duration_minutes = 60
    buffer_minutes = 15


class RoomFactory(DjangoModelFactory):
    class Meta:
        model = Room
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Room {n}")


class WorkingHoursFactory(DjangoModelFactory):
    class Meta:
        model = WorkingHours

    therapist = factory.SubFactory(TherapistFactory)
    weekday = 0
    start_time = time(9)
    end_time = time(17)


class AppointmentFactory(DjangoModelFactory):
    """An appointment written directly (no overlap checks): for setting up scenes in tests."""

    class Meta:
        model = Appointment

    client = factory.SubFactory(ClientFactory)
    therapist = factory.SubFactory(TherapistFactory)
    room = factory.SubFactory(RoomFactory)
    service = factory.SubFactory(ServiceFactory)
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + o.service.duration)
    busy_until = factory.LazyAttribute(lambda o: o.ends_at + o.service.buffer)
