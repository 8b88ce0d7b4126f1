"""Permission-matrix rows for break the glass (see tests/access/__init__.py).

Only a therapist breaks the glass (never the front desk: it is not clinical); the clinic admin
reviews the grants.
"""

from clinic.accounts.models import Role
from clinic.audit.break_glass import break_glass
from tests.factories import ClientFactory, TherapistFactory

from . import Route

THERAPIST = frozenset({Role.THERAPIST})
ADMIN = frozenset({Role.CLINIC_ADMIN})


def add_to_world(world):
    """A client the world's therapist does not treat, and a grant another therapist holds."""
    world.stranger = ClientFactory(first_name="Sam", last_name="Stranger")
    world.grant = break_glass(
        client=world.stranger, reason="Covering for a colleague", by=TherapistFactory().user
    )


def stranger(world):
    return {"pk": world.stranger.pk}


ROUTES = {
    "break-glass": Route(THERAPIST, stranger),
    "break-glass-review": Route(ADMIN),
    "break-glass-mark-reviewed": Route(ADMIN, lambda w: {"pk": w.grant.pk}, method="post"),
    "api-break-glass": Route(
        THERAPIST, stranger, method="post", data=lambda w: {"reason": "Covering today"}
    ),
    "api-break-glass-list": Route(ADMIN),
    "api-break-glass-review": Route(ADMIN, lambda w: {"pk": w.grant.pk}, method="post"),
}
