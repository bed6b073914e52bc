"""Settings, read from the environment (twelve-factor).

Environment variables:
  DATABASE_URL   database (default: SQLite file var/lapor.sqlite3, WAL mode)
  SECRET_KEY     required unless DEBUG is on
  DEBUG          "1"/"true" for development; off by default
  ALLOWED_HOSTS  comma-separated (default: localhost names when DEBUG)
  TIME_ZONE      default Asia/Jakarta
  REDIS_URL      when set, background jobs go through Redis; otherwise a SQLite queue file
  LAPOR_TASK_ENGINE        what runs the job schedule: "huey" (embedded, default) or "celery"
  LAPOR_CELERY_BROKER_URL  Celery's broker (default: REDIS_URL)
  LAPOR_DATA_DIR where the embedded database, job queue and uploads live (default ./var)
  LAPOR_SMS_*, LAPOR_WHATSAPP_*, LAPOR_EMAIL_MESSAGE_ID_DOMAIN, LAPOR_NOTIFY_TIMEOUT
                 message gateways (LAPOR_NOTIFY at the end of this file)
  LAPOR_SMS_*_TOKEN, LAPOR_WHATSAPP_APP_SECRET, LAPOR_EMAIL_WEBHOOK_TOKEN, LAPOR_IMAP_*, LAPOR_X_*
                 inbound channels (LAPOR_CHANNELS at the end of this file)
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


def env_map(name: str) -> dict[str, str]:
    """"a=x,b=y" → {"a": "x", "b": "y"}; "b=" maps b to "" (used to leave a field out)."""
    pairs = (item.split("=", 1) for item in os.environ.get(name, "").split(",") if "=" in item)
    return {key.strip(): value.strip() for key, value in pairs}


BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("LAPOR_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG")
TESTING = env_bool("LAPOR_TESTING")

_DEV_SECRET = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production refuses to start with a default secret: "
            "set SECRET_KEY (or DEBUG=1 for development)."
        )
    SECRET_KEY = _DEV_SECRET
elif SECRET_KEY == _DEV_SECRET and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY is the development default; set a real secret.")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if (DEBUG or TESTING) else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "ninja",  # serves the API docs (Swagger UI) from its own static files, not a CDN
    "lapor.core",
    "lapor.regions",
    "lapor.accounts",
    "lapor.complaints",
    "lapor.notifications",
    "lapor.sla",
    "lapor.monitoring",
    "lapor.routing",
    "lapor.reference",
    "lapor.demo",
    "lapor.web",
    "lapor.channels.inbound",
    "lapor.channels.open311",
    "lapor.channels.intake",
    "lapor.channels.partners",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages with maps and tables shrink to a quarter on a slow phone connection. Django pads
    # compressed responses against BREACH and masks the CSRF token on every response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lapor.web.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lapor.web.context.notices",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'lapor.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer writes; IMMEDIATE takes the write lock at the
    # start of a transaction so two transitions of one report serialise instead of deadlocking.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("LAPOR_TEST_SQLITE_NAME") or None}
else:
    DATABASES["default"].setdefault("TEST", {})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["lapor.accounts.backends.EmailOrPhoneBackend"]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "lapor" / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
USE_TZ = True

# --- Static files and uploads ---------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not (DEBUG or TESTING)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and env_bool("HTTPS", default=False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "lapor <noreply@lapor.localhost>")

# --- Cache (rate limits, idempotency windows) ------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL and not TESTING
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "lapor"}
    )
}

# --- Background jobs ------------------------------------------------------------------------
# Side effects are written to the database first (report events, later the outbox); the
# queue only wakes workers, so losing the queue loses no work.
if TESTING:
    HUEY = {"huey_class": "huey.MemoryHuey", "name": "lapor", "immediate": True}
elif REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "lapor",
        "url": REDIS_URL,
        "immediate": False,
        "consumer": {"workers": int(os.environ.get("LAPOR_WORKERS", "2")), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "lapor",
        "filename": str(DATA_DIR / "jobs.sqlite3"),
        "immediate": False,
        "consumer": {"workers": 1, "worker_type": "thread"},
    }

# The schedule (lapor/core/jobs.py) runs on huey by default, in `lapor worker`; with "celery",
# `lapor worker --engine celery` runs Celery workers and one beat (lapor/core/celery_app.py).
LAPOR_TASK_ENGINE = os.environ.get("LAPOR_TASK_ENGINE", "").strip().lower() or "huey"
if LAPOR_TASK_ENGINE not in {"huey", "celery"}:
    raise ImproperlyConfigured(f'LAPOR_TASK_ENGINE is "huey" or "celery", not "{LAPOR_TASK_ENGINE}".')
LAPOR_CELERY_BROKER_URL = os.environ.get("LAPOR_CELERY_BROKER_URL", "") or REDIS_URL
if LAPOR_TASK_ENGINE == "celery" and not LAPOR_CELERY_BROKER_URL:
    raise ImproperlyConfigured("LAPOR_TASK_ENGINE=celery needs a broker: set LAPOR_CELERY_BROKER_URL or REDIS_URL.")

# --- Domain settings ------------------------------------------------------------------------
LAPOR = {
    # How many times a report may be returned as "not our authority" before the next agency
    # must keep it (CPGRAMS allows 3 transfers).
    "MAX_TRANSFERS": int(os.environ.get("LAPOR_MAX_TRANSFERS", "3")),
    # Working-day limits per stage (DOMAIN.md); the deadlines issue refines these per agency.
    "VERIFY_WORKING_DAYS": 3,
    "FIRST_FOLLOW_UP_WORKING_DAYS": 5,
    "AUTO_CLOSE_WORKING_DAYS": 10,
    "COMPLETION_DAYS": 60,
    "COMPLETION_DAYS_ARE_WORKING_DAYS": env_bool("LAPOR_COMPLETION_WORKING_DAYS", False),
    # Government collective leave (cuti bersama) counts as a day off; office hours end at this
    # local time (a report filed later counts from the next working day).
    "COLLECTIVE_LEAVE_IS_OFF": not env_bool("LAPOR_COLLECTIVE_LEAVE_IS_WORK", False),
    "OFFICE_HOURS_END": os.environ.get("LAPOR_OFFICE_HOURS_END", "16:00"),
    # Officers are reminded this many working days before a stage deadline; late work goes up
    # one level (agency admin) at once and to the coordinator this many working days later.
    "REMIND_BEFORE_WORKING_DAYS": int(os.environ.get("LAPOR_REMIND_BEFORE_WORKING_DAYS", "1")),
    "ESCALATE_AFTER_WORKING_DAYS": int(os.environ.get("LAPOR_ESCALATE_AFTER_WORKING_DAYS", "2")),
    # A held report the reporter never completes is archived after this many working days.
    "HOLD_ARCHIVE_WORKING_DAYS": int(os.environ.get("LAPOR_HOLD_ARCHIVE_WORKING_DAYS", "10")),
    # Sweep batches run on this many database connections at once (PostgreSQL; SQLite has one
    # writer, so it always sweeps on one). Each batch is its own transaction either way.
    "SWEEP_WORKERS": int(os.environ.get("LAPOR_SWEEP_WORKERS", "1")),
    # An answer one agency repeats word for word this often counts as boilerplate in the evaluation.
    "BOILERPLATE_REPEATS": int(os.environ.get("LAPOR_BOILERPLATE_REPEATS", "5")),
    # "Late now" is read from the count the refresh job keeps while it is this fresh (the job runs
    # every 5 minutes); an older count (no worker running) is replaced by a live count.
    "LATE_COUNT_MAX_AGE_SECONDS": float(os.environ.get("LAPOR_LATE_COUNT_MAX_AGE_SECONDS", "600")),
    # A message claimed by a worker that died is sent again (same idempotency key) after this.
    "OUTBOX_STALE_CLAIM_SECONDS": float(os.environ.get("LAPOR_OUTBOX_STALE_CLAIM_SECONDS", "900")),
    # The first wait after a failed delivery; each later one doubles, up to two hours.
    "OUTBOX_BACKOFF_SECONDS": float(os.environ.get("LAPOR_OUTBOX_BACKOFF_SECONDS", "30")),
    "MAX_ATTACHMENT_BYTES": int(os.environ.get("LAPOR_MAX_ATTACHMENT_MB", "10")) * 1024 * 1024,
    "MAX_ATTACHMENTS_PER_REPORT": 10,
    # Submissions per client (account or address) per hour, on the web and the API.
    "SUBMISSIONS_PER_HOUR": int(os.environ.get("LAPOR_SUBMISSIONS_PER_HOUR", "20")),
    # One-time codes for account verification.
    "OTP_TTL_MINUTES": 10,
    "OTP_MAX_ATTEMPTS": 5,
    # A poor rating (this or lower) lets the reporter appeal.
    "APPEAL_MAX_RATING": 2,
    # Possible duplicates are looked for among reports of the same regency filed this many days
    # before or after (lapor/routing/duplicates.py).
    "DUPLICATE_WINDOW_DAYS": int(os.environ.get("LAPOR_DUPLICATE_WINDOW_DAYS", "30")),
    # A red flag (extortion, bribery, corruption, violence, danger) is raised at this combined
    # score of the lexicon and the classifier, 0–1 (lapor/routing/flags.py).
    "RED_FLAG_THRESHOLD": float(os.environ.get("LAPOR_RED_FLAG_THRESHOLD", "0.6")),
    # A JSON file of routing rules read before the shipped ones (lapor/routing/rules.py).
    "ROUTING_RULES": os.environ.get("LAPOR_ROUTING_RULES", ""),
    # Partner apps (lapor/channels/partners): API requests per partner and minute, the first wait
    # after a failed webhook (doubling up to an hour), the receiver's time limit, how long the feed keeps changes.
    "PARTNER_REQUESTS_PER_MINUTE": int(os.environ.get("LAPOR_PARTNER_REQUESTS_PER_MINUTE", "600")),
    "PARTNER_WEBHOOK_BACKOFF_SECONDS": float(os.environ.get("LAPOR_PARTNER_WEBHOOK_BACKOFF_SECONDS", "30")),
    "PARTNER_WEBHOOK_TIMEOUT": float(os.environ.get("LAPOR_PARTNER_WEBHOOK_TIMEOUT", "10")),
    "PARTNER_CHANGES_RETENTION_DAYS": int(os.environ.get("LAPOR_PARTNER_CHANGES_RETENTION_DAYS", "90")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Delivery gateways (lapor/notifications/gateways.py) ------------------------------------
# Tokens stay here: the gateways never write them to a log line or an error message.
LAPOR_NOTIFY = {
    # E-mail goes through EMAIL_BACKEND; its Message-ID is <idempotency key@this domain>, so a
    # resend after a crash carries the same id and mail systems can recognise it.
    "EMAIL_MESSAGE_ID_DOMAIN": os.environ.get("LAPOR_EMAIL_MESSAGE_ID_DOMAIN", "lapor.invalid"),
    # Seconds to wait for an SMS or WhatsApp provider before the attempt counts as failed.
    "HTTP_TIMEOUT": float(os.environ.get("LAPOR_NOTIFY_TIMEOUT", "10")),
    # SMS: "log" (the demo: written to the log) or "http" (a generic HTTP SMS gateway).
    "SMS_BACKEND": os.environ.get("LAPOR_SMS_BACKEND", "log"),
    "SMS_HTTP_URL": os.environ.get("LAPOR_SMS_HTTP_URL", ""),
    "SMS_HTTP_TOKEN": os.environ.get("LAPOR_SMS_HTTP_TOKEN", ""),  # sent as a Bearer token when set
    "SMS_HTTP_FORMAT": os.environ.get("LAPOR_SMS_HTTP_FORMAT", "json"),  # "json" or "form"
    # The provider's names for our fields, e.g. LAPOR_SMS_HTTP_FIELDS="to=msisdn,message=text";
    # a field mapped to nothing ("reference=") is left out.
    "SMS_HTTP_FIELDS": {"to": "to", "message": "message", "reference": "reference", **env_map("LAPOR_SMS_HTTP_FIELDS")},
    # Where the provider's message id is in its JSON answer; dots go deeper ("data.msgid").
    "SMS_HTTP_ID_FIELD": os.environ.get("LAPOR_SMS_HTTP_ID_FIELD", "id"),
    # WhatsApp: "log" (the demo) or "cloud" (WhatsApp Business Cloud API).
    "WHATSAPP_BACKEND": os.environ.get("LAPOR_WHATSAPP_BACKEND", "log"),
    "WHATSAPP_API_BASE": os.environ.get("LAPOR_WHATSAPP_API_BASE", "https://graph.facebook.com/v21.0"),
    "WHATSAPP_PHONE_NUMBER_ID": os.environ.get("LAPOR_WHATSAPP_PHONE_NUMBER_ID", ""),
    "WHATSAPP_TOKEN": os.environ.get("LAPOR_WHATSAPP_TOKEN", ""),
    # Outside the 24-hour window after a citizen's last message WhatsApp takes only approved
    # templates: name one with a single body parameter ({{1}}) to send every message through it.
    "WHATSAPP_TEMPLATE": os.environ.get("LAPOR_WHATSAPP_TEMPLATE", ""),
    # Replies to social media mentions: "log" (the demo) or "x" (X API v2, a user-context token).
    "SOCIAL_BACKEND": os.environ.get("LAPOR_SOCIAL_BACKEND", "log"),
    "X_API_BASE": os.environ.get("LAPOR_X_API_BASE", "https://api.x.com/2"),
    "X_USER_TOKEN": os.environ.get("LAPOR_X_USER_TOKEN", ""),
}

# --- Inbound channels (lapor/channels/inbound) ----------------------------------------------
# A channel whose secret is empty is switched off: its webhook answers 404 and stores nothing.
LAPOR_CHANNELS = {
    # Where citizens open the tracking page (the link in replies to social media mentions).
    "PUBLIC_URL": os.environ.get("LAPOR_PUBLIC_URL", "http://127.0.0.1:8000"),
    # Requests per minute one address may make to one webhook.
    "WEBHOOK_REQUESTS_PER_MINUTE": int(os.environ.get("LAPOR_WEBHOOK_REQUESTS_PER_MINUTE", "600")),
    # Raw payloads of handled messages are blanked after this many days (the row stays: dedup).
    "RETENTION_DAYS": int(os.environ.get("LAPOR_INBOUND_RETENTION_DAYS", "30")),
    # SMS 1708: one shared token (header X-Lapor-Token or ?token=) per gateway without a signature.
    "SMS_GENERIC_TOKEN": os.environ.get("LAPOR_SMS_GENERIC_TOKEN", ""),
    # The generic gateway's names for our fields, e.g. "from=sender,text=message,id=msgid".
    "SMS_GENERIC_FIELDS": env_map("LAPOR_SMS_GENERIC_FIELDS"),
    "SMS_ZENZIVA_TOKEN": os.environ.get("LAPOR_SMS_ZENZIVA_TOKEN", ""),
    "SMS_TWILIO_AUTH_TOKEN": os.environ.get("LAPOR_SMS_TWILIO_AUTH_TOKEN", ""),
    # The exact public URL Twilio calls (it signs it); empty: the URL of the request as received.
    "SMS_TWILIO_WEBHOOK_URL": os.environ.get("LAPOR_SMS_TWILIO_WEBHOOK_URL", ""),
    # Vonage signs with a signature secret ("md5hash" by default, or md5/sha1/sha256/sha512 HMAC);
    # without signed webhooks on the account, a shared token in the URL instead.
    "SMS_VONAGE_SIGNATURE_SECRET": os.environ.get("LAPOR_SMS_VONAGE_SIGNATURE_SECRET", ""),
    "SMS_VONAGE_SIGNATURE_METHOD": os.environ.get("LAPOR_SMS_VONAGE_SIGNATURE_METHOD", "md5hash"),
    "SMS_VONAGE_TOKEN": os.environ.get("LAPOR_SMS_VONAGE_TOKEN", ""),
    # A number that never filed by SMS confirms once with a code before its first report is filed.
    "SMS_CONFIRM_NEW_NUMBERS": env_bool("LAPOR_SMS_CONFIRM_NEW_NUMBERS", True),
    # Unanswered confirmations and unfinished WhatsApp conversations are dropped after this.
    "CONVERSATION_HOURS": int(os.environ.get("LAPOR_INBOUND_CONVERSATION_HOURS", "24")),
    # Parts of a long (concatenated) SMS wait this long for the rest, then go in as they are.
    "SMS_CONCAT_TIMEOUT_MINUTES": int(os.environ.get("LAPOR_SMS_CONCAT_TIMEOUT_MINUTES", "10")),
    # WhatsApp Business Cloud API: the app secret (X-Hub-Signature-256) and the verify token of
    # the subscription handshake; media are fetched with LAPOR_WHATSAPP_TOKEN (LAPOR_NOTIFY).
    "WHATSAPP_APP_SECRET": os.environ.get("LAPOR_WHATSAPP_APP_SECRET", ""),
    "WHATSAPP_VERIFY_TOKEN": os.environ.get("LAPOR_WHATSAPP_VERIFY_TOKEN", ""),
    # E-mail: a shared token for the raw-MIME webhook, and an IMAP mailbox to poll.
    "EMAIL_WEBHOOK_TOKEN": os.environ.get("LAPOR_EMAIL_WEBHOOK_TOKEN", ""),
    "EMAIL_MAX_MB": int(os.environ.get("LAPOR_INBOUND_EMAIL_MAX_MB", "25")),
    "IMAP_HOST": os.environ.get("LAPOR_IMAP_HOST", ""),
    "IMAP_PORT": int(os.environ.get("LAPOR_IMAP_PORT", "993")),
    "IMAP_USER": os.environ.get("LAPOR_IMAP_USER", ""),
    "IMAP_PASSWORD": os.environ.get("LAPOR_IMAP_PASSWORD", ""),
    "IMAP_FOLDER": os.environ.get("LAPOR_IMAP_FOLDER", "INBOX"),
    "IMAP_SSL": env_bool("LAPOR_IMAP_SSL", True),
    # X (Twitter) Account Activity API: the app's consumer secret signs the CRC and every POST.
    "X_CONSUMER_SECRET": os.environ.get("LAPOR_X_CONSUMER_SECRET", ""),
    "X_HASHTAG": os.environ.get("LAPOR_X_HASHTAG", "lapor1708"),
}

# --- Open311 GeoReport v2 server (lapor/channels/open311) -----------------------------------
LAPOR_OPEN311 = {
    # The one jurisdiction this server answers for (the spec suggests the site's domain); a
    # request naming another gets a 404. Clients may leave it out.
    "JURISDICTION_ID": os.environ.get("LAPOR_OPEN311_JURISDICTION_ID", "lapor.go.id"),
    # Shown in discovery.json: how to reach the operators and how to get an API key.
    "CONTACT": os.environ.get("LAPOR_OPEN311_CONTACT", "Pengelola SP4N-LAPOR! (lihat halaman kontak situs ini)"),
    "KEY_SERVICE": os.environ.get(
        "LAPOR_OPEN311_KEY_SERVICE", "Kunci API dibuat oleh admin sistem: lapor open311 create-key --name NAMA"
    ),
    # "production" or "test" in discovery.json (whether what clients post is acted upon).
    "ENDPOINT_TYPE": os.environ.get("LAPOR_OPEN311_ENDPOINT_TYPE", "production"),
    # Reports and updates one API key may post per hour (an app files for many citizens).
    "POSTS_PER_HOUR": int(os.environ.get("LAPOR_OPEN311_POSTS_PER_HOUR", "600")),
    # Reads per client address per minute (a list may hold 1,000 requests).
    "READS_PER_MINUTE": int(os.environ.get("LAPOR_OPEN311_READS_PER_MINUTE", "120")),
}
