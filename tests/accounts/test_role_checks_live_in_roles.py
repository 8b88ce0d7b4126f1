"""Role decisions live in clinic/accounts (roles.py and its querysets): a role compared inline
anywhere else fails here, so the rule stays in one module."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ["clinic", "intake", "sessions"]
# Roles are assigned (not decided) when accounts are made, by migrations and the demo data.
EXEMPT = re.compile(r"^clinic/accounts/|/migrations/|(^|/)demo\.py$|/management/commands/")

INLINE_CHECK = re.compile(
    r"\.role\s*(==|!=|\bin\b|\bnot\s+in\b)"  # request.user.role == ...
    r"|\brole\s*(==|!=)"  # role = role_of(user); if role == ...
    r"|\b(if|and|or)\b.*\brole\s+(not\s+)?in\b"  # if role in DESK:
    r"|(==|!=)\s*Role\.\w+"  # ... == Role.THERAPIST
    r"|Role\.\w+\s*(==|!=|and\b)"  # Role.THERAPIST == ..., Role.THERAPIST and ...
    r"|\bin\s*[(\[{]\s*Role\."  # role in (Role.FRONT_DESK, ...)
    r"|role_of\([^)]*\)\s*(==|!=|\bin\b|\bnot\b)"  # role_of(user) == ...
    r"|\bget\(\s*[\"']role[\"']\s*\)\s*(==|!=|\bin\b)"  # context.get("role") in ...
    r"|\b(getattr|hasattr)\([^)]*[\"']therapist[\"']"  # getattr(user, "therapist", None)
    r"|\.is_superuser\b"
)


def _offences():
    found = []
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if EXEMPT.search(name):
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if INLINE_CHECK.search(line):
                    found.append(f"{name}:{number}: {line.strip()}")
    return found


def test_no_role_is_compared_outside_roles_py():
    assert _offences() == [], "Move these decisions to a named function in roles.py"


@pytest.mark.parametrize(
    "line",
    [
        "if request.user.role == Role.THERAPIST and visit.therapist.user_id != request.user.pk:",
        "is_client = role_of(request.user) == Role.CLIENT",
        '"is_staff": role_of(request.user) not in (None, Role.CLIENT),',
        '"can_book": context.get("role") in (Role.FRONT_DESK, Role.CLINIC_ADMIN),',
        'therapist = getattr(context["request"].user, "therapist", None)',
        "if user.role in STAFF:",
        "if role in DESK:",
        "if request.user.is_superuser:",
    ],
)
def test_the_scan_catches_each_shape_of_inline_check(line):
    assert INLINE_CHECK.search(line)


@pytest.mark.parametrize(
    "line",
    [
        "@role_required(Role.FRONT_DESK, Role.CLINIC_ADMIN)",
        "permission_classes = [api_roles(*DESK, Role.CLIENT)]",
        "if not can_read_treatment(request.user, client):",
        "User.objects.filter(role=Role.CLINIC_ADMIN, is_active=True)",
        "for role in ROLES:",
    ],
)
def test_the_scan_lets_role_gates_and_roles_calls_pass(line):
    assert not INLINE_CHECK.search(line)
