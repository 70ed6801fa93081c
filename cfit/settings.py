"""cfit settings: one module, read from the environment.

Every value that differs between a laptop and production comes from an environment
variable; the helpers below refuse values they cannot read rather than guess.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, *, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {raw!r}"
        ) from None


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def cache_from_url(url: str) -> dict[str, object]:
    """The cache that CACHE_URL names: redis(s):// or unix://, locmem://, or the database."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
        }
    # The dashboards keep each scope's sums in a few dozen entries (dashboards.partials):
    # the default 300 entries would drop them, and the sums be added up again.
    options = {"MAX_ENTRIES": 10_000}
    if url.startswith("locmem://"):
        # Only for one process (a laptop): the system check warns about it in production.
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": options,
        }
    if url == "":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cfit_cache",
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis://, rediss://, unix:// or locmem://, not {url!r}"
    )


def s3_media_backend(
    *, bucket: str, endpoint_url: str, region: str
) -> dict[str, object]:
    """Uploads in a bucket of an S3-compatible store (MEDIA_STORAGE=s3)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            # Members' files are private: no public ACL (the bucket's own policy), and
            # a second upload of the same name gets a new name instead of replacing
            # the first, as on disk.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }


DEBUG = env_bool("DEBUG", default=False)
# Under pytest: fast hashing, tasks run at once, mail kept in memory.
TESTING = env_bool("CFIT_TESTING", default="pytest" in sys.modules)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (see README: Configuration)."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])
# The public address of the site: every link in an email is built from it.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where people write to the Pact's secretariat (footer, privacy, accessibility, accounts,
# the contact page) and where the contact form's messages go.
SECRETARIAT_EMAIL = env_str("SECRETARIAT_EMAIL", "contact@cfit.example")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # Full-text search of good examples on PostgreSQL; harmless on SQLite.
    "django.contrib.postgres",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "django_altcha",
    "django_htmx",
    "django_tasks_db",
    "cfit.lib",
    "cfit.accounts",
    "cfit.organisations",
    "cfit.groups",
    "cfit.criteria",
    "cfit.monitoring",
    "cfit.impact",
    "cfit.dashboards",
    "cfit.security",
    "cfit.knowledge",
    "cfit.market",
    "cfit.api",
    # Only for its static files: the API's documentation is served from the site.
    "ninja",
    "cfit.operations",
    # Tables of translations for what people write (criteria, examples, news).
    "parler",
]

MIDDLEWARE = [
    # First, so that its duration covers every other middleware.
    "cfit.operations.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Outside the rest, so that it sees every response to a signed-in person.
    "cfit.security.middleware.PrivatePagesNotStoredMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in person's stored language wins (cfit/lib/i18n.py).
    "cfit.lib.i18n.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cfit.security.middleware.RefuseUnstorableInputMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cfit.security.middleware.SecondFactorRequiredMiddleware",
    # Axes last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cfit.urls"
WSGI_APPLICATION = "cfit.wsgi.application"
ASGI_APPLICATION = "cfit.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cfit.context_processors.site",
            ],
        },
    },
]

# SQLite unless DATABASE_URL says otherwise (PostgreSQL in production and CI).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=60),
        # A kept connection is tested before a request uses it: after a database
        # restart the next request reconnects instead of failing.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif env_bool("DATABASE_POOL", default=False):
    # psycopg 3's pool in each process, instead of a connection kept per thread; see
    # docs/running-at-scale.md for sizing it against PostgreSQL's max_connections.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN_SIZE", default=2),
        "max_size": env_int("DATABASE_POOL_MAX_SIZE", default=10),
        "timeout": env_int("DATABASE_POOL_TIMEOUT", default=10),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every web process and the task worker: the human check's list of
# used puzzles, the rate limits of sign-in and sign-up, and the figures' caches all live
# here, so a second process cannot be used to replay or to dodge a limit.
# CACHE_URL=redis://host:6379/0 uses Redis; unset, the database holds the cache (the
# table is made by `manage.py createcachetable`, which `make migrate` runs).
CACHE_URL = env_str("CACHE_URL")
CACHES = {"default": cache_from_url(CACHE_URL)}
# What depends only on the code and its translations (the main navigation): each
# process keeps its own copy, dropped with the process at a new release, and no
# request waits on the shared cache for it.
CACHES["layout"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
if CACHE_URL:
    # Sessions read from the shared cache and written through to the database, so
    # every app server knows a signed-in person and a Redis restart signs no one out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out person is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# The interface languages. Each name is written in its own language: the switcher shows
# them so that a person finds theirs whatever language the page is in (never translated).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("nl", "Nederlands"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("es", "Español"),
]
# The .po files live here; `make install` compiles them (.mo files are not committed).
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as a procurer in each country writes them (cfit/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["cfit.formats"]
# The language a person chose with the switcher, for people who are not signed in.
LANGUAGE_COOKIE_NAME = "cfit_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
# django-parler: what people write is stored in its own language (the row's
# original_language) and translated into the others; the reader falls back to the
# original in cfit.lib.translations, so parler itself never falls back.
PARLER_DEFAULT_LANGUAGE_CODE = "en"
PARLER_LANGUAGES = {
    None: tuple({"code": code} for code, _name in LANGUAGES),
    "default": {"fallbacks": [], "hide_untranslated": False},
}
# Translations are read with the rows they belong to (prefetched), never from the cache.
PARLER_ENABLE_CACHING = False
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded files: on this server's disk under MEDIA_ROOT (the default; a volume shared
# by every server when there are several) or, with MEDIA_STORAGE=s3, in a private
# bucket of an S3-compatible store (the [scale] extra). The keys come from the
# environment as AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, read by boto3 itself.
MEDIA_STORAGE = env_str("MEDIA_STORAGE") or "filesystem"
if MEDIA_STORAGE == "filesystem":
    MEDIA_BACKEND: dict[str, object] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }
elif MEDIA_STORAGE == "s3":
    if not env_str("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    MEDIA_BACKEND = s3_media_backend(
        bucket=env_str("AWS_STORAGE_BUCKET_NAME"),
        endpoint_url=env_str("AWS_S3_ENDPOINT_URL"),
        region=env_str("AWS_S3_REGION_NAME"),
    )
else:
    raise ImproperlyConfigured("MEDIA_STORAGE must be filesystem or s3")
STORAGES = {
    "default": MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_500_000

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "home"

# Accounts: email is the login; an address must be confirmed before signing in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Confirming the address signs the person in: no second sign-in right after.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ADAPTER = "cfit.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_RATE_LIMITS: dict[str, str] | bool = False if TESTING else {}
ACCOUNT_FORMS = {
    "signup": "cfit.accounts.forms.SignupForm",
    "reset_password": "cfit.accounts.forms.ResetPasswordForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Circular & Fair ICT Pact] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
AUTH_USER_MODEL = "accounts.User"

# Two-factor sign-in: an authenticator app (TOTP) with recovery codes, offered to everyone
# on their profile page, required for the secretariat (cfit.security.middleware).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Circular & Fair ICT Pact"
MFA_RECOVERY_CODE_COUNT = 10

# Password guessing: lock the account from that address after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "cfit.accounts.axes.username_from_request"

# The human check is self-hosted: challenges are signed and solved in the browser.
ALTCHA_HMAC_KEY = env_str("ALTCHA_HMAC_KEY") or SECRET_KEY
ALTCHA_VERIFICATION_ENABLED = env_bool("ALTCHA_VERIFICATION_ENABLED", default=True)
# How hard the puzzle is: the browser tries on average half this many hashes.
ALTCHA_MAX_NUMBER = env_int("ALTCHA_MAX_NUMBER", default=250_000)

# Email goes to files (or the console) in development, to SMTP in production.
EMAIL_BACKEND_NAME = env_str("EMAIL_BACKEND", "file" if DEBUG else "smtp")
_MAIL_BACKENDS = {
    "file": (
        "django.core.mail.backends.filebased.EmailBackend",
        {"file_path": env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))},
    ),
    "console": ("django.core.mail.backends.console.EmailBackend", {}),
    "smtp": (
        "django.core.mail.backends.smtp.EmailBackend",
        {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", default=25),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", default=False),
        },
    ),
}
if EMAIL_BACKEND_NAME not in _MAIL_BACKENDS:
    raise ImproperlyConfigured("EMAIL_BACKEND must be one of: file, console, smtp")
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKENDS[EMAIL_BACKEND_NAME][0],
        "OPTIONS": _MAIL_BACKENDS[EMAIL_BACKEND_NAME][1],
    }
}
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Circular & Fair ICT Pact <noreply@cfit.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Reading an uploaded purchase file runs in a child process that may grow by at most
# this much memory and run this long; an import still running with no sign of life
# after IMPORT_STUCK_MINUTES is marked failed by `manage.py fail_stuck_imports`.
IMPORT_MEMORY_LIMIT_MB = env_int("IMPORT_MEMORY_LIMIT_MB", default=1024)
IMPORT_TIME_LIMIT_SECONDS = env_int("IMPORT_TIME_LIMIT_SECONDS", default=1200)
IMPORT_STUCK_MINUTES = env_int("IMPORT_STUCK_MINUTES", default=30)

# Background work: Django's tasks framework. TASKS_BACKEND=database (the default) keeps
# the queue in the database, run by `manage.py db_worker`; TASKS_BACKEND=rq keeps it in
# Redis at TASKS_BROKER_URL, run by `manage.py rqworker` (the [scale] extra; see
# docs/running-at-scale.md). Either runs on as many machines as needed.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
}
TASKS_BACKEND = env_str("TASKS_BACKEND") or "database"
# The full class path is accepted too (older environments set it).
TASKS_BACKEND = _TASK_BACKENDS.get(TASKS_BACKEND, TASKS_BACKEND)
if TASKS_BACKEND not in _TASK_BACKENDS.values():
    raise ImproperlyConfigured("TASKS_BACKEND must be database or rq")
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}
if TASKS_BACKEND == "django_tasks_rq.RQBackend":
    TASKS_BROKER_URL = env_str("TASKS_BROKER_URL")
    if not TASKS_BROKER_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            "TASKS_BACKEND=rq needs TASKS_BROKER_URL=redis://host:6379/1 (a Redis "
            "database of its own: a cache may evict what it holds, a queue may not)."
        )
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {
        "default": {
            "URL": TASKS_BROKER_URL,
            # RQ stops a task running longer than this (default 3 minutes): an
            # import may read for IMPORT_TIME_LIMIT_SECONDS and then store its lines.
            "DEFAULT_TIMEOUT": IMPORT_TIME_LIMIT_SECONDS + 600,
        }
    }
    # Workers run Django's task functions: a plain `manage.py rqworker` needs no flag.
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}

# Security headers. The Content Security Policy allows only this site's own files.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # The human check's widget injects one fixed stylesheet; allow exactly that one.
    # The browser tests fail on any CSP violation, so an upgrade that changes it shows.
    "style-src": [CSP.SELF, "'sha256-pg+oQARqMq4wCazyrsMt8HY89BJkXkEFkwNWxg2iPdg='"],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "worker-src": [CSP.SELF, "blob:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=0)
if env_bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

ADMINS = [("cfit", a) for a in env_list("ADMIN_EMAILS", default=[])]

# LOG_FORMAT=json: every line is JSON, and each request logs one (id, user, status, time).
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT must be text or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "cfit.operations.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "cfit.requests": {
            "level": "INFO" if LOG_FORMAT == "json" else "WARNING",
        }
    },
}
# /health/ turns 503 when a task has waited this long for a worker.
HEALTH_TASK_MAX_WAIT_SECONDS = env_int("HEALTH_TASK_MAX_WAIT_SECONDS", default=900)

FORM_RENDERER = "cfit.lib.forms.SiteFormRenderer"

if TESTING:
    ALTCHA_MAX_NUMBER = 20_000  # still solved for real by the browser, just sooner
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

# The API (cfit.api): requests a token may make per minute, and the Pact's OCDS
# prefix for the published planned tenders (register one with the Open Contracting
# Partnership before publishing for real).
API_TOKEN_REQUESTS_PER_MINUTE = env_int("API_TOKEN_REQUESTS_PER_MINUTE", default=120)
OCDS_OCID_PREFIX = env_str("OCDS_OCID_PREFIX", "ocds-cfit01")
