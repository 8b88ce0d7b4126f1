from django.contrib.auth.backends import ModelBackend

from .roles import can_manage_clinic


class ClinicAdminBackend(ModelBackend):
    """Clinic admins run the clinic: they hold every model permission in Django's admin."""

    def has_perm(self, user_obj, perm, obj=None):
        if can_manage_clinic(user_obj):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        if can_manage_clinic(user_obj):
            return True
        return super().has_module_perms(user_obj, app_label)
