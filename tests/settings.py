"""Settings for the test suite: Loket's own settings in demo mode, with a fixed test key.

DATABASE_URL selects PostgreSQL (`make test` sets it from LOKET_TEST_DATABASE_URL);
without it the tests run on SQLite.
"""

import os

os.environ["LOKET_DEMO"] = "1"
os.environ.setdefault("LOKET_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghij")
os.environ.setdefault(
    "LOKET_DATA_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test")
)

from loket.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
