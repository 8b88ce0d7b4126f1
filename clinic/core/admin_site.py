"""Django's admin as a technical tool for superusers only: the clinic admin runs the clinic from
Tranquil's own screens (/manage/), and never needs it."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class SuperuserAdminSite(admin.AdminSite):
    site_header = "Tranquil (technical admin)"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class SuperuserAdminConfig(AdminConfig):
    default_site = "clinic.core.admin_site.SuperuserAdminSite"
