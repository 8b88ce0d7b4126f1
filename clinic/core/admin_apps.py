"""Django's admin app with Tranquil's site (clinic/core/admin_site.py) as its default. Kept apart
from the site so INSTALLED_APPS can name it before any model is loaded."""

from django.contrib.admin.apps import AdminConfig


class SuperuserAdminConfig(AdminConfig):
    default_site = "clinic.core.admin_site.SuperuserAdminSite"
