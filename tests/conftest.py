import pytest
from django.test import Client as HttpClient

from tests.factories import World, build_world


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests serve static files without collectstatic's manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    # Argon2 is deliberately slow; the suite creates many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
