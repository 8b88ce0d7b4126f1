from axes.models import AccessAttempt

from clinic.accounts.models import Role

from . import ANY_ROLE, PUBLIC, STAFF, Route

ROUTES = {
    "home": Route(ANY_ROLE),
    "client-home": Route(frozenset({Role.CLIENT})),
    "client-visits": Route(frozenset({Role.CLIENT})),
    "client-progress": Route(frozenset({Role.CLIENT})),
    "client-documents": Route(frozenset({Role.CLIENT})),
    "client-notifications": Route(frozenset({Role.CLIENT})),
    "front-desk-home": Route(frozenset({Role.FRONT_DESK})),
    "therapist-home": Route(frozenset({Role.THERAPIST})),
    "admin-home": Route(frozenset({Role.CLINIC_ADMIN})),
    "sign-in-lockouts": Route(frozenset({Role.CLINIC_ADMIN})),
    "client-detail": Route(STAFF, kwargs=lambda w: {"pk": w.client.pk}),
    "login": Route(PUBLIC),
    "logout": Route(PUBLIC, method="post"),
    "password_reset": Route(PUBLIC),
    "password_reset_done": Route(PUBLIC),
    "password_reset_confirm": Route(PUBLIC, kwargs=lambda w: {"uidb64": "MQ", "token": "x-y"}),
    "password_reset_complete": Route(PUBLIC),
    "health": Route(PUBLIC),
    "favicon": Route(PUBLIC),
    "api-me": Route(ANY_ROLE),
    "api-schema": Route(ANY_ROLE),
    "api-docs": Route(ANY_ROLE),
}


def add_to_world(world):
    """A sign-in locked out from one address, so the lockouts page shows its table."""
    world.lockout = AccessAttempt.objects.create(
        username="locked-out@tranquil.test",
        ip_address="192.0.2.10",
        user_agent="",
        failures_since_start=10,
    )
