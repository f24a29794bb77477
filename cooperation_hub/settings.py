"""Every setting of Cooperation Hub, read from the environment in this one place.

With no variable set the site runs on the embedded default: SQLite, Wagtail's
database search backend, Celery on a filesystem broker and e-mail written to
files under ``var/outbox/``. Setting ``DATABASE_URL``, ``REDIS_URL``,
``SEARCH_ENGINE`` + ``SEARCH_URL`` and ``EMAIL_URL`` moves the same code onto
PostgreSQL, Redis, Elasticsearch/OpenSearch and SMTP.
"""

import importlib.util
import zoneinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("HUB_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY",
    # Only the embedded default may fall back to a fixed key; production must set one.
    default="embedded-default-not-secret-" + "x" * 40 if DEBUG else environ.Env.NOTSET,
)
# The absolute base of links in e-mails, feeds and the API. Unset, it follows
# the HOST and PORT that `make run` serves on (`PORT=8101 make run` links to
# :8101); a wildcard bind address is reached on the loopback. `make run` leaves
# the address it serves in var/served.env, so that a command run beside it in
# another shell (`manage.py send_digests --preview …`) links there too; a
# variable set in the environment wins over the file.
if (VAR_DIR / "served.env").is_file():
    environ.Env.read_env(str(VAR_DIR / "served.env"), overwrite=False)
_HOST = env.str("HOST", default="127.0.0.1").strip("[]")
_HOST = "127.0.0.1" if _HOST in ("", "0.0.0.0", "::") else _HOST  # noqa: S104 (compared, not bound)
SITE_URL = env.str(
    "SITE_URL", default=f"http://{f'[{_HOST}]' if ':' in _HOST else _HOST}:{env.int('PORT', default=8000)}"
).rstrip("/")
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS",
    # No "testserver": the test settings add Django's test client host themselves.
    default=list(dict.fromkeys(["127.0.0.1", "localhost", urlsplit(SITE_URL).hostname or "localhost"])),
)
# Proxies in front of the site that append to X-Forwarded-For (a TLS
# terminator: 1). Every rate limit keys on the client address they saw
# (contributions/ratelimit.py: client_ip); 0 trusts no header: REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "cooperation_hub",
    "experiences",
    "contributions",
    "lexicon",  # the French/English domain lexicon that search expands queries with
    "search",
    "subscriptions",
    "iati",  # IATI 2.03 activity files out and in
    "partnerships",  # partnerships between cities as data, and their outcomes
    "exchanges",  # exchange requests between cities: city contacts, threads, reminders
    "accounts",  # the member's own data: privacy page, export, erasure (before allauth: its sign-up template)
    "backups",  # manage.py backup DIR / restore DIR: database, media and a manifest (docs/deployment.md)
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "allauth",
    "allauth.account",
    "anymail",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Its catalogues: Wagtail's admin says "il y a 3 heures" with humanize's naturaltime, English without them.
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "cooperation_hub.request_guards.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cooperation_hub.middleware.ReaderLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Anonymous pages from the cache; the middleware above still runs on a hit.
    "cooperation_hub.page_cache.AnonymousPageCacheMiddleware",
    # After the page cache: a hit works nothing out (the private paths, the lexicon, once per request).
    "cooperation_hub.request_memo.RequestMemoMiddleware",
    # The site of the host and its home page, kept by the process for the site's generation.
    "cooperation_hub.routing.KeptSiteMiddleware",
    # Innermost, so that it sees a view's Http404 first: the site's 404 page with DEBUG on too.
    "cooperation_hub.errors.NotFoundPageMiddleware",
]
# django-debug-toolbar for developers who ask for it (DJANGO_DEBUG_TOOLBAR=1 with DEBUG on and
# requirements-dev.txt installed): `make run` is also what a newcomer tries, and its pages
# must look like the product, without a toolbar handle. tests/settings.py takes it out again.
if DEBUG and env.bool("DJANGO_DEBUG_TOOLBAR", default=False) and importlib.util.find_spec("debug_toolbar"):
    INSTALLED_APPS.append("debug_toolbar")
    MIDDLEWARE.insert(
        MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1, "debug_toolbar.middleware.DebugToolbarMiddleware"
    )
    INTERNAL_IPS = ["127.0.0.1", "::1"]
    # Folded to its handle: open, it hides the right third of every page.
    DEBUG_TOOLBAR_CONFIG = {"SHOW_COLLAPSED": True}
