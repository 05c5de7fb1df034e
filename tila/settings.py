"""Tila settings: everything comes from the environment, with safe defaults.

See README.md for the variables. Data, the secret key and generated keys live under
``var/`` (or ``TILA_VAR_DIR``), which is never committed.
"""

import contextlib
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TILA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def load_secret_key() -> str:
    """Return TILA_SECRET_KEY, or a key generated once and kept in var/secret_key."""
    key = os.environ.get("TILA_SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        # Several processes may start at once (server, worker): each writes its own key to a
        # private file and links it into place; the first link wins and the file never
        # appears half-written.
        VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
        draft = VAR_DIR / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
            with contextlib.suppress(FileExistsError):
                os.link(draft, path)
        finally:
            draft.unlink()
    return path.read_text().strip()


DEBUG = env_bool("TILA_DEBUG")
SECRET_KEY = load_secret_key()
ALLOWED_HOSTS = env_list("TILA_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("TILA_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("TILA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SECURE = SITE_URL.startswith("https://")

INSTALLED_APPS = [
    "tila.accounts",
    "tila.practices",
    "tila.keys",
    "tila.audit",
    "tila.clients",
    "tila.contracts",
    "tila.meetings",
    "tila.notes",
    "tila.portal",
    "tila.topics",
    "tila.journal",
    "tila.orderers",
    "tila.statements",
    "tila.intake",
    "tila.public",
    "tila.privacy",
    "tila.billing",
    "tila.live",
    "tila.evaluations",
    "tila.scheduling",
    "tila.demo",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_htmx",
    "template_partials",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "tila.accounts.middleware.SessionActivityMiddleware",
    "tila.accounts.middleware.IdleTimeoutMiddleware",
    "tila.practices.middleware.MfaRequiredMiddleware",
    "tila.accounts.middleware.PrivatePagesMiddleware",
    "tila.audit.middleware.DeniedAccessMiddleware",
]

ROOT_URLCONF = "tila.urls"
WSGI_APPLICATION = "tila.wsgi.application"
ASGI_APPLICATION = "tila.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tila" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tila.practices.context_processors.practice",
            ],
            "builtins": ["tila.lib.templatetags.tila"],
        },
    }
]

# Database: SQLite under var/ by default; PostgreSQL (or another) through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
    }
else:
    VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "tila.lib.sqlite",
            "NAME": str(VAR_DIR / "tila.sqlite3"),
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                # Writers queue instead of failing; BEGIN IMMEDIATE takes the write lock at
                # the start of a transaction so that read-then-write cannot deadlock.
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "tila.live.layers.LiveInMemoryChannelLayer",
            "CONFIG": {"capacity": 500},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
TILA_IDLE_MINUTES = int(os.environ.get("TILA_IDLE_MINUTES", "30"))
# Pictures uploaded for supervisors' own card decks, re-encoded (tila/live/uploads.py).
TILA_UPLOAD_DIR = Path(os.environ.get("TILA_UPLOAD_DIR", VAR_DIR / "uploads"))
# The audit log's chain heads, written down outside the database (verify_audit_log --anchor).
TILA_AUDIT_ANCHOR_FILE = Path(os.environ.get("TILA_AUDIT_ANCHOR_FILE", VAR_DIR / "audit_anchors"))
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: email is the login; accounts are created by the practice, not by sign-up.
ACCOUNT_LOGIN_METHODS = {"email"}
# Supervisees and orderer contacts log in with a code sent by email; no password needed.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 600
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Tila: "
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "tila.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
# Login throttling (docs/security.md): failed password logins count per address (10 a
# minute), per account from one address (5 in 15 minutes; the key is the email and the
# address, see AccountAdapter) and per account from anywhere (30 an hour). An attacker's
# address is stopped without stopping the real user elsewhere, who can also always log in by
# an emailed code.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/15m/key",
    "login_failed_account": "30/h/key",
    "request_login_code": "20/m/ip,3/m/key",
    "reauthenticate": "10/m/user",
}
# Re-authentication ("sudo mode") before bulk reads of other people's data lasts 5 minutes.
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Behind a reverse proxy, the client's address is the last one the proxy adds.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if env_bool("TILA_BEHIND_PROXY") else 0
# The reverse proxies (addresses or networks) whose X-Forwarded-For is believed when the
# public forms count submissions per address (tila.lib.client_address).
TILA_TRUSTED_PROXIES = env_list("TILA_TRUSTED_PROXIES")
# Every member of a practice must have an authenticator (tila.accounts.middleware).
MFA_ADAPTER = "tila.keys.mfa.SealedMFAAdapter"  # TOTP keys and recovery seeds sealed at rest
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Tila"
# One 30-second step either side, for phones whose clocks drift (RFC 6238, section 6). A
# code still works only once.
MFA_TOTP_TOLERANCE = 1
# Users see their sessions (device, address, last seen) and can end the others.
USERSESSIONS_TRACK_ACTIVITY = True

# Email
EMAIL_BACKEND = os.environ.get(
    "TILA_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("TILA_EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("TILA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("TILA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("TILA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TILA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("TILA_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("TILA_DEFAULT_FROM_EMAIL", "Tila <tila@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Internationalisation: Finnish first, English complete.
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "tila" / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("TILA_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "tila" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Security
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_SSL_REDIRECT = SECURE and env_bool("TILA_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("TILA_BEHIND_PROXY") else None
)
SECURE_HSTS_SECONDS = int(os.environ.get("TILA_HSTS_SECONDS", "31536000" if SECURE else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Scripts run only from <script> tags that carry this response's nonce (request.csp_nonce);
# no inline scripts, no eval. 'strict-dynamic' is left out on purpose: Tila loads no scripts
# from scripts, and without it a script tag swapped in by htmx cannot run either.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": [NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TILA_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint tells each layout step of every PDF at INFO; a server log needs none of it.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

FORMAT_MODULE_PATH = ["tila.formats"]

# Notes (and other content) of an ended contract are deleted this many months after it ended.
TILA_RETENTION_MONTHS = int(os.environ.get("TILA_RETENTION_MONTHS", "12"))
