"""Demo people shared by every app's `demo.seed(people)`; all found-or-created, never duplicated."""

from dataclasses import dataclass
from datetime import date

from clinic.accounts.models import Client, ReminderChannel, Role, Therapist, User
from clinic.core.models import ClinicSettings

DEMO_PASSWORD = "tranquil-demo"
DEMO_LOGINS = [
    ("clinic_admin", "admin@tranquil.test"),
    ("front_desk", "desk@tranquil.test"),
    ("therapist", "maya@tranquil.test"),
    ("client", "client@tranquil.test"),
]
THERAPISTS = [
    ("maya@tranquil.test", "Maya", "Lindqvist"),
    ("omar@tranquil.test", "Omar", "Haddad"),
    ("june@tranquil.test", "June", "Okafor"),
]
CLIENTS = [
    ("client@tranquil.test", "Alex", "Rivera", "+14165550101", date(1985, 4, 12)),
    ("sam.chen@example.com", "Sam", "Chen", "+14165550102", date(1979, 9, 3)),
    ("priya.n@example.com", "Priya", "Nair", "+14165550103", date(1991, 1, 27)),
    ("lucas.m@example.com", "Lucas", "Martin", "+14165550104", date(1968, 6, 30)),
    ("ines.g@example.com", "Inês", "Gomes", "+14165550105", date(1995, 11, 8)),
    ("tom.b@example.com", "Tom", "Becker", "+14165550106", date(1973, 2, 14)),
]


@dataclass
class DemoPeople:
    admin: User
    front_desk: User
    therapists: list[Therapist]
    clients: list[Client]


def _user(email, first, last, role):
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first, "last_name": last, "role": role}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def seed_people():
    """The clinic, one login per role, three therapists and six clients."""
    settings = ClinicSettings.load()
    if not settings.phone:
        settings.name = "Tranquil Massage Clinic"
        settings.phone = "+14165550100"
        settings.email = "hello@tranquil.test"
        settings.address = "12 Willow Street, Toronto"
        settings.save()
    admin = _user("admin@tranquil.test", "Ada", "Admin", Role.CLINIC_ADMIN)
    desk = _user("desk@tranquil.test", "Dev", "Desk", Role.FRONT_DESK)
    therapists = [
        Therapist.objects.get_or_create(
            user=_user(email, first, last, Role.THERAPIST),
            # Receipts and the record print these (issue 14).
            defaults={"credentials": "RMT", "registration_number": f"R-{10231 + index}"},
        )[0]
        for index, (email, first, last) in enumerate(THERAPISTS)
    ]
    clients = []
    for index, (email, first, last, phone, born) in enumerate(CLIENTS):
        user = _user(email, first, last, Role.CLIENT) if index == 0 else None
        client, _ = Client.objects.get_or_create(
            email=email,
            defaults={
                "user": user,
                "first_name": first,
                "last_name": last,
                "phone": phone,
                "date_of_birth": born,
                "preferred_channel": ReminderChannel.EMAIL,
                "sms_consent": index % 2 == 0,
                "primary_therapist": therapists[index % len(therapists)],
                "created_by": desk,
            },
        )
        clients.append(client)
    return DemoPeople(admin=admin, front_desk=desk, therapists=therapists, clients=clients)
