"""Shared set-up for the tests of tila.keys: a private key directory per test."""

from pathlib import Path

import pytest

from tila.keys import masterkeys, registry, sealing
from tila.practices.models import Practice


def isolate_keys(settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the master key file at a fresh directory, without TILA_MASTER_KEY or caches."""
    var = tmp_path / "var"
    settings.VAR_DIR = var
    monkeypatch.delenv(masterkeys.ENV_VAR, raising=False)
    monkeypatch.setattr(registry, "_fields", dict(registry._fields))
    masterkeys.forget_cache()
    sealing.forget_cached_keys()
    return var


def forget_everything() -> None:
    """What a new process knows: nothing cached."""
    masterkeys.forget_cache()
    sealing.forget_cached_keys()


def bio_context(practice: Practice) -> str:
    return f"practices.Practice.bio:{practice.uuid}"


def register_bio() -> None:
    """Use Practice.bio as a sealed field (the real sealed fields live in later apps)."""
    registry.register_sealed_field(Practice, "bio", bio_context)


def seal_bio(practice: Practice, text: str) -> str:
    practice.bio = sealing.seal(practice, text, context=bio_context(practice))
    practice.save(update_fields=["bio"])
    return practice.bio


def read_bio(practice: Practice) -> str:
    practice.refresh_from_db()
    return sealing.unseal(practice, practice.bio, context=bio_context(practice))
