import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.test_deploy import clean_environ

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite default only")
def test_default_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    env = {
        **clean_environ(),
        "TILA_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tila.settings",
    }
    code = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor();"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0]);"
        "print(c.execute('PRAGMA busy_timeout').fetchone()[0]);"
        "print(c.execute('PRAGMA foreign_keys').fetchone()[0])"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["wal", "20000", "1"]
    assert (tmp_path / "tila.sqlite3").exists()


def test_the_data_directory_is_private_to_its_owner(tmp_path):
    var = tmp_path / "var"
    env = {**clean_environ(), "TILA_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "tila.settings"}
    subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, check=True
    )
    assert var.stat().st_mode & 0o777 == 0o700


@pytest.mark.django_db
def test_tests_run_against_the_configured_database():
    expected = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    assert connection.vendor == expected
