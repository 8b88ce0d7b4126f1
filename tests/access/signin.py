from clinic.accounts.models import Role

from . import ANY_ROLE, STAFF, Route

ROUTES = {
    "two-factor-verify": Route(STAFF),
    "two-factor-enrol": Route(STAFF),
    "session-keep-alive": Route(ANY_ROLE, method="post"),
    "two-factor-staff": Route(frozenset({Role.CLINIC_ADMIN})),
    "two-factor-reset": Route(
        frozenset({Role.CLINIC_ADMIN}),
        kwargs=lambda w: {"pk": w.therapist.user_id},
        method="post",
    ),
}