# Seconds an anonymous page is kept at most; publishing and contributing
# invalidate it at once (cooperation_hub/page_cache.py).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# After a publication a worker works out again the lists' facet counts, the maps' cities and the
# peers' corpus (seconds each at 100,000 reports), before a reader has to (page_cache.refresh_soon).
KEPT_ANSWERS_REFRESH = env.bool("KEPT_ANSWERS_REFRESH", default=True)
# Rendered report cards and bodies each web process keeps for the site's generation, in millions
# of characters at most (cooperation_hub/process_memo.py): the least recently read go first.
PROCESS_MEMO_MB = env.int("PROCESS_MEMO_MB", default=16)

ROOT_URLCONF = "cooperation_hub.urls"
WSGI_APPLICATION = "cooperation_hub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cooperation_hub.context_processors.site_navigation",
            ],
        },
    },
]
# Every form field in block markup, help and errors tied by aria-describedby (templates/forms/).
FORM_RENDERER = "cooperation_hub.form_renderer.HubFormRenderer"

# --- Data -----------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if not env.str("DATABASE_URL", default=""):
    # The embedded default keeps its database under var/, which a fresh clone lacks.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Survive a PostgreSQL restart without restarting the site: check the
    # connection before reusing it.
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: the site's statements are short, and at 100,000 reports the planner's
    # estimates for a list's facets passed the JIT threshold, which then spent 1.2 s compiling a
    # statement that runs in 1 s (bench.pages). A URL's own "options" win.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    # The site and its Celery worker write to the same file. A transaction that reads and then
    # writes (Wagtail's save_revision) gets "database is locked" at once, without waiting the
    # timeout, if the other holds the write lock meanwhile: take the write lock on BEGIN, and wait.
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    # Write-ahead log: readers (every page view) no longer wait for a writer (a contribution, a
    # digest's confirmation), and a commit is one append and one fsync instead of a journal file
    # created, synced and deleted (0.3 ms instead of 0.9 ms here; each digest e-mail commits its
    # confirmation). synchronous stays FULL: a commit survives a power cut, as before.
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "cooperation_hub.User"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, failing open while Redis is unreachable.
            "BACKEND": "cooperation_hub.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "hub",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    CACHES["generations"] = dict(CACHES["default"])
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        },
        # The counters that outdate what is kept (cooperation_hub/page_cache.py; the lexicon's): a
        # handful of entries, in a cache of their own. The default one culls a third of its entries
        # at random once it holds 300 (pages, kept answers); a counter culled with them started a new
        # generation, and everything kept was worked out again by the next readers.
        "generations": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache-generations"),
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }

