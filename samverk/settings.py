"""Settings for Samverk.

Every value comes from the environment (django-environ). With nothing set, a
fresh checkout runs locally on SQLite with safe defaults; production sets
DEBUG=0, a real SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
# The fallback key only ever serves a local checkout; production refuses to start without one.
SECRET_KEY = env("SECRET_KEY", default="" if not DEBUG else "local-dev-only-not-a-secret")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY måste sättas när DEBUG=0.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "anymail",
    "samverk",
    "parties",
    "cases",
    "consent",
    "meetings",
    "django_tasks",
    "django_tasks_db",
    "outbox",
    "plans",
    "groups",
    "areaplans",
    "followup",
    # Sign-in (issue 14): allauth's accounts, a second factor (TOTP, recovery codes, WebAuthn)
    # and single sign-on per organisation through OpenID Connect or SAML 2.0.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
]

MIDDLEWARE = [
    # A request id (X-Request-ID) and one log line per request (common.logging, LOG_FORMAT).
    "common.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Permissions-Policy everywhere, no-store on every logged-in page.
    "common.middleware.SecurityHeadersMiddleware",
    # Idle and absolute session limits: an expired session is logged out here.
    "common.middleware.SessionTimeoutMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A body too big to read: 413 in Swedish, before anything else reads it.
    "common.middleware.RequestTooBigMiddleware",
    # Every page needs a logged-in user unless its view says otherwise (login page).
    "common.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # MFA_REQUIRED: a user who must have a second factor and has none only reaches its
    # enrolment pages (and logout) until they add one.
    "parties.mfa.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "samverk.urls"
WSGI_APPLICATION = "samverk.wsgi.application"

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
                "common.context_processors.session_timeouts",
            ],
            # common is not an app: its layout tags (templates/base.html) by name.
            "libraries": {"layout": "common.templatetags.layout"},
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("TEST", {})
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Keep connections open between requests in production (e.g. 60); 0 closes them each time.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound by the server, not spliced into the SQL by Python: psycopg then
    # prepares a query after its fifth run on a connection and PostgreSQL stops parsing
    # and planning it (with persistent connections, CONN_MAX_AGE). In A/B load runs the
    # heavier pages served 10-40% more requests per second (README, Performance). Behind
    # PgBouncer in transaction mode without prepared statements, set it to 0.
    server_side_binding = env.bool("DATABASE_SERVER_SIDE_BINDING", default=True)
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = server_side_binding
    if server_side_binding:
        # Django turns psycopg's automatic preparing off (for poolers); prepare a query
        # after its fifth run on a connection. 0 here turns preparing off again.
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = (
            env.int("DATABASE_PREPARE_THRESHOLD", default=5) or None
        )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead log: readers no longer wait for a writer (the outbox worker beside
    # runserver, an autosave), and a commit appends to the log instead of writing and
    # deleting a rollback journal; synchronous=NORMAL is the safe setting for WAL
    # (a power cut can lose the last commits, never corrupt the file). Every ärende read
    # writes its audit row, so commits are on every page. A database in memory (the tests)
    # answers "memory" and carries on.
    sqlite_options = DATABASES["default"].setdefault("OPTIONS", {})
    sqlite_options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    # Every transaction takes the write lock when it begins (BEGIN IMMEDIATE), and a second
    # writer waits for it up to `timeout` seconds. SQLite's default (deferred) transaction
    # reads first and asks for the lock at its first write; when another writer holds it
    # then, SQLite cannot wait (the reader's snapshot would be stale) and answers "database
    # is locked" at once: a 500, and an autosave beside "Lägg till beslut" lost the new row
    # (tests/test_sqlite_concurrency.py).
    sqlite_options.setdefault("transaction_mode", "IMMEDIATE")
    sqlite_options.setdefault("timeout", env.int("SQLITE_TIMEOUT", default=20))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "parties.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # ModelBackend, loading the organisation with the user: first, so it is the backend a
    # session keeps (force_login in the tests too) and every request loads the user through.
    "parties.backends.StaffBackend",
    # allauth's login by username or e-mail, with its rate limits.
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# SAML 2.0 single sign-on: allauth's provider with the assertion's AuthnContextClassRef kept
# (whether the login was strong) and only the attributes Samverk reads (parties/saml.py).
SOCIALACCOUNT_PROVIDERS = {
    "saml": {"provider_class": "parties.saml.SAMLProvider"},
}

# django-allauth (parties/accounts.py has the adapter): log in by username or e-mail, no
# signup (administrators create accounts), mail through the outbox.
ACCOUNT_ADAPTER = "parties.accounts.AccountAdapter"
ACCOUNT_FORMS = {"login": "parties.accounts.LoginForm"}
# A reset asked for an unknown address sends nothing (the page says the same either way).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# The owner hears of a password changed or reset (through the outbox).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
# The session lasts SESSION_COOKIE_AGE as before; no "remember me" box.
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_REDIRECT_URL = LOGOUT_REDIRECT_URL
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Failed logins, counted in the cache (CACHES below; Redis in production, so every app
# server counts the same attempts): per address and per account. A count past the limit is
# refused with a Swedish message until the window has passed; nobody is locked out for good.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("RATE_LIMIT_LOGIN_FAILED", default="20/10m/ip,10/15m/key"),
    "reset_password": env("RATE_LIMIT_RESET_PASSWORD", default="20/m/ip,5/m/key"),
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""

# Single sign-on per organisation (OpenID Connect, SAML 2.0; parties/sso.py and
# parties/services/sso.py): an administrator connects an organisation's identity provider in
# the admin ("Organisationers inloggningar"). A login is placed in that organisation by its
# verified e-mail address, or refused; it signs up without a form (the password side stays
# closed), and only the provider's own verification of the address counts.
SOCIALACCOUNT_ADAPTER = "parties.sso.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
# The buttons post (with CSRF); a GET of a login address shows a confirm page.
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
# Seconds Samverk waits for an identity provider (discovery, token, userinfo, keys).
SOCIALACCOUNT_REQUESTS_TIMEOUT = env.int("SSO_REQUESTS_TIMEOUT", default=5)

# The second factor (allauth.mfa, issue 14): an authenticator app (TOTP) with recovery codes,
# and WebAuthn security keys. With MFA_REQUIRED (on by default when DEBUG=0) everyone who can
# open ärenden and every administrator must have one (parties.mfa.SecondFactorMiddleware sends
# them to enrol); a password login of a user who has one asks for it. With DEBUG=0 and
# MFA_REQUIRED off, `check --deploy` fails (samverk.E002) unless ALLOW_NO_MFA=1 says it is meant.
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=not DEBUG)
ALLOW_NO_MFA = env.bool("ALLOW_NO_MFA", default=False)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Samverk"
# allauth refuses a factor while an unverified e-mail address row exists (against a stranger
# who signs up with someone's address and locks them out). Samverk has no signup and does not
# verify addresses (administrators or SSO set them), yet a reset request makes such a row:
# without this, a user who once asked for a reset could never add a second factor.
MFA_ALLOW_UNVERIFIED_EMAIL = True
# A security key's refused answer is logged like a wrong code (parties/forms/second_factor.py).
MFA_FORMS = {
    "authenticate_webauthn": "parties.forms.second_factor.AuthenticateWebAuthnForm",
    "reauthenticate_webauthn": "parties.forms.second_factor.ReauthenticateWebAuthnForm",
}
# A code of the window before or after counts too (a phone's clock a few seconds off); each
# code is accepted once (allauth marks it used in the cache for the whole window).
MFA_TOTP_TOLERANCE = env.int("MFA_TOTP_TOLERANCE", default=1)
# Left off: it would accept a WebAuthn answer from ANY origin (allauth then skips the check).
# It is not needed locally: browsers allow WebAuthn only on https or http://localhost, and
# the server side (fido2) accepts http://localhost as well. The RP ID is the host name and
# cannot be an IP address, so open the dev server as http://localhost:8000 (the browser tests
# use the live server at http://localhost:<port>), not 127.0.0.1, to add a security key.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["samverk.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"

# Uploads above this size are refused by the forms with a Swedish message.
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE", default=5 * 1024 * 1024)
# Django would answer an oversized non-file body with a bare 400; files are checked per form.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: console locally; production sets EMAIL_BACKEND to an anymail backend
# (e.g. anymail.backends.postmark.EmailBackend) and ANYMAIL_* keys, or SMTP.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# The folder of django.core.mail.backends.filebased.EmailBackend (one file per message).
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=BASE_DIR / "sent-mail")
# Seconds an SMTP connection may wait for the relay: one that accepts the connection and
# never answers would otherwise hold the mail worker forever (the send fails and is retried).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Samverk <noreply@samverk.local>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
ANYMAIL = env.json("ANYMAIL", default={})
# The provider whose delivery webhook /anymail/<provider>/tracking/ serves (outbox/webhooks.py):
# by default the one of an anymail EMAIL_BACKEND; set it when sending by SMTP through a
# provider that reports deliveries. Served only with ANYMAIL's WEBHOOK_SECRET.
MAIL_WEBHOOK_PROVIDER = env("MAIL_WEBHOOK_PROVIDER", default="")
# The same bound for anymail's HTTP backends, unless the ANYMAIL JSON sets its own.
ANYMAIL.setdefault("REQUESTS_TIMEOUT", EMAIL_TIMEOUT)

# Seconds before the next attempt after a failed send, one per retry; the failure after the
# last is final (FAILED, "Skicka igen" in the admin). Default: 1 min, 5 min, 30 min, 2 h, 6 h.
OUTBOX_RETRY_DELAYS = [
    int(seconds)
    for seconds in env.list("OUTBOX_RETRY_DELAYS", default=["60", "300", "1800", "7200", "21600"])
]
if not OUTBOX_RETRY_DELAYS or min(OUTBOX_RETRY_DELAYS) < 1:
    raise environ.ImproperlyConfigured("OUTBOX_RETRY_DELAYS: sekunder, minst 1, t.ex. 60,300.")

# Background tasks (django-tasks). Mail leaves through the outbox and a worker:
# `python manage.py db_worker` with the default database backend. Several app
# servers can share it; a Redis/RQ backend can replace it without code changes.
TASKS = {
    "default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")},
}
# TASKS_BACKEND=rq with REDIS_URL: the tasks go through Redis to `manage.py rqworker default
# --with-scheduler` (the scheduler enqueues a failed send's next attempt at its time). Needs
# the optional group: pip install -e '.[rq]'. Celery has no django-tasks backend.
REDIS_URL = env("REDIS_URL", default="")
if TASKS["default"]["BACKEND"] in ("rq", "django_tasks_rq.RQBackend"):
    if not REDIS_URL:
        raise environ.ImproperlyConfigured("TASKS_BACKEND=rq kräver REDIS_URL.")
    TASKS["default"]["BACKEND"] = "django_tasks_rq.RQBackend"
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300}}
    # The worker runs django-tasks-rq's jobs with its Job class: with RQ's own, every task
    # failed in the worker with "TypeError: 'Task' object is not callable" (the kallelse
    # was never sent; tests/ops/test_two_servers.py).
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}

# A contact list not confirmed within this many days is flagged as possibly stale.
CONTACT_LIST_STALE_DAYS = env.int("CONTACT_LIST_STALE_DAYS", default=183)

# Absolute links in e-mail (answer links) are built from this. With DEBUG=0 it and
# CALENDAR_UID_DOMAIN must be set: `check --deploy` fails with samverk.E003 on the defaults.
LOCAL_SITE_URL = "http://127.0.0.1:8000"
LOCAL_CALENDAR_UID_DOMAIN = "samverk.local"
SITE_URL = env("SITE_URL", default=LOCAL_SITE_URL)
# Reminders go to those who have not answered this many days before the meeting.
REMINDER_DAYS_BEFORE = env.int("REMINDER_DAYS_BEFORE", default=2)
# The domain part of calendar UIDs; keep it stable once invitations have gone out.
CALENDAR_UID_DOMAIN = env("CALENDAR_UID_DOMAIN", default=LOCAL_CALENDAR_UID_DOMAIN)
# The ORGANIZER address of calendar invitations: where "Acceptera"/"Avböj" sends its iTIP
# REPLY. Set it to the provider's inbound address (/anymail/<provider>/inbound/) or to the
# reply mailbox read by `manage.py read_reply_mailbox`; empty: the convener's own address
# (the calendar answer then never reaches Samverk).
CALENDAR_REPLY_ADDRESS = env("CALENDAR_REPLY_ADDRESS", default="")
# The reply mailbox over IMAP (manage.py read_reply_mailbox): processed messages are marked
# Seen and, with REPLY_IMAP_PROCESSED_MAILBOX, moved there.
REPLY_IMAP_HOST = env("REPLY_IMAP_HOST", default="")
REPLY_IMAP_PORT = env.int("REPLY_IMAP_PORT", default=993)
REPLY_IMAP_USER = env("REPLY_IMAP_USER", default="")
REPLY_IMAP_PASSWORD = env("REPLY_IMAP_PASSWORD", default="")
REPLY_IMAP_MAILBOX = env("REPLY_IMAP_MAILBOX", default="INBOX")
REPLY_IMAP_PROCESSED_MAILBOX = env("REPLY_IMAP_PROCESSED_MAILBOX", default="")
REPLY_IMAP_SSL = env.bool("REPLY_IMAP_SSL", default=True)
REPLY_IMAP_TIMEOUT = env.int("REPLY_IMAP_TIMEOUT", default=30)
# Closed ärenden are removed this many days after closing (manage.py purge_closed_cases).
CASE_RETENTION_DAYS = env.int("CASE_RETENTION_DAYS", default=730)
# A meeting participant may open the ärende until this long after their last meeting in it.
CASE_PARTICIPANT_ACCESS_DAYS = env.int("CASE_PARTICIPANT_ACCESS_DAYS", default=90)

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Where sessions live: "db" (default), "cached_db" (read from the cache, written through to
# the database) or "cache" (the cache alone: a Redis CACHE_URL shared by every app server).
SESSION_ENGINE = "django.contrib.sessions.backends." + env.str(
    "SESSION_STORE", default="db", choices=("db", "cached_db", "cache")
)

# Security: strict in production, relaxed only for a local DEBUG checkout.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The load balancer's probes may ask over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A session ends after SESSION_IDLE_TIMEOUT seconds without a request (the keep-alive of an
# open meeting or plan page counts only after someone typed or clicked there), and at the
# latest SESSION_ABSOLUTE_TIMEOUT seconds after login (common.middleware.SessionTimeoutMiddleware).
# The page warns SESSION_IDLE_WARNING seconds before the idle limit (static/js/session.js).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_IDLE_WARNING = env.int("SESSION_IDLE_WARNING", default=3 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=10 * 60 * 60)
# The stored session must not expire before the absolute limit does.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=SESSION_ABSOLUTE_TIMEOUT)

# Content-Security-Policy (django-csp): no inline scripts, handlers or styles anywhere; the
# pages' scripts are static files (static/js/) and htmx runs without eval (base.html's
# htmx-config meta tag).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features no page uses, refused for every page (and whatever it might embed).
PERMISSIONS_POLICY = env(
    "PERMISSIONS_POLICY",
    default=(
        # Only features browsers know: Chromium logs a console error for each unknown one
        # ("bluetooth" was one) on every page.
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
        "hid=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=(), "
        "display-capture=()"
    ),
)

# Error reports through the Sentry SDK when set (optional: pip install -e '.[sentry]'),
# scrubbed of personal data before sending (common.sentry.scrub_event).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from common.sentry import init as init_sentry

    init_sentry(SENTRY_DSN)

# The answer and delegate links' tokens are redacted from every line (common/logging.py; for
# gunicorn's own logs: --logger-class common.logging.GunicornLogger, README), and a request
# answered 4xx is one line, without the traceback of the exception that refused it.
# LOG_FORMAT=json (the default with DEBUG=0): one JSON object per line with the request id
# and user id (common.logging.JsonFormatter); plain: readable lines for a local checkout.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json", choices=("json", "plain"))
LOG_FILTERS = ["request_fields", "redact_tokens", "one_line_below_500"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_fields": {"()": "common.logging.RequestFields"},
        "redact_tokens": {"()": "common.logging.RedactTokens"},
        "one_line_below_500": {"()": "common.logging.OneLineBelow500"},
    },
    "formatters": {
        "json": {"()": "common.logging.JsonFormatter"},
        "plain": {"format": "%(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": LOG_FILTERS,
            "formatter": LOG_FORMAT,
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": LOG_FILTERS,
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own handlers (a console for DEBUG, mail to ADMINS) go: its records reach
        # the console above, through the filters.
        "django": {"handlers": [], "propagate": True},
        "django.request": {"filters": LOG_FILTERS},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": LOG_FILTERS,
        },
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
    },
}
