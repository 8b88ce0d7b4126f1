"""The permission matrix: who may open each route. One module per app adds its rows.

Each row names a URL pattern, the roles allowed (`PUBLIC` for anyone, anonymous included),
how to fill its URL arguments from the `world` fixture, and the HTTP method to try.
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


def all_routes():
    from . import booking, foundation, intake, treatment

    table = {}
    for module in (foundation, intake, booking, treatment):
        overlap = table.keys() & module.ROUTES.keys()
        assert not overlap, f"routes declared twice: {overlap}"
        table.update(module.ROUTES)
    return table
