"""Settings shared by every environment. Environment-specific files import from here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url

from config import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env.string("PEERPATH_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # SQLite database, emails written in development

DEBUG = env.boolean("DEBUG", default=False)
SECRET_KEY = env.optional("SECRET_KEY") or ""
ALLOWED_HOSTS = env.string_list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    # PeerPath's apps, lowest layer first: an app imports only the apps above it in this list
    # (tests/test_layers.py), and contributions are discovered in this order.
    "peerpath.core",
    "peerpath.audit",
    "peerpath.accounts",
    "peerpath.jobs",
    "peerpath.notifications",
    "peerpath.directory",
    "peerpath.bookings",
    "peerpath.safeguarding",
    "peerpath.supervision",
    "peerpath.buddying",
    "peerpath.checkins",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "peerpath.accounts.middleware.SessionPolicyMiddleware",
    "peerpath.accounts.middleware.StaffMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "peerpath.core.middleware.PrivateCacheControlMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,  # app templates live in <app>/templates/, added by the environment
        "OPTIONS": {
            "environment": "peerpath.core.jinja.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "peerpath.core.context_processors.site",
                "peerpath.notifications.context_processors.inbox",
                "peerpath.safeguarding.context_processors.alerts",
            ],
        },
    },
    {
        # Django's own admin and error fallbacks still use Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite by default (no servers needed), PostgreSQL when DATABASE_URL is set.
SQLITE_BUSY_TIMEOUT_MS = 5000
SQLITE_OPTIONS = {
    # IMMEDIATE takes the write lock at BEGIN, so concurrent read-then-write transactions
    # queue on busy_timeout instead of failing with "database is locked".
    "transaction_mode": "IMMEDIATE",
    "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS};"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
    ),
}
DATABASE_URL = env.optional("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=60, conn_health_checks=True, ssl_require=False
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "peerpath.sqlite3"),
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: chat fan-out across processes and a shared cache, when REDIS_URL is set.
REDIS_URL = env.optional("REDIS_URL")
REDIS_MAX_CONNECTIONS = env.integer("REDIS_MAX_CONNECTIONS", default=1000)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "peerpath",
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "max_connections": REDIS_MAX_CONNECTIONS,
                        # channels-redis waits for messages with a 5-second blocking read;
                        # redis-py 8 gives up on a socket after 5 seconds by default, which
                        # dropped every idle live page every 5 seconds. Longer than the read.
                        "socket_timeout": 30,
                    }
                ],
                "prefix": "peerpath",
            },
        }
    }
else:
    # One cache every process shares, even with no servers: the sign-in lockout, the two-step
    # attempt limit and code-reuse protection live in it (the table is made by a migration).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "peerpath_cache",
            "KEY_PREFIX": "peerpath",
        }
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:account_home"
LOGOUT_REDIRECT_URL = "core:home"

# Sign-in, sign-up, verification and MFA: django-allauth.
ACCOUNT_ADAPTER = "peerpath.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_RATE_LIMITS = {
    # The sixth failed sign-in for one account within 30 minutes is refused; it lifts by itself.
    "login_failed": "20/m/ip,5/30m/key",
    # Password reset emails: a few per hour per address, and per IP.
    "reset_password": "20/m/ip,3/h/key",
    "signup": "20/m/ip",
}
MFA_ADAPTER = "peerpath.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.string("MFA_TOTP_ISSUER", "PeerPath")
# A code is accepted for one 30-second step either side of now (RFC 6238, 5.2): a code typed as
# the authenticator turns over, or sent from a slow phone connection, still works. Each code
# works once, and wrong codes count towards the sign-in lockout above.
MFA_TOTP_TOLERANCE = 1
USERSESSIONS_TRACK_ACTIVITY = False

# Sessions: how long a signed-in person stays signed in (minutes idle, hours at most).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 12 * 60 * 60
PEERPATH_SESSION_IDLE_MINUTES = {"staff": 15, "member": 30}
PEERPATH_SESSION_ABSOLUTE_HOURS = 12
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Field encryption: Fernet keys, newest first. Older keys stay until rotate_encryption_keys ran.
FIELD_ENCRYPTION_KEYS = env.string_list("FIELD_ENCRYPTION_KEYS", default=[])

# Security headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "peerpath.core.views.csrf_failure"

# Strict CSP: nothing inline, nothing from elsewhere. Pinned by a test.
CONTENT_SECURITY_POLICY: dict[str, dict[str, Any]] = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Which organisation's name and contacts the public pages show when several share an
# installation and nothing else identifies one (its slug).
PEERPATH_DEFAULT_ORGANISATION = env.optional("PEERPATH_DEFAULT_ORGANISATION")
PEERPATH_SITE_NAME = env.string("PEERPATH_SITE_NAME", "PeerPath")
PEERPATH_DEMO_DATA_ALLOWED = False

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "PeerPath <no-reply@localhost>")

# Notifications. The address links in emails point at, and the channels' adapters.
PEERPATH_BASE_URL = env.string("PEERPATH_BASE_URL", "http://127.0.0.1:8000")
SMS_BACKEND = env.string("SMS_BACKEND", "peerpath.notifications.channels.sms.FileSmsBackend")
SMS_FILE_PATH = VAR_DIR / "sms"
TWILIO_API_BASE = env.string("TWILIO_API_BASE", "https://api.twilio.com")
TWILIO_ACCOUNT_SID = env.string("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = env.string("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM = env.string("TWILIO_FROM", "")
VAPID_PUBLIC_KEY = env.string("VAPID_PUBLIC_KEY", "")
VAPID_PRIVATE_KEY = env.string("VAPID_PRIVATE_KEY", "")
VAPID_SUBJECT = env.string("VAPID_SUBJECT", "mailto:admin@localhost")
# Browsers' push services: a subscription is accepted, and a message sent, only to an https
# address on one of these hosts (a leading dot allows any host under it).
PUSH_SERVICE_HOSTS = (
    "fcm.googleapis.com",
    ".push.services.mozilla.com",
    ".notify.windows.com",
    ".push.apple.com",
)
# Origins of a local fake push service that tests talk to; empty everywhere else.
PUSH_TEST_ORIGINS: tuple[str, ...] = ()
NOTIFICATIONS_BATCH = env.integer("NOTIFICATIONS_BATCH", default=500)

# Worker: how long it sleeps when no job is due, and how long a claim is held.
JOBS_POLL_SECONDS = env.integer("JOBS_POLL_SECONDS", default=2)
JOBS_LEASE_SECONDS = env.integer("JOBS_LEASE_SECONDS", default=300)

LOG_LEVEL = env.string("LOG_LEVEL", "INFO")
LOG_FORMAT = env.string("LOG_FORMAT", "json")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "peerpath.core.logging.RedactingFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT if LOG_FORMAT in {"json", "plain"} else "json",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "uvicorn.access": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# The vendored NHS.UK frontend in static/vendor/ (see scripts/vendor_nhsuk_frontend.py).
NHSUK_FRONTEND_VERSION = "10.6.1"

# Check-ins. The EPDS wording is licensed: an organisation holding permission names its local
# content file here (never committed). Without it the EPDS is offered only where placeholder
# wording is allowed (the demo and tests), with a visible notice.
CHECKINS_EPDS_CONTENT_FILE = env.string("CHECKINS_EPDS_CONTENT_FILE", "")
CHECKINS_EPDS_PLACEHOLDER_ALLOWED = False
