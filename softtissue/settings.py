"""Django settings for softtissue: one file, read from SOFTTISSUE_* environment variables."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


class SettingsError(ImproperlyConfigured):
    """An environment value is wrong; the message says which and what to set instead."""


def env_str(name: str, default: str) -> str:
    """A string from the environment, or the default when unset or empty."""
    value = os.environ.get(name, "").strip()
    return value or default


def env_bool(name: str, default: bool) -> bool:
    """A yes/no value; anything but the usual spellings is refused."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name}={raw!r} is not a yes/no value: use true or false")


def env_int(name: str, default: int, minimum: int, maximum: int) -> int:
    """A whole number within bounds."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a whole number") from None
    if not minimum <= value <= maximum:
        raise SettingsError(f"{name}={value} is out of range: use {minimum} to {maximum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def default_data_dir() -> Path:
    """The per-user data directory (XDG on Linux, ~/.local/share otherwise)."""
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "softtissue"


def ensure_data_dir(path: Path) -> Path:
    """Create the data directory (private to this user) or say why it cannot be used."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise SettingsError(
            f"SOFTTISSUE_DATA_DIR={path} cannot be created ({error.strerror}): "
            "point it at a writable directory"
        ) from None
    if not os.access(path, os.W_OK):
        raise SettingsError(f"SOFTTISSUE_DATA_DIR={path} is not writable: choose another")
    return path


def secret_key(data_dir: Path) -> str:
    """The configured key, or one generated once and kept in the data directory."""
    configured = os.environ.get("SOFTTISSUE_SECRET_KEY", "").strip()
    if configured:
        if len(configured) < 32:
            raise SettingsError("SOFTTISSUE_SECRET_KEY is too short: use at least 32 characters")
        return configured
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    # Created with owner-only permissions before the key is written, so it is never readable.
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key)
    return key


def database_from_url(url: str, data_dir: Path) -> dict[str, Any]:
    """Django DATABASES['default'] from sqlite:///path or postgres://user:pw@host:port/name."""
    if not url:
        return sqlite_database(data_dir / "softtissue.sqlite3")
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if not path or path == "/":
            raise SettingsError(
                "SOFTTISSUE_DATABASE_URL: give a file, e.g. sqlite:////path/db.sqlite3"
            )
        return sqlite_database(Path(path))
    if parts.scheme in {"postgres", "postgresql"}:
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise SettingsError(
                "SOFTTISSUE_DATABASE_URL has no database name: postgres://host/NAME"
            )
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": query.pop("host", parts.hostname or ""),
            "PORT": str(parts.port or ""),
            # Persistent connections: measured to double throughput on this stack (DESIGN 3).
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {"connect_timeout": 5, **query},
        }
    raise SettingsError(
        f"SOFTTISSUE_DATABASE_URL scheme {parts.scheme!r} is not supported: "
        "use sqlite:///path or postgres://..."
    )


