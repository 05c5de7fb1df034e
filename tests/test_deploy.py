"""Production-like settings pass Django's deployment checks without a warning."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def clean_environ() -> dict[str, str]:
    """This process's environment without what the test session itself set."""
    return {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    env = {
        **clean_environ(),
        "TILA_SECRET_KEY": "k" * 20 + "Q7x!9mZp#2Lw$Vn8Rt@4Yb&6Hc*1Jd^5Fg%3Ks(0",
        "TILA_SITE_URL": "https://tila.example.fi",
        "TILA_ALLOWED_HOSTS": "tila.example.fi",
        "TILA_DEBUG": "0",
        "TILA_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_missing_secret_key_is_generated_once_and_kept(tmp_path):
    env = {**clean_environ(), "TILA_VAR_DIR": str(tmp_path)}
    env.pop("TILA_SECRET_KEY", None)
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    command = [sys.executable, "-c", f"import django, os; django.setup(); {code}"]
    env["DJANGO_SETTINGS_MODULE"] = "tila.settings"
    first = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)  # noqa: S603
    second = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)  # noqa: S603
    key = first.stdout.strip()
    assert len(key) >= 50
    assert key == second.stdout.strip()
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_a_process_that_loses_the_race_for_the_secret_key_keeps_the_winners(tmp_path, monkeypatch):
    """Two processes start at once and find no key: the second to write reads the first's."""
    from tila import settings as tila_settings

    monkeypatch.delenv("TILA_SECRET_KEY", raising=False)
    monkeypatch.setattr(tila_settings, "VAR_DIR", tmp_path)
    winner = "k" * 60
    real_exists = Path.exists

    def exists_before_the_winner_wrote(path):
        if path == tmp_path / "secret_key":
            (tmp_path / "secret_key").write_text(winner)
            return False
        return real_exists(path)

    monkeypatch.setattr(Path, "exists", exists_before_the_winner_wrote)
    assert tila_settings.load_secret_key() == winner
    assert sorted(path.name for path in tmp_path.iterdir()) == ["secret_key"]
