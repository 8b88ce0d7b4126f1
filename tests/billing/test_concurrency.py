"""Twenty checkouts at once on real PostgreSQL: twenty invoice numbers, none skipped."""

import threading

import pytest
from django.db import connections, transaction

from clinic.billing.invoices import issue
from clinic.billing.models import Invoice
from tests.factories import ClientFactory, TherapistFactory


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_checkouts_get_twenty_gap_free_numbers(checked_in, front_desk_user):
    drafts = [
        Invoice.objects.get(
            appointment=checked_in(client=ClientFactory(), therapist=TherapistFactory())
        )
        for _ in range(20)
    ]
    barrier = threading.Barrier(20)
    errors = []

    def checkout(invoice):
        try:
            barrier.wait(timeout=30)
            issue(invoice, by=front_desk_user)
        except Exception as error:  # noqa: BLE001  (reported below, not swallowed)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=checkout, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 21))


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_checkout_gives_its_number_back(checked_in, front_desk_user):
    first, second = (
        Invoice.objects.get(
            appointment=checked_in(client=ClientFactory(), therapist=TherapistFactory())
        )
        for _ in "ab"
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        issue(first, by=front_desk_user)
        raise RuntimeError("card declined")
    assert issue(second, by=front_desk_user).number == 1
