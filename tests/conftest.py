import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client as HttpClient

from tests.audit_helpers import clear_log
from tests.factories import World, build_world
from tests.keys_helpers import isolate_keys
from tests.mail_helpers import SmtpServer, running_smtp_server


def _redis_of_this_worker() -> None:
    """With ``make test``'s parallel workers (pytest-xdist) each worker gets a Redis database
    of its own, the next numbers after REDIS_URL's, before anything connects: one worker's
    ``cache.clear()`` (a FLUSHDB) or channel messages never reach another. Servers that tests
    start as subprocesses inherit it through the environment."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    url = getattr(settings, "REDIS_URL", None)
    if not (url and worker.startswith("gw")):
        return
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + 1 + int(worker[2:])
    own = urlunsplit(parts._replace(path=f"/{number}"))
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": own}}
    layer: dict[str, Any] = dict(settings.CHANNEL_LAYERS["default"])
    settings.CHANNEL_LAYERS = {"default": {**layer, "CONFIG": {**layer["CONFIG"], "hosts": [own]}}}
    settings.REDIS_URL = own
    os.environ["REDIS_URL"] = own


_redis_of_this_worker()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On SQLite the test database is a file, as Tila runs: WAL and the busy timeout let the
    browser tests' server threads and the test itself read and write at once. (Django's
    default, a shared-cache database in memory, refuses a writer outright while another
    connection reads the same table.)"""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if "sqlite" in database["ENGINE"]:
        name = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture(autouse=True)
def _private_keys(settings, tmp_path, monkeypatch):
    """Every test gets its own master key file, never the developer's var/."""
    isolate_keys(settings, tmp_path, monkeypatch)


@pytest.fixture(autouse=True)
def _plain_static_files(settings, tmp_path):
    """Tests serve static files without collectstatic's manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    # Idle timeout is tested on its own (test_sessions.py); elsewhere tests travel in time
    # freely without being logged out.
    settings.TILA_IDLE_MINUTES = 0
    settings.TILA_AUDIT_ANCHOR_FILE = tmp_path / "audit_anchors"
    settings.TILA_UPLOAD_DIR = tmp_path / "uploads"
    # Argon2 is deliberately slow; the suite creates many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Rate limits (logins, the public forms) count in the cache: every test starts afresh."""
    cache.clear()


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _empty_audit_log_before_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """A transactional test's database is emptied afterwards, but the audit log refuses
    deletes: empty it first, the way an operator with owner rights would."""
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")  # so that this is torn down before the flush
    yield
    clear_log()


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpServer]:
    """A real SMTP server in this process; Django sends its mail there (tests/mail_helpers.py)."""
    yield from running_smtp_server(settings)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def owner_client(world: World) -> HttpClient:
    """Anna, owner and supervisor of practice A, logged in."""
    client = HttpClient()
    client.force_login(world.owner)
    return client


@pytest.fixture
def assistant_client(world: World) -> HttpClient:
    client = HttpClient()
    client.force_login(world.assistant)
    return client


@pytest.fixture
def colleague_client(world: World) -> HttpClient:
    client = HttpClient()
    client.force_login(world.colleague)
    return client


@pytest.fixture
def other_client(world: World) -> HttpClient:
    """Bertta, the supervisor of practice B, logged in."""
    client = HttpClient()
    client.force_login(world.other_owner)
    return client


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache, as a freshly started server does: login rate
    limits and used one-time codes live there."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