# --- Background work --------------------------------------------------------
# Redis in production; with nothing set, a real worker and beat run on kombu's
# filesystem transport, which needs no server and survives restarts.
# "localhost" is ignored by the filesystem transport; named, kombu stops warning "No hostname
# was supplied" in load_demo's and the worker's output.
CELERY_BROKER_URL = REDIS_URL or "filesystem://localhost/"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"visibility_timeout": 3600}
    if REDIS_URL
    else {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
)
CELERY_RESULT_BACKEND = REDIS_URL or None
# A request that queues work must answer promptly while the broker is down:
# a few quick tries, then cooperation_hub/background.py keeps the work in the
# database and re-queues it (beat, worker start). Only tasks whose result is
# read ask for one: waiting on the result store would block a request too.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.3}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies is delivered again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
DIGEST_SEND_HOUR = env.int("DIGEST_SEND_HOUR", default=7)
DIGEST_SEND_WEEKDAY = env.int("DIGEST_SEND_WEEKDAY", default=1)  # 1 = Monday (cron)
DIGEST_BATCH_SIZE = env.int("DIGEST_BATCH_SIZE", default=200)
DIGEST_CLAIM_STALE_SECONDS = env.int("DIGEST_CLAIM_STALE_SECONDS", default=30 * 60)
DIGEST_SOON_DAYS = env.int("DIGEST_SOON_DAYS", default=7)
DIGEST_RETRY_BACKOFF = env.int("DIGEST_RETRY_BACKOFF", default=60)  # seconds, doubled at every retry
DIGEST_MAX_RETRIES = env.int("DIGEST_MAX_RETRIES", default=5)
# Sent digests confirmed per transaction; more is faster on SQLite but a killed worker may then
# send that many twice (subscriptions/digests.py confirm_every).
DIGEST_CONFIRM_EVERY = env.int("DIGEST_CONFIRM_EVERY", default=1)
DIGEST_UNSUBSCRIBE_MAILTO = env.str("DIGEST_UNSUBSCRIBE_MAILTO", default="")
# Personal data (accounts/, the privacy page): days an unsubscribed or
# never-confirmed subscription is kept, and who answers privacy requests.
SUBSCRIPTION_RETENTION_DAYS = env.int("SUBSCRIPTION_RETENTION_DAYS", default=30)
PRIVACY_CONTACT_EMAIL = env.str("PRIVACY_CONTACT_EMAIL", default="dpo@cooperation-hub.example")
# IATI activity files (iati/): the publisher's registered IATI organisation identifier
# (prefix of every iati-identifier), and the reporting-org's name and type (IATI OrganisationType code).
IATI_PUBLISHER_REF = env.str("IATI_PUBLISHER_REF", default="XX-COOPHUB")
IATI_PUBLISHER_NAME = env.str("IATI_PUBLISHER_NAME", default="Cooperation Hub")
IATI_PUBLISHER_TYPE = env.str("IATI_PUBLISHER_TYPE", default="90")
# Digests (subscriptions/tasks.py): one tick per frequency at the sending hour,
# plus a quarter-hourly catch-up tick that sends nothing unless a period was
# missed (beat down) or a claim was left behind by a dead worker.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "digests-daily": {
        "task": "subscriptions.send_due_digests",
        "args": ("daily",),
        "schedule": crontab(minute=0, hour=DIGEST_SEND_HOUR),
    },
    "digests-weekly": {
        "task": "subscriptions.send_due_digests",
        "args": ("weekly",),
        "schedule": crontab(minute=0, hour=DIGEST_SEND_HOUR, day_of_week=DIGEST_SEND_WEEKDAY),
    },
    "digests-monthly": {
        "task": "subscriptions.send_due_digests",
        "args": ("monthly",),
        "schedule": crontab(minute=0, hour=DIGEST_SEND_HOUR, day_of_month=1),
    },
    "digests-catch-up": {"task": "subscriptions.send_due_digests", "schedule": crontab(minute="*/15")},
    # Personal data of subscribers who left or never confirmed (subscriptions/retention.py).
    "purge-expired-subscriptions": {
        "task": "subscriptions.purge_expired_subscriptions",
        "schedule": crontab(minute=30, hour=3),
    },
    # Work that could not be queued while the broker was down (cooperation_hub/background.py).
    "requeue-deferred-tasks": {
        "task": "cooperation_hub.requeue_deferred_tasks",
        "schedule": env.int("DEFERRED_TASKS_REQUEUE_SECONDS", default=60),
    },
}
# Beat's own pulse, whose age the admin's system status panel shows (cooperation_hub/status.py).
BEAT_TICK_SECONDS = env.int("BEAT_TICK_SECONDS", default=60)
CELERY_BEAT_SCHEDULE["beat-tick"] = {"task": "cooperation_hub.beat_tick", "schedule": BEAT_TICK_SECONDS}

