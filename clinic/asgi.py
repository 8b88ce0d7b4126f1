import os

from django.core.asgi import get_asgi_application

from clinic.core.checks import ensure_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
application = get_asgi_application()
ensure_secret_key()
