"""The one door for writing audit rows: `record(request_or_user, action, obj, client)`."""

from .models import AuditAction, AuditEvent

# Short, stable names for the objects the log talks about; anything else uses its model name.
OBJECT_TYPES = {
    "intake.intake": "intake",
    "intake.clearance": "clearance",
    "treatment.treatmentplan": "plan",
    "treatment.sessionnote": "note",
    "treatment.amendment": "amendment",
    "accounts.client": "client",
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


def _request_origin(request):
    # REMOTE_ADDR is the peer; a proxy's X-Forwarded-For is not trusted here on purpose.
    return request.META.get("REMOTE_ADDR") or None, request.META.get("HTTP_USER_AGENT", "")[:300]


def record(request_or_user, action, obj, client=None, detail=""):
    """Write one audit row: who (a request or a user), what `action` on `obj`, for which client.

    `obj` is a model instance (its type and id are taken from it) or a `(type, id)` tuple for
    things that are not one row, like a client's record page. The client defaults to
    `obj.client` (or `obj` itself when it is a client). A request adds the IP and user agent.
    """
    # An HttpRequest or a DRF Request (which passes META through); anything else is a user.
    if hasattr(request_or_user, "META"):
        user = request_or_user.user
        ip_address, user_agent = _request_origin(request_or_user)
    else:
        user, ip_address, user_agent = request_or_user, None, ""
    if user is not None and not user.is_authenticated:
        user = None
    object_type, object_id = _object_type_and_id(obj)
    return AuditEvent.objects.create(
        actor=user,
        actor_label=user.email if user else "",
        action=AuditAction(action),
        object_type=object_type,
        object_id=object_id,
        client=client if client is not None else _client_of(obj),
        ip_address=ip_address,
        user_agent=user_agent,
        detail=detail[:300],
    )


def record_view(request, obj, client=None):
    """Shorthand for the intake pages and others: `request.user` viewed `obj`."""
    return record(request, AuditAction.VIEW, obj, client)
