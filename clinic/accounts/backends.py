from django.contrib.auth.backends import ModelBackend

from .models import Role


class ClinicAdminBackend(ModelBackend):
    """Clinic admins run the clinic: they hold every model permission in Django's admin."""

    def has_perm(self, user_obj, perm, obj=None):
        if user_obj.is_active and getattr(user_obj, "role", None) == Role.CLINIC_ADMIN:
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        if user_obj.is_active and getattr(user_obj, "role", None) == Role.CLINIC_ADMIN:
            return True
        return super().has_module_perms(user_obj, app_label)
