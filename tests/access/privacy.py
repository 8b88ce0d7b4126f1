"""Permission-matrix rows for the privacy duties (clinic/privacy): the clinic admin alone."""

from django.utils import timezone

from clinic.accounts.models import Role
from clinic.privacy.models import AccessRequest, Breach, RequestKind

from . import Route

ADMIN = frozenset({Role.CLINIC_ADMIN})


def add_to_world(world):
    """An open access request of the client and one breach entry."""
    today = timezone.localdate()
    world.access_request = AccessRequest.objects.create(
        client=world.client, kind=RequestKind.ACCESS, received_on=today, due_on=today
    )
    world.breach = Breach.objects.create(
        discovered_at=timezone.now(), kind="other", description="A test incident."
    )


def client_pk(w):
    return {"pk": w.client.pk}


ROUTES = {
    "privacy-home": Route(ADMIN),
    "privacy-client": Route(ADMIN, kwargs=client_pk),
    "privacy-export-pdf": Route(ADMIN, kwargs=client_pk, method="post"),
    "privacy-export-fhir": Route(ADMIN, kwargs=client_pk, method="post"),
    "privacy-requests": Route(ADMIN),
    "privacy-request-fulfil": Route(
        ADMIN, kwargs=lambda w: {"pk": w.access_request.pk}, method="post"
    ),
    "privacy-retention": Route(ADMIN),
    "privacy-destroy": Route(ADMIN, kwargs=client_pk),
    "privacy-breaches": Route(ADMIN),
    "privacy-breach": Route(ADMIN, kwargs=lambda w: {"pk": w.breach.pk}),
    "privacy-breach-reported": Route(
        ADMIN,
        kwargs=lambda w: {"pk": w.breach.pk},
        method="post",
        data=lambda w: {"reported_on": timezone.localdate().isoformat()},
    ),
    "api-privacy-requests": Route(ADMIN),
    "api-privacy-request-fulfil": Route(
        ADMIN, kwargs=lambda w: {"pk": w.access_request.pk}, method="post"
    ),
    "api-privacy-export": Route(ADMIN, kwargs=client_pk, method="post"),
    "api-privacy-breaches": Route(ADMIN),
    "api-privacy-breach": Route(ADMIN, kwargs=lambda w: {"pk": w.breach.pk}),
    "api-privacy-retention": Route(ADMIN),
}
