from clinic.accounts.roles import role_of

from .models import ClinicSettings


def clinic(request):
    return {"clinic": ClinicSettings.load(), "role": role_of(getattr(request, "user", None))}