# --- Search -----------------------------------------------------------------
SEARCH_ENGINE = env.str("SEARCH_ENGINE", default="")  # "", "opensearch" or "elasticsearch"
SEARCH_URL = env.str("SEARCH_URL", default="")
SEARCH_INDEX_PREFIX = env.str("SEARCH_INDEX_PREFIX", default="hub")
# Copies of each shard on other engine nodes, for the indices the hub creates: 1 on a two-node
# cluster (scripts/topology.sh), so search answers from the engine while a node is down.
# Unset: the cluster's default.
SEARCH_INDEX_REPLICAS = env.int("SEARCH_INDEX_REPLICAS", default=None)
# The database backend is always present: it is the embedded default and the
# fallback the search page answers from while an engine is down (search/service.py).
_database_search: dict[str, Any] = {"BACKEND": "wagtail.search.backends.database"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Accent-folding text search configuration created by search/migrations.
    _database_search["SEARCH_CONFIG"] = "hub_search"
WAGTAILSEARCH_BACKENDS: dict[str, dict[str, Any]] = {"database": _database_search}
if SEARCH_ENGINE and SEARCH_URL:
    WAGTAILSEARCH_BACKENDS["default"] = {
        # django-modelsearch's opensearch2 / elasticsearch8-9 backends plus the
        # hub's French/English analyzers and fields (search/engines/).
        "BACKEND": {
            "opensearch": "search.engines.opensearch",
            "elasticsearch": "search.engines.elasticsearch",
        }[SEARCH_ENGINE],
        # One node's address, or several separated by commas (a cluster): the client
        # spreads requests over them and leaves out a node that stopped answering.
        "URLS": [url.strip() for url in SEARCH_URL.split(",") if url.strip()],
        "INDEX_PREFIX": SEARCH_INDEX_PREFIX.rstrip("_") + "_",
        "TIMEOUT": env.int("SEARCH_TIMEOUT", default=5),
        "ATOMIC_REBUILD": True,  # rebuild into a new index, then switch the alias
        # A node that times out or answers "busy" is left for the next one of the cluster, once:
        # a node rejoining after a restart answered slowly for a few seconds (the soak).
        "OPTIONS": {"retry_on_timeout": True, "max_retries": 2, "retry_on_status": (502, 503, 504)},
        "INDEX_SETTINGS": {},
        "INDEX_REPLICAS": SEARCH_INDEX_REPLICAS,  # search/engines/base.py
    }
else:
    # Same index as "database"; not auto-updated twice.
    WAGTAILSEARCH_BACKENDS["default"] = {**_database_search, "AUTO_UPDATE": False}
# Seconds the search page keeps answering from the database after the engine
# failed, before trying the engine again.
SEARCH_ENGINE_RETRY_AFTER = env.int("SEARCH_ENGINE_RETRY_AFTER", default=30)
# First delay before an index update that failed is retried; doubled at every try.
SEARCH_INDEX_RETRY_SECONDS = env.int("SEARCH_INDEX_RETRY_SECONDS", default=5)
# Wagtail's and django-modelsearch's background work (index updates, reference
# index) goes through django-tasks; this backend hands it to the Celery workers.
TASKS = {"default": {"BACKEND": "search.task_backend.CeleryTaskBackend"}}
# Exchange requests (exchanges/): reminders after EXCHANGE_REMIND_DAYS without an answer,
# offered to another contact or a comparable city after EXCHANGE_OFFER_DAYS.
EXCHANGE_REMIND_DAYS = env.int("EXCHANGE_REMIND_DAYS", default=7)
EXCHANGE_OFFER_DAYS = env.int("EXCHANGE_OFFER_DAYS", default=21)
CELERY_BEAT_SCHEDULE["exchanges-clock"] = {"task": "exchanges.run_clock", "schedule": crontab(minute=20)}
# Exchange e-mails a dead worker left claimed for EXCHANGE_EMAIL_STALE_MINUTES are queued again,
# once, by a quarter-hourly catch-up tick like the digests' (exchanges/tasks.py).
EXCHANGE_EMAIL_STALE_MINUTES = env.int("EXCHANGE_EMAIL_STALE_MINUTES", default=30)
CELERY_BEAT_SCHEDULE["exchanges-email-catch-up"] = {
    "task": "exchanges.recover_notifications",
    "schedule": crontab(minute="*/15"),
}
# Six months after a partnership starts and at its end, each side is asked for its outcome (partnerships/outcomes.py).
CELERY_BEAT_SCHEDULE["partnership-outcomes"] = {
    "task": "partnerships.ask_for_outcomes",
    "schedule": crontab(minute=10, hour=DIGEST_SEND_HOUR),
}
# Safety net after an engine outage: only differences are written (search/indexing.py).
CELERY_BEAT_SCHEDULE["search-reconcile"] = {
    "task": "search.tasks.reconcile_search_index_task",
    "schedule": crontab(minute=40),
}

# --- E-mail -----------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="")
_email = env.email_url_config(EMAIL_URL) if EMAIL_URL else {}
EMAIL_BACKEND = _email.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH") or str(VAR_DIR / "outbox")
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Cooperation Hub <hub@cooperation-hub.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ANYMAIL = {"WEBHOOK_SECRET": env.str("ANYMAIL_WEBHOOK_SECRET", default="")}

# --- Accounts (django-allauth) ----------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
# Asks the display name (and city, organisation) at sign-up: pages never show
# anything derived from the e-mail address.
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Pages and e-mails name a member by their display name, never the internal username.
ACCOUNT_USER_DISPLAY = "accounts.adapter.user_display"
# Confirming the address (in the browser that signed up) signs the member in and
# goes back to the page they came from (the sign-up's ?next=, carried by the link).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# A member is told by e-mail when their password or addresses change (someone else may have done it).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# The admin's login counts failed attempts with allauth's counters (per
# account, per client address): a member's address cannot bypass the lockout.
WAGTAILADMIN_USER_LOGIN_FORM = "contributions.admin_login.AdminLoginForm"
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages ----------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates as the site's own sentences write them ("28 November 2026"): cooperation_hub/formats/en.
FORMAT_MODULE_PATH = ["cooperation_hub.formats"]
TIME_ZONE = "Europe/Paris"
# The time zones an admin user may choose (Wagtail account page). Wagtail offers every
# key zoneinfo finds, which on Debian includes "localtime", "posixrules" and "Factory":
# the browser's Intl rejects them ("Invalid time zone specified: localtime" in the
# console). Only the IANA region/city names, and UTC.
WAGTAIL_USER_TIME_ZONES = sorted(
    {"UTC"}
    | {
        name
        for name in zoneinfo.available_timezones()
        if name.split("/")[0]
        in {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"}
        and "/" in name
    }
)
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "static")))  # collectstatic writes here
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Media on shared storage: MEDIA_ROOT (a directory every web node and worker mounts) by
# default; an S3-compatible bucket through django-storages when MEDIA_S3_BUCKET is set.
# The bucket stays private: files are read through signed URLs that expire, never a public ACL.
MEDIA_S3_BUCKET = env.str("MEDIA_S3_BUCKET", default="")
_media_storage: dict = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if MEDIA_S3_BUCKET:
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            # Empty: AWS itself; MinIO, Ceph, Garage, moto... give their address.
            "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("MEDIA_S3_REGION", default="") or None,
            # Empty: boto3's own chain (AWS_ACCESS_KEY_ID..., an instance role).
            "access_key": env.str("MEDIA_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("MEDIA_S3_PREFIX", default=""),
            "default_acl": None,  # the bucket's own policy (private)
            "querystring_auth": True,
            "querystring_expire": env.int("MEDIA_S3_URL_SECONDS", default=3600),
            "file_overwrite": False,
            "addressing_style": env.str("MEDIA_S3_ADDRESSING_STYLE", default="path"),
        },
    }
