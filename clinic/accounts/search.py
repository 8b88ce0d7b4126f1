"""What a client search compares, in one place for the query and for its trigram indexes.

On PostgreSQL a GIN trigram index (pg_trgm) on each expression below lets `icontains` (which
Django writes as `UPPER(column) LIKE UPPER('%term%')`) and the phone digits' `contains` find
a few clients among a chain's hundred thousand without reading them all. The index must be on
the very expression the query uses, so both are built from these functions.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.models import F, Value
from django.db.models.functions import Replace, Upper

# Characters a phone number is written with besides its digits.
PHONE_PUNCTUATION = " -().+"


def phone_digits():
    """The client's phone number with its punctuation taken out."""
    expression = F("phone")
    for character in PHONE_PUNCTUATION:
        expression = Replace(expression, Value(character), Value(""))
    return expression


def trigram_indexes() -> list[GinIndex]:
    """The GIN trigram indexes on clients that the name, email and phone searches use."""
    return [
        GinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=f"client_{field}_trgm")
        for field in ("first_name", "last_name", "email")
    ] + [GinIndex(OpClass(phone_digits(), name="gin_trgm_ops"), name="client_phone_trgm")]
