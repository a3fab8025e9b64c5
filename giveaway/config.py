"""Default configuration. Overridden by ``instance/config.py``, then ``GIVEAWAY_*`` variables."""
from datetime import timedelta


class DefaultConfig:
    """Safe defaults for a single-machine install (SQLite under ``instance/``)."""

    SQLALCHEMY_DATABASE_URI = None  # filled in by the factory: sqlite:///<instance>/giveaway.sqlite
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}  # no data in logs
    SECRET_KEY = None  # filled in by the factory from instance/secret_key when unset
    # Earlier secret keys, still accepted to decrypt what they sealed (draw seeds, the
    # Instagram session) after SECRET_KEY changed; `flask keys rotate` re-encrypts it all.
    OLD_SECRET_KEYS = ()
    # Keys that encrypt draw seeds, newest first (the first encrypts, all decrypt). Empty:
    # seeds are encrypted with SECRET_KEY, as before this setting existed.
    SEED_KEYS = ()

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    REMEMBER_COOKIE_DURATION = timedelta(days=30)  # « Stay logged in »: at most this long
    # argon2-cffi profile name (argon2.profiles); tests use CHEAPEST.
    PASSWORD_HASH_PROFILE = "RFC_9106_LOW_MEMORY"
    # Irreversible actions (opening a contest, the draw) need a login this recent.
    FRESH_LOGIN_SECONDS = 15 * 60

    WTF_CSRF_TIME_LIMIT = 8 * 3600
    MAX_CONTENT_LENGTH = 512 * 1024 * 1024

    RATELIMIT_STORAGE_URI = "memory://"  # REDIS_URL when set; shared storage for several workers
    RATELIMIT_HEADERS_ENABLED = True
    # Failed logins: per account (that account waits), and per client address (every
    # login from there waits; set PROXY_FIX_X_FOR behind a reverse proxy).
    LOGIN_ACCOUNT_LIMIT = "10 per 15 minutes"
    LOGIN_ADDRESS_LIMIT = "50 per 15 minutes"
    # How many processes serve the web app; None: read from gunicorn's command line
    # (-w, GUNICORN_CMD_ARGS) or WEB_CONCURRENCY. Over 1, rate limits need Redis.
    WEB_WORKERS = None
    # How many reverse proxies in front set each X-Forwarded-* header (werkzeug's ProxyFix);
    # 0 trusts none of them, the default: the client address is the connection's.
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0
    PROXY_FIX_X_HOST = 0
    PROXY_FIX_X_PORT = 0
    PROXY_FIX_X_PREFIX = 0

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    LANGUAGES = ("fr", "en")
    DISPLAY_TIMEZONE = "Europe/Paris"

    BOOTSTRAP_SERVE_LOCAL = True
    BOOTSTRAP_BOOTSWATCH_THEME = None

    ORGANISER_HANDLE = ""  # the authority's Instagram account, proposed for new contests
    # Where the public pages are reached, e.g. "https://jeux.gers.fr": sealed certificates
    # link to it (never to the Host header of a request). Required by wsgi.py (production).
    PUBLIC_URL = None
    # How certificates name who ran the draw (a role or a service, never a person's e-mail).
    OPERATOR_PUBLIC_LABEL = "organiser"

    CLAIM_WINDOW_DAYS = 30  # winners claim their prize within this many days of the draw
    RETENTION_DAYS = 90  # then non-winners' personal data is kept this long, and purged

    # A web request's SQL statement running longer than this is cancelled (PostgreSQL);
    # the CLI and the background worker have no limit. 0 or None: no limit.
    WEB_STATEMENT_TIMEOUT_MS = 30_000

    REDIS_URL = None
    HUEY_IMMEDIATE = False  # run jobs inline (tests); the default is a real queue
    IG_API_BASE = None
    IG_TIMEOUT = 30.0  # seconds for each Instagram request
    IG_DELAY_RANGE = (1.0, 3.0)  # random pause before each request; null for none
    # A comment file of at least this many rows (estimated) is imported by the background
    # worker, with a progress bar; a smaller one within the request. 0: always in the background.
    IMPORT_BACKGROUND_ROWS = 2000
    # A running harvest that has not checkpointed for this long is re-queued.
    HARVEST_LEASE_SECONDS = 120
    DRAND_URLS = ("https://api.drand.sh", "https://api2.drand.sh", "https://drand.cloudflare.com")
    # RFC 3161 time-stamping authorities asked at opening, freeze and draw (free, public).
    TSA_URLS = ("https://freetsa.org/tsr", "http://timestamp.digicert.com")
    TSA_TIMEOUT = 10.0  # seconds for each time-stamp request
