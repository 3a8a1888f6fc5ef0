"""Django settings, derived from the validated environment in `loket.config`.

Nothing here reads `os.environ` directly: add a field to `LoketConfig` instead, so that every
setting is typed, documented and named in start-up errors.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from loket.config import load_config

CONFIG = load_config()
PACKAGE_DIR = Path(__file__).resolve().parent

DEMO_MODE = CONFIG.demo
DEBUG = CONFIG.debug
SECRET_KEY = CONFIG.effective_secret_key
ALLOWED_HOSTS = CONFIG.allowed_hosts
CSRF_TRUSTED_ORIGINS = CONFIG.csrf_trusted_origins
DATA_DIR = CONFIG.data_dir.resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "mozilla_django_oidc",
    "loket.kernel",
    "loket.tenancy",
    "loket.strategy",
    "loket.channels",
    "loket.triage",
    "loket.knowledge",
    "loket.routing",
    "loket.inbox",
    "loket.participation",
    "loket.publishing",
    "loket.analytics",
    "loket.web",
    "loket.api",
    "loket.cli",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "loket.kernel.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a lock-out into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "loket.urls"
WSGI_APPLICATION = "loket.wsgi.application"
AUTH_USER_MODEL = "tenancy.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "loket.web.context.shell",
            ],
        },
    }
]

# Database: SQLite in WAL mode under the data directory unless DATABASE_URL names another.
if CONFIG.database_url:
    DATABASES = {"default": dj_database_url.parse(CONFIG.database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "loket.sqlite3"),
            # Reconnecting (and re-running the PRAGMAs) costs ~1 ms per request otherwise.
            "CONN_MAX_AGE": 60,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the worker writes; IMMEDIATE avoids
        # "database is locked" on lock upgrades; a generous timeout rides out bursts.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
if CONFIG.oidc_enabled:
    AUTHENTICATION_BACKENDS.append("loket.tenancy.oidc.LoketOIDCBackend")
OIDC_ENABLED = CONFIG.oidc_enabled
OIDC_LOGIN_LABEL = CONFIG.oidc_login_label
OIDC_RP_CLIENT_ID = CONFIG.oidc_client_id
OIDC_RP_CLIENT_SECRET = CONFIG.oidc_client_secret.get_secret_value()
OIDC_OP_AUTHORIZATION_ENDPOINT = CONFIG.oidc_authorization_endpoint
OIDC_OP_TOKEN_ENDPOINT = CONFIG.oidc_token_endpoint
OIDC_OP_USER_ENDPOINT = CONFIG.oidc_userinfo_endpoint
OIDC_OP_JWKS_ENDPOINT = CONFIG.oidc_jwks_endpoint
OIDC_RP_SIGN_ALGO = CONFIG.oidc_sign_algo
OIDC_RP_SCOPES = CONFIG.oidc_scopes
OIDC_CREATE_USER = True
OIDC_STORE_ID_TOKEN = False
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
LOGIN_REDIRECT_URL_FAILURE = "/login/?sso=failed"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = CONFIG.login_failure_limit
AXES_COOLOFF_TIME = CONFIG.login_cooloff_minutes / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "tenancy/locked_out.html"
AXES_ENABLE_ADMIN = False

OTP_TOTP_ISSUER = "Loket"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
if CONFIG.serves_https:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # TLS ends at the reverse proxy, which sets this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("fr", "Français"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "loket_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = CONFIG.time_zone
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files come straight from the installed packages: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
# Whitenoise also serves what `loket collectstatic` put here; it must exist.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_AUTOREFRESH = DEBUG

# Loket's own mail: web form confirmations and replies to form submissions.
DEFAULT_FROM_EMAIL = SERVER_EMAIL = CONFIG.email_from
if CONFIG.email_host or not CONFIG.demo:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                # Without a configured server: the machine's own mail transfer agent.
                "host": CONFIG.email_host or "localhost",
                "port": CONFIG.email_port if CONFIG.email_host else 25,
                "use_tls": bool(CONFIG.email_host) and CONFIG.email_security == "starttls",
                "use_ssl": bool(CONFIG.email_host) and CONFIG.email_security == "tls",
                "username": CONFIG.email_username,
                "password": CONFIG.email_password.get_secret_value(),
                "timeout": CONFIG.email_timeout_seconds,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": CONFIG.log_level},
    "loggers": {"axes": {"level": "WARNING"}},
}

LOKET_ENCRYPTION_KEYS = CONFIG.encryption_keys
LOKET_HOST = CONFIG.host
LOKET_PORT = CONFIG.port
LOKET_WEB_WORKERS = CONFIG.web_workers
