"""The one door for writing audit rows: `record(request_or_user, action, obj, client)`."""

from dataclasses import dataclass

from clinic.accounts.client_ip import client_ip

from .models import AuditAction, AuditEvent

# Short, stable names for the objects the log talks about; anything else uses its model name.
OBJECT_TYPES = {
    "intake.intake": "intake",
    "intake.clearance": "clearance",
    "treatment.treatmentplan": "plan",
    "treatment.sessionnote": "note",
    "treatment.amendment": "amendment",
    "accounts.client": "client",
    "audit.breakglassgrant": "break-glass",
    "privacy.recordexport": "record_export",
    "privacy.accessrequest": "access_request",
    "privacy.breach": "breach",
    "privacy.destructionlog": "destruction",
}


def _object_type_and_id(obj):
    if isinstance(obj, tuple):
        object_type, object_id = obj
        return object_type, "" if object_id is None else str(object_id)
    label = obj._meta.label_lower
    return OBJECT_TYPES.get(label, label), str(obj.pk)


def _client_of(obj):
    if isinstance(obj, tuple):
        return None
    if obj._meta.label_lower == "accounts.client":
        return obj
    return getattr(obj, "client", None)


@dataclass(frozen=True)
class Origin:
    """Who acts and from where: what domain functions receive instead of a request."""

    user: object
    ip_address: str | None = None
    user_agent: str = ""
    # Who acted when nobody is logged in, e.g. a client through an emailed link; else the email.
    label: str = ""

    @classmethod
    def client_by_link(cls, client):
        """A client acting through a signed link they were emailed (no login)."""
        return cls(None, label=f"{client.full_name} (client, via emailed link)")

    @classmethod
    def of(cls, request_or_user):
        """From an HttpRequest or DRF Request (both have META), an Origin, or a bare user."""
        if isinstance(request_or_user, Origin):
            return request_or_user
        if hasattr(request_or_user, "META"):
            meta = request_or_user.META
            # The peer, or the address the trusted proxy saw (never a client-sent header).
            return cls(
                request_or_user.user,
                client_ip(request_or_user) or None,
                meta.get("HTTP_USER_AGENT", "")[:300],
            )
        return cls(request_or_user)


def record(request_or_user, action, obj, client=None, detail=""):
    """Write one audit row: who (a request, an Origin or a user), what `action` on `obj`.

    `obj` is a model instance (its type and id are taken from it) or a `(type, id)` tuple for
    things that are not one row, like a client's record page. The client defaults to
    `obj.client` (or `obj` itself when it is a client). A request adds the IP and user agent.
    """
    origin = Origin.of(request_or_user)
    user = origin.user
    if user is not None and not user.is_authenticated:
        user = None
    object_type, object_id = _object_type_and_id(obj)
    return AuditEvent.objects.create(
        actor=user,
        actor_label=user.email if user else origin.label,
        action=AuditAction(action),
        object_type=object_type,
        object_id=object_id,
        client=client if client is not None else _client_of(obj),
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
        detail=detail[:300],
    )


def record_many(request_or_user, action, objs, detail=""):
    """One row per object in a single insert, for lists (an API page of notes, say)."""
    origin = Origin.of(request_or_user)
    user = origin.user if origin.user is not None and origin.user.is_authenticated else None
    rows = []
    for obj in objs:
        object_type, object_id = _object_type_and_id(obj)
        rows.append(
            AuditEvent(
                actor=user,
                actor_label=user.email if user else origin.label,
                action=AuditAction(action),
                object_type=object_type,
                object_id=object_id,
                client_id=getattr(obj, "client_id", None),
                ip_address=origin.ip_address,
                user_agent=origin.user_agent,
                detail=detail[:300],
            )
        )
    return AuditEvent.objects.bulk_create(rows)


def record_view(request, obj, client=None):
    """Shorthand for the intake pages and others: `request.user` viewed `obj`."""
    return record(request, AuditAction.VIEW, obj, client)
