"""The test suite: fast hashing, in-memory email, a throwaway encryption key pair."""

from config import env

from .base import *

DEBUG = False
SECRET_KEY = "test-only-key-not-for-production-use"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Two test keys, newest first, so rotation is exercised. Never used outside tests.
FIELD_ENCRYPTION_KEYS = [
    "dGVzdC1vbmx5LWtleS1udW1iZXItdHdvLW5ld2VzdCE=",
    "dGVzdC1vbmx5LWtleS1udW1iZXItb25lLW9sZGVzdCE=",
]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PEERPATH_DEMO_DATA_ALLOWED = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LOG_LEVEL = env.string("LOG_LEVEL", "WARNING")
LOGGING["root"]["level"] = LOG_LEVEL
SMS_BACKEND = "peerpath.notifications.channels.sms.MemorySmsBackend"
PEERPATH_BASE_URL = "http://testserver"

if not REDIS_URL:
    # One process: a local-memory cache keeps the asserted query counts the same as on Redis.
    # The database cache every process shares is tested across processes in
    # peerpath/accounts/tests/test_lockout_across_processes.py.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CHECKINS_EPDS_PLACEHOLDER_ALLOWED = True
