"""Settings for the test suite: the production module with test switches on."""

import os

os.environ["LAPOR_TESTING"] = "1"
os.environ.setdefault("LAPOR_DATA_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test"))

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = DATA_DIR / "media"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise looks for it)
LAPOR_TASK_ENGINE = "huey"  # whatever the shell says: tests that need Celery opt in explicitly
