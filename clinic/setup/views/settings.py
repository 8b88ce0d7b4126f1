"""The clinic's settings on one screen, in groups, each field with its help text."""

from django.contrib import messages
from django.shortcuts import redirect, render

from clinic.accounts.models import Role
from clinic.accounts.roles import role_required
from clinic.core.errors import DomainError, add_error_to_form
from clinic.core.models import ClinicSettings

from ..clinic_settings import update_settings
from ..forms import ClinicSettingsForm


@role_required(Role.CLINIC_ADMIN)
def clinic_settings(request):
    current = ClinicSettings.objects.get_or_create(pk=1)[0]
    form = ClinicSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            changed = update_settings(changes=form.cleaned_data, by=request)
        except DomainError as error:
            add_error_to_form(form, error)
        else:
            if changed:
                names = ", ".join(form.fields[name].label.lower() for name in changed)
                messages.success(request, f"Saved: {names}.")
            else:
                messages.info(request, "Nothing was changed.")
            return redirect("setup-settings")
    return render(
        request,
        "setup/settings.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
