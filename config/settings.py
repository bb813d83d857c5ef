"""Lector settings: one file, driven by environment variables.

Local defaults (a throwaway SECRET_KEY, localhost hosts) apply only when DEBUG is on; in production
DATABASE_URL, SECRET_KEY and ALLOWED_HOSTS must be set or start-up fails.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_required(name: str, debug_default: str) -> str:
    value = os.environ.get(name)
    if value:
        return value
    if DEBUG:
        return debug_default
    raise ImproperlyConfigured(f"Set the {name} environment variable (required when DEBUG is off).")


DEBUG = env_bool("DEBUG")
SECRET_KEY = env_required("SECRET_KEY", "django-insecure-local-development-only")
ALLOWED_HOSTS = env_required("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "csp",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "django_tasks",
    "django_tasks_db",
    "apps.core",
    "apps.accounts",
    "apps.projects",
    "apps.documents",
    "apps.annotations",
    "apps.exports",
    "apps.agreement",
    "apps.curation",
    "apps.reader",
    "apps.live",
    "apps.quantities",
    "apps.places",
    "apps.actors",
    "apps.events",
    "apps.suggestions",
]

MIDDLEWARE = [
    # First, so it compresses what every other middleware has added (see apps/core/middleware.py).
    "apps.core.middleware.GZipWholeResponsesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body: an oversized upload is refused from its Content-Length alone.
    "apps.core.middleware.RequestSizeLimitMiddleware",
    "apps.core.middleware.RejectNullCharactersMiddleware",
    "csp.middleware.CSPMiddleware",
    # In development runserver serves static files; in production WhiteNoise serves the collected ones.
    *([] if DEBUG else ["whitenoise.middleware.WhiteNoiseMiddleware"]),
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After authentication: the annotation history names who made each write, cascades included.
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it locks out a username and address after repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

FORM_RENDERER = "apps.core.forms.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_required("DATABASE_URL", "postgres:///lector"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Lector runs on PostgreSQL only: DATABASE_URL must be a postgres:// URL.")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind N reverse proxies (each appending to X-Forwarded-For), the client is the N-th address from the right; with 0
# (the default) X-Forwarded-For is ignored. django-axes and DRF's throttles use this one rule (apps/core/network.py).
TRUSTED_PROXIES = int(os.environ.get("LECTOR_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "apps.core.network.client_address"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "projects:list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")  # where collectstatic writes
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Imports of documents run in the background (django-tasks with its database backend; `manage.py db_worker` runs
# them). Sizes are checked before a file is read: per file, per batch, and per request from its Content-Length.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LECTOR_IMPORT_MAX_FILE_BYTES = int(os.environ.get("LECTOR_IMPORT_MAX_FILE_BYTES", 32 * 1024 * 1024))
LECTOR_IMPORT_MAX_BATCH_BYTES = int(os.environ.get("LECTOR_IMPORT_MAX_BATCH_BYTES", 128 * 1024 * 1024))
LECTOR_MAX_REQUEST_BYTES = int(os.environ.get("LECTOR_MAX_REQUEST_BYTES", LECTOR_IMPORT_MAX_BATCH_BYTES + 1024 * 1024))
# Documents stored per transaction by the import worker: a killed worker loses at most one chunk, never half of one.
LECTOR_IMPORT_CHUNK_DOCUMENTS = int(os.environ.get("LECTOR_IMPORT_CHUNK_DOCUMENTS", 500))
# A running batch without progress for this long is shown as stalled and may be resumed.
LECTOR_IMPORT_STALLED_SECONDS = int(os.environ.get("LECTOR_IMPORT_STALLED_SECONDS", 120))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024  # request bodies other than files (JSON, form fields)
DATA_UPLOAD_MAX_NUMBER_FILES = 500
# Django's default: a larger uploaded file is spooled to a temporary file, not held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Work one request may ask for (README, "Limits"): items of POST /api/annotations/bulk/, annotations made by one
# "tag all occurrences", bytes of an annotation import file.
ANNOTATION_BULK_MAX_ITEMS = int(os.environ.get("ANNOTATION_BULK_MAX_ITEMS", "1000"))
ANNOTATION_TAG_ALL_MAX = int(os.environ.get("ANNOTATION_TAG_ALL_MAX", "1000"))
ANNOTATION_IMPORT_MAX_BYTES = int(os.environ.get("ANNOTATION_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))

# Off only for local benchmarks over plain http against production settings.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Live updates (apps/live): the origin of the ASGI server that streams them (gunicorn_live.conf.py) as the browser
# reaches it, e.g. http://127.0.0.1:8001, or "/" when a reverse proxy sends /live/ to it on this server's own origin.
# Unset: no live updates (the reading view's Refresh button still loads colleagues' work).
LECTOR_LIVE_ENABLED = bool(os.environ.get("LECTOR_LIVE_URL"))
LECTOR_LIVE_URL = os.environ.get("LECTOR_LIVE_URL", "").rstrip("/")

# Scripts only from Lector's own files (no inline script, no eval: htmx's allowEval and allowScriptTags are off in
# base.html); the few inline <style> blocks (per-tag colours) carry the request's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF, *([LECTOR_LIVE_URL] if LECTOR_LIVE_URL else [])],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous call gets 401 with WWW-Authenticate: Token rather than 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.ScopedRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("TOKEN_THROTTLE_RATE", "20/minute")},
    "NUM_PROXIES": TRUSTED_PROXIES,
}
# Shared by every worker and server (throttle counters): a table in PostgreSQL, created by apps/core's migration.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "lector_cache"}}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lector API",
    "DESCRIPTION": "Projects, documents and tagged spans. Offsets are Unicode code points into the document's text, "
    "end exclusive.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Two `source` fields with different choices: name each set after what it is.
    "ENUM_NAME_OVERRIDES": {
        "PlaceSourceEnum": "apps.places.models.PlaceSource",
        "SuggestionSourceEnum": "apps.suggestions.models.Source",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The reading view keeps the highlighted HTML of recently read documents in each process, keyed by the annotations'
# revision in PostgreSQL (apps/reader/selectors.py): this bounds its size per process.
READER_CACHE_BYTES = int(os.environ.get("READER_CACHE_BYTES", str(64 * 1024 * 1024)))
