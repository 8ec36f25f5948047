"""zhiqian settings: one module, read from the environment.

Embedded default: SQLite file, eager Celery, console notifications.
Production: DATABASE_URL=postgres://..., CELERY_BROKER_URL=redis://..., ZHIQIAN_ENV=production.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ZHIQIAN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_from_url(url: str) -> dict:
    """Parse DATABASE_URL (sqlite:///path or postgres://user:pass@host:port/name)."""
    parts = urlparse(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path or ":memory:"}
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": int(os.environ.get("DB_CONN_MAX_AGE", "60")),
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(f"DATABASE_URL: unsupported scheme {parts.scheme!r}")


PRODUCTION = os.environ.get("ZHIQIAN_ENV", "development") == "production"
DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")
    SECRET_KEY = "dev-only-insecure-key-zhiqian-not-for-production-use-0123456789"
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
if PRODUCTION and not os.environ.get("DJANGO_ALLOWED_HOSTS", "").strip(","):
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in production (the site's host names)")
if PRODUCTION and (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith(("django-insecure", "dev-only-insecure-key-zhiqian"))
):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is weak: 50+ random characters in production (docs/deployment.md)")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files served from our static files, no CDN
    "guardian",
    "axes",  # login lockout (cases.login_lockout)
    "viewflow",
    "viewflow.workflow",
    "cases",
    "projects",
    "earlywarning",
    "inspections",
    "campaigns",
    "indicators",
    "reviews",
    "deposits",
    "arbitration",
    "jointmeeting",
    "accountability",
    "assessment",
    "workflows",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, also under gunicorn (docs/deployment.md)
    "config.http_guards.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.http_guards.RequestGuardMiddleware",  # body caps; NUL / lone surrogates refused (400)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.http_guards.SessionRefreshMiddleware",  # idle sessions end after SESSION_COOKIE_AGE
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # every /public/ page, per client address; inside CSRF and X-Frame-Options so a 429 page has both
    "cases.throttling.PublicThrottleMiddleware",
    "viewflow.middleware.SiteMiddleware",
    "config.staff_frame.StaffFrameMiddleware",  # the staff frame on staff pages beside the Site
    "viewflow.middleware.HotwireTurboMiddleware",
    "workflows.middleware.FlowLockConflictMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]
VIEWFLOW = {"AUTOREGISTER": False}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"))}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "cases.login_lockout.LockoutBackend",  # first: refuses locked-out logins (django-axes)
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
GUARDIAN_USER_OBJ_PERMS_MODEL = "guardian.UserObjectPermission"
ANONYMOUS_USER_NAME = None
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"
if not PRODUCTION:  # WhiteNoise warns about a missing STATIC_ROOT at every start (before any collectstatic)
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

REST_FRAMEWORK = {
    # Token first: an anonymous call gets 401 with `WWW-Authenticate: Token`; session auth (with CSRF) still works
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "config.http_guards.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cases.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Complaints whose place of work cannot be found go to this office's intake pool.
ZHIQIAN_DEFAULT_INTAKE_REGION = os.environ.get("ZHIQIAN_DEFAULT_INTAKE_REGION", "360000")
# Public endpoints (complaint submission, status lookup): requests per client address.
ZHIQIAN_PUBLIC_RATE = os.environ.get("ZHIQIAN_PUBLIC_RATE", "30/minute")
# Throttles per scope (cases.throttling; docs/operations-throttling-and-notices.md): env ZHIQIAN_RATE_<SCOPE>,
# "N/second|minute|hour|day"; a scope left out uses ZHIQIAN_PUBLIC_RATE. Per client address except
# status_receipt: failed status lookups per receipt number, from any address, then that receipt is locked.
ZHIQIAN_THROTTLE_RATES = {
    scope: os.environ.get(f"ZHIQIAN_RATE_{scope.upper()}", default)
    for scope, default in {
        "complaint": "10/hour",
        "complaint_burst": "3/minute",
        "status": "30/hour",
        "status_receipt": "5/hour",
        "public_pages": "300/hour",
        "public_posts": "30/hour",
        "public_lists": "120/minute",
        "public_regions": "120/minute",
        # the written review's report form (reviews.web.public): reports per address, wrong codes per USCC
        "review_report": "20/hour",
        "review_code": "5/hour",
    }.items()
}
# Reverse proxies whose X-Forwarded-For is believed (CIDRs, comma-separated; cases.clientip). Empty: none.
ZHIQIAN_TRUSTED_PROXIES = [c.strip() for c in os.environ.get("ZHIQIAN_TRUSTED_PROXIES", "").split(",") if c.strip()]
# The shared cache the throttles count in. Production: redis://host:6379/1 (required). Embedded default: files
# under var/cache, shared by every process of this machine without another service.
ZHIQIAN_CACHE_URL = os.environ.get("ZHIQIAN_CACHE_URL", "")
if PRODUCTION and not ZHIQIAN_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("ZHIQIAN_CACHE_URL=redis://... must be set in production (throttles share it)")
if ZHIQIAN_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    _cache_timeout = float(os.environ.get("ZHIQIAN_CACHE_SOCKET_TIMEOUT", "0.5"))  # an outage must not stall requests
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": ZHIQIAN_CACHE_URL,
            "KEY_PREFIX": os.environ.get("ZHIQIAN_CACHE_PREFIX", "zhiqian"),
            "OPTIONS": {"socket_connect_timeout": _cache_timeout, "socket_timeout": _cache_timeout},
        }
    }
elif ZHIQIAN_CACHE_URL == "locmem://":  # one process only (tests)
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "zhiqian"}}
elif not ZHIQIAN_CACHE_URL or ZHIQIAN_CACHE_URL.startswith("file://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": ZHIQIAN_CACHE_URL.removeprefix("file://") or str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
else:
    raise ImproperlyConfigured(f"ZHIQIAN_CACHE_URL: unsupported scheme in {ZHIQIAN_CACHE_URL!r}")
# Login lockout (django-axes): N failed passwords per (username, address) and per username, then refused,
# even with the right password, for the cool-off; `manage.py axes_reset_username <name>` lifts it at once.
AXES_FAILURE_LIMIT = int(os.environ.get("ZHIQIAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("ZHIQIAN_LOGIN_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cases.clientip.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "cases.login_lockout.lockout_response"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"  # in the database: no cache needed to lock out
AXES_VERBOSE = False
# Personal data at rest (docs/personal-data.md): AES-256-GCM keys "kid:base64key,..." (the first encrypts,
# all decrypt) and the blind index's HMAC key (base64). Empty: fixed development keys; production needs both.
ZHIQIAN_DATA_KEYS = os.environ.get("ZHIQIAN_DATA_KEYS", "")
ZHIQIAN_INDEX_KEY = os.environ.get("ZHIQIAN_INDEX_KEY", "")
if PRODUCTION and not (ZHIQIAN_DATA_KEYS and ZHIQIAN_INDEX_KEY):
    raise ImproperlyConfigured("ZHIQIAN_DATA_KEYS and ZHIQIAN_INDEX_KEY must be set in production")
if ZHIQIAN_DATA_KEYS or ZHIQIAN_INDEX_KEY:
    from cases.personal_data import DEV_DATA_KEYS, DEV_INDEX_KEY, keys_check

    # malformed, or the public development keys in production: refuse to start
    keys_check(ZHIQIAN_DATA_KEYS or DEV_DATA_KEYS, ZHIQIAN_INDEX_KEY or DEV_INDEX_KEY, production=PRODUCTION)
# The timeline's keyed checkpoints (docs/timeline.md): the HMAC key comes from the environment, never the
# database; production refuses to start without one. Exported files go to ZHIQIAN_CHECKPOINT_DIR; when
# ZHIQIAN_CHECKPOINT_URL is set each checkpoint's summary is also POSTed there (best effort).
ZHIQIAN_TIMELINE_KEY = os.environ.get("ZHIQIAN_TIMELINE_KEY", "")
if not ZHIQIAN_TIMELINE_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("ZHIQIAN_TIMELINE_KEY must be set in production (docs/timeline.md)")
    ZHIQIAN_TIMELINE_KEY = "dev-only-timeline-checkpoint-key-not-for-production"
ZHIQIAN_CHECKPOINT_DIR = os.environ.get("ZHIQIAN_CHECKPOINT_DIR", str(VAR_DIR / "checkpoints"))
ZHIQIAN_CHECKPOINT_URL = os.environ.get("ZHIQIAN_CHECKPOINT_URL", "")
SPECTACULAR_SETTINGS = {
    "TITLE": "zhiqian 治欠 API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # drf-spectacular-sidecar: no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cases.api.errors.error_responses",  # every operation documents its {"errors": …} answers
    ],
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# Request bodies (config.http_guards): JSON and forms up to 2.5 MB, multipart up to the evidence limit + 1 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads go to a temporary file
# Sessions end after a working day without a request (config.http_guards.SessionRefreshMiddleware).
SESSION_COOKIE_AGE = int(float(os.environ.get("ZHIQIAN_SESSION_HOURS", "8")) * 3600)
SESSION_REFRESH_SECONDS = 300
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (django-csp): our own origin only. Inline styles: viewflow's Material frontend
# and our templates set style attributes; the one inline handler (the language switch) by its hash.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-hashes'", "'sha256-osjxnKEPL/pQJbFk1dKsF7PYFmTyMWGmVSiL9inhxJY='"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), display-capture=(), fullscreen=(self)"
)

# Celery: eager (in-process) unless a broker is configured.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Without a worker no periodic job refreshes the dashboard's figures: its page refreshes the recent days itself.
ZHIQIAN_DASHBOARD_LIVE = os.environ.get("ZHIQIAN_DASHBOARD_LIVE", "1" if CELERY_TASK_ALWAYS_EAGER else "0") == "1"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A broker that is down must not hang a worker or beat for long (requests never publish: the outbox relay does).
CELERY_BROKER_CONNECTION_TIMEOUT = 2.0
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5, "max_retries": 3}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "sweep-deadlines": {"task": "workflows.tasks.sweep_deadlines", "schedule": 60.0},
    # the notification outbox relay: sends PENDING rows (retries after backoff), flags stuck ones
    "notifications-relay": {
        "task": "cases.tasks.notifications_relay",
        "schedule": float(os.environ.get("ZHIQIAN_RELAY_SECONDS", "10")),
        "options": {"expires": 60},
    },
    "publications-quarterly": {
        "task": "accountability.tasks.publications_compile",
        "schedule": crontab(minute=30, hour=1, day_of_month=1, month_of_year="1,4,7,10"),
        "kwargs": {"cadence": "quarterly"},
    },
    "publications-half-yearly": {
        "task": "accountability.tasks.publications_compile",
        "schedule": crontab(minute=45, hour=1, day_of_month=1, month_of_year="1,7"),
        "kwargs": {"cadence": "half_yearly"},
    },
    # early warning: the monthly wage check of projects whose pay day passed, and the other signal sources
    "earlywarning-daily": {
        "task": "workflows.tasks.earlywarning_daily",
        "schedule": crontab(minute=30, hour=2),
    },
    "accountability-checks-daily": {
        "task": "accountability.tasks.accountability_checks",
        "schedule": crontab(minute=15, hour=2),
    },
    "dashboard-refresh": {"task": "cases.tasks.dashboard_refresh", "schedule": 300.0},
    # a ledger entry or a joined complaint can change an older day's figures: rebuild nightly
    "dashboard-rebuild-nightly": {
        "task": "cases.tasks.dashboard_refresh",
        "schedule": 24 * 3600.0,
        "kwargs": {"days": None},
    },
    "timeline-verify-nightly": {
        "task": "cases.tasks.timeline_verify",
        "schedule": 24 * 3600.0,
    },
    # the coverage indicators' snapshot (indicators.compute): the last 12 months, every region, nightly
    "coverage-refresh-nightly": {
        "task": "indicators.tasks.coverage_refresh_task",
        "schedule": crontab(minute=40, hour=2),
    },
    "timeline-checkpoint-hourly": {"task": "cases.tasks.timeline_checkpoint", "schedule": crontab(minute=7)},
}

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Helper tasks the minute sweep sends to other Celery workers: they work off a backlog of due deadlines
# together with it (SELECT ... SKIP LOCKED), e.g. one per worker process beyond the first.
ZHIQIAN_SWEEP_HELPERS = int(os.environ.get("ZHIQIAN_SWEEP_HELPERS", "0"))
ZHIQIAN_SMS_BACKEND = os.environ.get("ZHIQIAN_SMS_BACKEND", "cases.notifications.ConsoleSMSBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "zhiqian@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
    # WhiteNoise serves `collectstatic`'s output, compressed, with hashed names cached for a year
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
