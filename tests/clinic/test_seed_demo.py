import pytest
from django.apps import apps
from django.core.management import call_command

from clinic.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def row_counts():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label
        in {"accounts", "core", "booking", "intake", "treatment", "reminders", "audit"}
    }


def test_seed_demo_creates_one_login_per_role_and_prints_them(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    for role in Role:
        assert User.objects.filter(role=role).exists()
    assert "desk@tranquil.test" in out
    assert "tranquil-demo" in out


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo")
    first = row_counts()
    call_command("seed_demo")
    assert row_counts() == first
    assert first["accounts.Client"] >= 5
    assert first["accounts.Therapist"] >= 3
