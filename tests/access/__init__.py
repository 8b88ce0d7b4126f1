"""The permission matrix: who may open each route. One module per app adds its rows.

Each row names a URL pattern, the roles allowed (`PUBLIC` for anyone, anonymous included),
how to fill its URL arguments from the `world` fixture, and the HTTP method to try (with
`data` for a POST). The world starts with `client` (whose primary therapist is `therapist`)
and each module may add rows to it in `add_to_world(world)`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from clinic.accounts.models import Role

PUBLIC = "public"
STAFF = frozenset({Role.FRONT_DESK, Role.THERAPIST, Role.CLINIC_ADMIN})
CLINICAL = frozenset({Role.THERAPIST, Role.CLINIC_ADMIN})
ANY_ROLE = frozenset(Role)


@dataclass(frozen=True)
class Route:
    allowed: frozenset | str
    kwargs: Callable = field(default=lambda world: {})
    method: str = "get"
    data: Callable = field(default=lambda world: {})


def modules():
    from . import (
        audit,
        billing,
        booking,
        foundation,
        intake,
        privacy,
        reminders,
        reports,
        setup,
        signin,
        treatment,
        waitlist,
    )

    return (
        foundation,
        intake,
        booking,
        treatment,
        reminders,
        audit,
        signin,
        privacy,
        reports,
        setup,
        waitlist,
        billing,
    )


def build_world(world):
    """Let each app add the rows its URL arguments need (a module's `add_to_world(world)`)."""
    for module in modules():
        if hasattr(module, "add_to_world"):
            module.add_to_world(world)
    return world


def all_routes():
    table = {}
    for module in modules():
        overlap = table.keys() & module.ROUTES.keys()
        assert not overlap, f"routes declared twice: {overlap}"
        table.update(module.ROUTES)
    return table
