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
