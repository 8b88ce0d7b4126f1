import os

from django.core.wsgi import get_wsgi_application

from clinic.core.checks import ensure_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
application = get_wsgi_application()
ensure_secret_key()
