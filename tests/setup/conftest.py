import pytest
from django.core.cache import cache

from clinic.core.models import CACHE_KEY


@pytest.fixture(autouse=True)
def fresh_clinic_settings():
    """These tests change the clinic's settings: no cached copy leaks into the next test."""
    cache.delete(CACHE_KEY)
    yield
    cache.delete(CACHE_KEY)
