"""Production: refuses to start without its secrets and hosts; HTTPS everywhere."""

from django.core.exceptions import ImproperlyConfigured

from config import env

from .base import *

DEBUG = False


def _required(name: str, value: object) -> None:
    if not value:
        raise ImproperlyConfigured(
            f"PeerPath will not start in production without {name}. "
            "See the configuration table in README.md."
        )


SECRET_KEY = env.optional("SECRET_KEY") or ""
_required("SECRET_KEY", SECRET_KEY)
if len(SECRET_KEY) < 50 or "not-for-production" in SECRET_KEY:  # noqa: PLR2004
    raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")
ALLOWED_HOSTS = env.string_list("ALLOWED_HOSTS", default=[])
_required("ALLOWED_HOSTS", ALLOWED_HOSTS)
FIELD_ENCRYPTION_KEYS = env.string_list("FIELD_ENCRYPTION_KEYS", default=[])
_required("FIELD_ENCRYPTION_KEYS", FIELD_ENCRYPTION_KEYS)
CSRF_TRUSTED_ORIGINS = [f"https://{host.lstrip('.')}" for host in ALLOWED_HOSTS if host != "*"]

PEERPATH_DEMO_DATA_ALLOWED = False

SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.boolean("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
CONTENT_SECURITY_POLICY["DIRECTIVES"] = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "upgrade-insecure-requests": True,
}

EMAIL_BACKEND = env.string("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.string("EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.string("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.string("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS", default=True)
