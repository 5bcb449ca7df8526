"""Development on one machine: SQLite, emails written to files, demo data allowed."""

from config import env

from .base import *

# PeerPath's own calm error pages by default, as people see them; DEBUG=true shows Django's
# debug pages while developing.
DEBUG = env.boolean("DEBUG", default=False)
# Development only: a fixed key so sessions survive restarts. Production refuses to start
# without its own SECRET_KEY (see production.py).
SECRET_KEY = env.optional("SECRET_KEY") or "development-only-key-not-for-production-use"
ALLOWED_HOSTS = env.string_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
FIELD_ENCRYPTION_KEYS = env.string_list(
    # Development only: a published key, so demo data is readable across restarts.
    "FIELD_ENCRYPTION_KEYS",
    default=["ZGV2ZWxvcG1lbnQtb25seS1rZXktbm90LXNlY3JldCE="],
)
PEERPATH_DEMO_DATA_ALLOWED = True

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "emails"

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True  # development: CSS and JS changes show without collectstatic
LOG_FORMAT = env.string("LOG_FORMAT", "plain")
LOGGING["handlers"]["console"]["formatter"] = "plain" if LOG_FORMAT == "plain" else "json"
CHECKINS_EPDS_PLACEHOLDER_ALLOWED = True  # the demo: the EPDS shows placeholder wording