# Images (renditions) are public and linked with their storage URL; documents always go
# through Wagtail's serve view, which runs the before_serve_document privacy check
# (cooperation_hub/wagtail_hooks.py) and streams the file: with "redirect" (Wagtail's
# default for remote storage) a private document would leave by a bucket URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# The web nodes serve MEDIA_URL themselves when no web server in front does (scripts/topology.sh
# puts HAProxy in front, which serves no files). Always with DEBUG; unused with S3.
MEDIA_SERVE = env.bool("MEDIA_SERVE", default=DEBUG) and not MEDIA_S3_BUCKET
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Wagtail ------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Cooperation Hub"
# ASCII page addresses, as most French sites have them: "toits-vegetalises-a-bethune", not
# "toits-végétalisés-à-béthune", which e-mails and many tools show percent-encoded
# ("toits-v%C3%A9g%C3%A9…"). The editor transliterates the title (experiences/forms.py).
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# The admin would otherwise have each editor's browser ask releases.wagtail.org for news:
# an outside request the site's privacy page does not announce (upgrades follow constraints.txt).
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: the admin would send a hash of every editor's e-mail address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILAPI_BASE_URL = SITE_URL
WAGTAILAPI_SEARCH_ENABLED = True
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
TAGGIT_CASE_INSENSITIVE = True

# --- Security -----------------------------------------------------------------
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Wagtail's live preview shows the site in a frame of the admin, on the same origin.
X_FRAME_OPTIONS = "SAMEORIGIN"
# Content-Security-Policy (django-csp 4): the public pages load nothing but
# their own scripts, styles and images, no inline code.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    # Wagtail's admin relies on inline scripts and styles (and editors are
    # trusted, signed-in staff): it keeps Django's X-Frame-Options only.
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Request bodies: forms and JSON up to 2.5 MB in memory; Django answers 400
# beyond, and more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields (the admin's
# page editor posts thousands). A whole request is capped by
# cooperation_hub/request_guards.py (413): the admin's uploads go up to
# HUB_ADMIN_MAX_REQUEST_BYTES (documents and images), every other path to
# the in-memory limit: no public form takes a file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
HUB_MAX_REQUEST_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE
HUB_ADMIN_MAX_REQUEST_BYTES = env.int("HUB_ADMIN_MAX_REQUEST_BYTES", default=50 * 1024 * 1024)
SILENCED_SYSTEM_CHECKS = ["security.W019"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One line per event, with its time and level (cooperation_hub/log.py).
    "formatters": {
        "line": {
            "()": "cooperation_hub.log.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Error reporting, only when SENTRY_DSN is set (sentry-sdk finds Django and Celery by itself).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        send_default_pii=False,  # members' addresses and names stay out of error reports
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# Labels used site-wide; here so that makemessages finds them once.
SITE_TAGLINE = _("Smart cities learning from each other, North and South")
