"""Settings come from the environment; production refuses an unsafe start."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_python(code: str, env_extra: dict, tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "LAPOR_TESTING"}}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", "LAPOR_DATA_DIR": str(tmp_path)}, **env_extra)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_production_refuses_to_start_without_a_secret(tmp_path):
    result = run_python("import django; django.setup()", {}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_the_development_secret(tmp_path):
    result = run_python(
        "import django; django.setup()",
        {"SECRET_KEY": "insecure-development-key-do-not-use-in-production"},
        tmp_path,
    )
    assert result.returncode != 0
    assert "development default" in result.stderr


def test_settings_are_read_from_the_environment(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.TIME_ZONE, ','.join(s.ALLOWED_HOSTS), s.DATABASES['default']['ENGINE'])"
    )
    result = run_python(
        code,
        {
            "SECRET_KEY": "x" * 50,
            "TIME_ZONE": "Asia/Makassar",
            "ALLOWED_HOSTS": "lapor.example.id,admin.example.id",
            "DATABASE_URL": "postgres://u:p@db.example:5432/lapor",
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "Asia/Makassar",
        "lapor.example.id,admin.example.id",
        "django.db.backends.postgresql",
    ]


def test_embedded_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    code = (
        "import django; django.setup(); from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0])"
    )
    result = run_python(code, {"DEBUG": "1"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000"]
    assert (tmp_path / "lapor.sqlite3").exists()