def sqlite_database(path: Path) -> dict[str, Any]:
    """SQLite in WAL mode with a busy timeout, so readers never block the writer."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "CONN_MAX_AGE": 600,
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
    }


# Health data: every file this process creates (the database and its -wal and -shm files,
# uploads, backups, exports) is its user's only, whatever the umask of the shell that started it.
os.umask(0o077)
DATA_DIR = ensure_data_dir(
    Path(env_str("SOFTTISSUE_DATA_DIR", str(default_data_dir()))).expanduser()
)
DEBUG = env_bool("SOFTTISSUE_DEBUG", False)
HTTPS = env_bool("SOFTTISSUE_HTTPS", False)
SECRET_KEY = secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("SOFTTISSUE_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("SOFTTISSUE_CSRF_TRUSTED_ORIGINS", [])
DATABASES = {"default": database_from_url(env_str("SOFTTISSUE_DATABASE_URL", ""), DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    # Security: two-factor (TOTP and single-use recovery codes), login throttling, CSP, and
    # ninja as an app so that /api/v1/docs serves Swagger UI from our static files, not a CDN.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "ninja",
    "softtissue",
    "softtissue.accounts",
    "softtissue.clients",
    "softtissue.assessments",
    "softtissue.education",
    "softtissue.outcomes",
    "softtissue.letters",
    "softtissue.treatments",
    "softtissue.rehab",
    "softtissue.appointments",
    "softtissue.interop",
    "softtissue.audit",
    "softtissue.privacy",
]

MIDDLEWARE = [
    # Outermost, so every answer names its route for the access log (a link's path is secret).
    "softtissue.logs.RouteMiddleware",
    # Next, so that every error answer under /api/, whoever made it, is in the API's shape.
    "softtissue.interop.api_common.ErrorShapeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "softtissue.accounts.headers.PermissionsPolicyMiddleware",
    # Before anything reads the body, so an oversized request is refused with a clear 400.
    "softtissue.accounts.headers.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "softtissue.accounts.middleware.ClinicMiddleware",
    "softtissue.audit.middleware.AuditMiddleware",
    "softtissue.accounts.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout into the login page with its message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "softtissue.urls"
WSGI_APPLICATION = "softtissue.wsgi.application"

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
                "softtissue.accounts.context.clinic",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Security. Sessions end when the browser closes and at the latest after SOFTTISSUE_SESSION_HOURS,
# whatever the activity: a shared clinic computer must not stay logged in overnight.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SOFTTISSUE_SESSION_HOURS", 10, 1, 24 * 14) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SOFTTISSUE_INTAKE_LINK_MINUTES = env_int("SOFTTISSUE_INTAKE_LINK_MINUTES", 120, 5, 7 * 24 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie; see base.html.
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page uses are switched off (softtissue/accounts/headers.py sends it).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=()"
)
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# Password checks go through django-axes first: 5 failures for one email from one IP address lock
# that pair out for 15 minutes (others, and that email from elsewhere, can still log in).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("SOFTTISSUE_LOGIN_FAILURE_LIMIT", 5, 1, 100)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SOFTTISSUE_LOCKOUT_MINUTES", 15, 1, 24 * 60))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "softtissue.accounts.lockout.locked_out"
# Behind the HTTPS proxy the client's address is the last X-Forwarded-For entry (see lockout.py).
AXES_CLIENT_IP_CALLABLE = "softtissue.accounts.lockout.client_ip"
SOFTTISSUE_BEHIND_PROXY = HTTPS

# Two-factor: the issuer name shown in authenticator apps; TOTP allows one step of clock drift.
OTP_TOTP_ISSUER = "softtissue"
OTP_TOTP_TOLERANCE = 1

# Request and upload limits, chosen rather than left to defaults. Form fields and JSON bodies: 2 MB.
# A request with files (a clearance letter is a few hundred kB): SOFTTISSUE_MAX_UPLOAD_MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
SOFTTISSUE_MAX_UPLOAD_BYTES = env_int("SOFTTISSUE_MAX_UPLOAD_MB", 10, 1, 200) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Larger uploads spool to disk: inside the private data directory, not a world-readable /tmp.
FILE_UPLOAD_TEMP_DIR = DATA_DIR / "upload-tmp"
FILE_UPLOAD_TEMP_DIR.mkdir(mode=0o700, exist_ok=True)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# API pages: a bounded page size, so no request can ask for a whole clinic at once.
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200

# How long a tablet link for one outcome questionnaire stays usable.
QUESTIONNAIRE_LINK_MINUTES = env_int("SOFTTISSUE_QUESTIONNAIRE_LINK_MINUTES", 60, 5, 24 * 60)
# How long a client's read-only link to their home exercise programme works.
SOFTTISSUE_REHAB_LINK_DAYS = env_int("SOFTTISSUE_REHAB_LINK_DAYS", 28, 1, 365)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("SOFTTISSUE_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # for `collectstatic` in deployments; WhiteNoise expects it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise serves the few static files straight from the apps, so `serve` needs no collect step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_MAX_AGE = 3600
MEDIA_ROOT = DATA_DIR / "media"

# Health data must never reach a log: requests are logged without bodies or query strings,
# and Django's error emails (which include request data) are switched off.
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    # Exception messages may quote field values, so tracebacks are logged without them.
    "formatters": {"redacted": {"()": "softtissue.logs.RedactingFormatter"}},
    # Django quotes a request's path, and a client link's path is its secret: routes instead.
    "filters": {"routes": {"()": "softtissue.logs.RoutesNotPaths"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "redacted",
            "filters": ["routes"],
        }
    },
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
ADMINS: list[tuple[str, str]] = []

# Privacy. Records are kept until the later of this many years after the
# last treatment and the client's birthday at this age: docs/privacy.md cites the sources.
SOFTTISSUE_RETENTION_YEARS = env_int("SOFTTISSUE_RETENTION_YEARS", 7, 1, 100)
SOFTTISSUE_RETENTION_CHILD_AGE = env_int("SOFTTISSUE_RETENTION_CHILD_AGE", 25, 18, 120)
