"""Tranquil settings: one file, every value from the environment with a safe default.

Unset `DATABASE_URL` gives the embedded SQLite default; unset `REDIS_URL` gives a
server-less filesystem broker for Celery. Production sets both (see docker-compose.yml).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TRANQUIL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Without a key of its own and with DEBUG off, the app refuses to serve or sign anything
# (clinic/core/checks.py); bin/run turns DEBUG on, bin/test and the Docker build export a key.
SECRET_KEY_FROM_ENVIRONMENT = bool(SECRET_KEY)
if not SECRET_KEY:
    SECRET_KEY = "insecure-development-key-do-not-use-in-production-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The address emailed links point at. bin/run derives it from TRANQUIL_PORT; production must say it,
# or every confirm/cancel/intake link would send clients to a development address.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if not SITE_URL:
    if not DEBUG and env_bool("TRANQUIL_PRODUCTION"):
        raise ImproperlyConfigured(
            "SITE_URL must be set in production (e.g. https://clinic.example.com)."
        )
    if not DEBUG and "ALLOWED_HOSTS" in os.environ and ALLOWED_HOSTS:
        # A deployment that named its host serves it over https (SSL redirect is on below).
        SITE_URL = f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
    else:
        SITE_URL = f"http://127.0.0.1:{os.environ.get('TRANQUIL_PORT', '8000')}"

INSTALLED_APPS = [
    # Django's admin, for superusers only (clinic/core/admin_site.py).
    "clinic.core.admin_apps.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "axes",
    "pgtrigger",
    "pghistory",
    "phonenumber_field",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "clinic.accounts",
    "clinic.core",
    "clinic.front",
    "clinic.signin",
    "clinic.audit",
    "clinic.reminders",
    "clinic.booking",
    "clinic.setup",
    "intake",
    "sessions.apps.TreatmentConfig",
    "clinic.privacy",
    "clinic.reports",
    "clinic.waitlist",
    "clinic.billing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "clinic.core.middleware.NoStoreMiddleware",
    "clinic.core.middleware.ClinicSettingsPerRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "clinic.core.middleware.RefuseUnstorableInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clinic.audit.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After sign-in and messages: end idle or too-old sessions, then hold a session that still
    # owes its second factor on the sign-in pages (clinic/signin/middleware.py).
    "clinic.signin.middleware.SessionLimitMiddleware",
    "clinic.signin.middleware.TwoFactorGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "clinic.core.middleware.ClinicTimezoneMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic.core.context_processors.clinic",
                "clinic.signin.context_processors.session_timer",
            ],
        },
    },
]

# Database: PostgreSQL in production and tests; SQLite file by default.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "tranquil.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so check-then-insert cannot race;
                # WAL lets readers go on while one process writes.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "clinic.accounts.backends.ClinicAdminBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Staff sign in with a second factor (clinic/signin/two_factor.py): required for clinic admins,
# and for all staff when the clinic says so. On by default in production; off with DEBUG on, so
# the demo's printed logins work as they are (bin/test turns it off too; its tests turn it on).
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Tranquil")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = 1  # hours
# Lock one account from one address: behind a proxy, locking by address alone locks everyone out,
# and by username alone lets anyone lock a colleague out from anywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The request.META header the deployment's proxy sets (e.g. HTTP_X_FORWARDED_FOR) and how many
# proxies stand in front; unset means REMOTE_ADDR, and a client-sent header is ignored.
TRUSTED_PROXY_IP_HEADER = os.environ.get("TRUSTED_PROXY_IP_HEADER", "")
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
AXES_CLIENT_IP_CALLABLE = "clinic.accounts.client_ip.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-us"
# The clinic's zone; times are stored in UTC and shown in this zone.
TIME_ZONE = os.environ.get("CLINIC_TIME_ZONE", "America/Toronto")
USE_I18N = True
USE_TZ = True
# One date format everywhere (clinic/formats/en/formats.py), whatever Django's locale says.
FORMAT_MODULE_PATH = ["clinic.formats"]
# Where a phone number typed without a country code is dialled; stored numbers are E.164.
PHONENUMBER_DEFAULT_REGION = os.environ.get("PHONENUMBER_DEFAULT_REGION", "CA")

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Email: console by default; EMAIL_BACKEND + EMAIL_FILE_PATH point mail at a folder.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tranquil <no-reply@tranquil.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Online card payments (clinic/billing/gateways.py): "manual" (none; cards on the clinic's own
# terminal) or "stripe" with the clinic's secret key. STRIPE_API_BASE is for tests only.
PAYMENT_GATEWAY = os.environ.get("PAYMENT_GATEWAY", "manual")
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "https://api.stripe.com")
# The signing secret of the webhook endpoint (/billing/stripe/webhook/) in Stripe's dashboard.
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
# Where Stripe's hosted pages live: the pages whose forms lead there let it in their CSP.
STRIPE_CHECKOUT_ORIGIN = os.environ.get("STRIPE_CHECKOUT_ORIGIN", "https://checkout.stripe.com")

# Cache: Redis when configured (shared between processes), else per-process memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        # Django's Redis cache, building its client once (clinic/core/redis_cache.py).
        "default": {
            "BACKEND": "clinic.core.redis_cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis when configured; otherwise kombu's filesystem transport, which needs no server.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
CELERY_RESULT_BACKEND = os.environ.get(
    "CELERY_RESULT_BACKEND", REDIS_URL or f"file://{VAR_DIR / 'celery' / 'results'}"
)
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # kombu puts its broadcast (control) files in ./control unless told otherwise.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
else:
    # Longer than the task time limit, so a slow task is never handed to a second worker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT * 3}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Reminders (clinic/reminders): beat runs a dispatch pass every REMINDER_DISPATCH_INTERVAL
# seconds (a UTC interval, never a local-time crontab). A claimed reminder whose task was lost
# is picked up again after REMINDER_CLAIM_SECONDS; a send failing REMINDER_MAX_ATTEMPTS times
# (backoff from REMINDER_RETRY_SECONDS, doubling) is marked failed for the front desk.
# Whole seconds, at least one: the database scheduler stores intervals as integers (0.5 would
# become 0, due all the time).
REMINDER_DISPATCH_INTERVAL = max(1, int(os.environ.get("REMINDER_DISPATCH_INTERVAL", "60")))
REMINDER_PLAN_INTERVAL = max(1, int(os.environ.get("REMINDER_PLAN_INTERVAL", "3600")))
REMINDER_CLAIM_SECONDS = int(os.environ.get("REMINDER_CLAIM_SECONDS", "600"))
REMINDER_MAX_ATTEMPTS = int(os.environ.get("REMINDER_MAX_ATTEMPTS", "5"))
REMINDER_RETRY_SECONDS = int(os.environ.get("REMINDER_RETRY_SECONDS", "60"))
SMS_BACKEND = os.environ.get("SMS_BACKEND", "clinic.reminders.sms.ConsoleBackend")
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH", str(VAR_DIR / "sms"))
# Waitlist (clinic/waitlist): beat lapses offers past their hold, offers open slots again, and
# picks up offers whose task was lost, every WAITLIST_SWEEP_INTERVAL seconds.
WAITLIST_SWEEP_INTERVAL = max(1, int(os.environ.get("WAITLIST_SWEEP_INTERVAL", "60")))
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "clinic.core.tasks.heartbeat", "schedule": 60.0},
    "dispatch-reminders": {
        "task": "clinic.reminders.tasks.dispatch_due_reminders",
        "schedule": REMINDER_DISPATCH_INTERVAL,
        # A pass nobody ran in time is dropped, not stacked: the next one covers it.
        "options": {"expires": REMINDER_DISPATCH_INTERVAL},
    },
    "sweep-waitlist": {
        "task": "clinic.waitlist.tasks.sweep_offers",
        "schedule": WAITLIST_SWEEP_INTERVAL,
        "options": {"expires": WAITLIST_SWEEP_INTERVAL},
    },
    "plan-reminders": {
        "task": "clinic.reminders.tasks.plan_reminders",
        "schedule": REMINDER_PLAN_INTERVAL,
        "options": {"expires": REMINDER_PLAN_INTERVAL},
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "clinic.accounts.api_tokens.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Also documents the refusals every operation can answer (400, 403, 404, 429).
    "DEFAULT_SCHEMA_CLASS": "clinic.core.api_schema.AutoSchema",
    # Domain refusals (clinic.core.errors.DomainError) answer with their own status and body.
    "EXCEPTION_HANDLER": "clinic.core.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "clinic.core.pagination.LimitOffsetPagination",
    # JSON too deep to parse, or with text PostgreSQL cannot store, is a 400 (clinic/core/parsers).
    "DEFAULT_PARSER_CLASSES": [
        "clinic.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 100,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tranquil API",
    "DESCRIPTION": "Intake screening, booking, treatment plans and notes for massage clinics.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name get stable names of their own here.
    "ENUM_NAME_OVERRIDES": {
        "ScreeningOutcomeEnum": "intake.serializers.OUTCOMES",
        "ScreeningStatusOutcomeEnum": "intake.status.STATUS_OUTCOMES",
        "AccessRequestKindEnum": "clinic.privacy.models.RequestKind",
        "BreachKindEnum": "clinic.privacy.models.BreachKind",
        "WeekdayEnum": "clinic.booking.models.Weekday",
        "ClaimStatusEnum": "clinic.billing.claim_models.ClaimStatus",
    },
}

# Secure unless DEBUG is on or an env var turns one off explicitly (bin/test does, for http tests).
# The proxy header is trusted only when the deployment names it: any client could send it otherwise.
_proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "HTTP_X_FORWARDED_PROTO").strip()
SECURE_PROXY_SSL_HEADER = (_proxy_header, "https") if _proxy_header else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Joining the browsers' preload list is hard to undo, so it stays the clinic's explicit choice;
# its deploy warning is silenced until then.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
# Only the app's own files run or style a page: no inline scripts or style attributes, so an
# injected one cannot run. The time grid places visits from data attributes (static/js/grid.js).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Sessions (clinic/signin/sessions.py): a staff session ends after the clinic's idle minutes
# (ClinicSettings.staff_idle_minutes, defaulting to STAFF_SESSION_IDLE_MINUTES), a client's portal
# session after CLIENT_SESSION_IDLE_MINUTES, and any session SESSION_MAX_HOURS after sign-in.
STAFF_SESSION_IDLE_MINUTES = int(os.environ.get("STAFF_SESSION_IDLE_MINUTES", "15"))
CLIENT_SESSION_IDLE_MINUTES = int(os.environ.get("CLIENT_SESSION_IDLE_MINUTES", "60"))
SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
SESSION_IDLE_WARNING_SECONDS = 120
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 60 * 60
# API tokens (clinic/accounts/api_tokens.py) stop working this long after they were made.
API_TOKEN_MAX_AGE_HOURS = int(os.environ.get("API_TOKEN_MAX_AGE_HOURS", "12"))
X_FRAME_OPTIONS = "DENY"

# Rate limits (clinic/core/ratelimits.py), counted on the shared cache per client address (and
# per sign-in name for login_username): "requests/period" (s, m, h, d; "5/10m" is five per ten
# minutes). An empty value turns a group off. A whole clinic may sign in from one address, so
# the per-address sign-in limit is the loosest; axes locks a pair after AXES_FAILURE_LIMIT.
RATE_LIMITS = {
    "login": os.environ.get("RATE_LIMIT_LOGIN", "60/5m"),
    "login_username": os.environ.get("RATE_LIMIT_LOGIN_USERNAME", "30/5m"),
    "two_factor": os.environ.get("RATE_LIMIT_TWO_FACTOR", "10/5m"),
    "register": os.environ.get("RATE_LIMIT_REGISTER", "10/h"),
    "password_reset": os.environ.get("RATE_LIMIT_PASSWORD_RESET", "10/h"),
    "intake": os.environ.get("RATE_LIMIT_INTAKE", "30/10m"),
    "link": os.environ.get("RATE_LIMIT_LINK", "60/10m"),
}
RATELIMIT_USE_CACHE = "default"
# With the cache unreachable, requests are let through rather than the whole clinic refused.
RATELIMIT_FAIL_OPEN = True

# Intake links and other emailed tokens.
INTAKE_LINK_MAX_AGE = 60 * 60 * 24 * 7

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
