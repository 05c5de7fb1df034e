"""Master keys: they live outside the database, never in code.

Two sources, in this order:

1. The environment variable ``TILA_MASTER_KEY``: ``<id>:<base64 key>[,<id>:<base64 key>…]``.
   When it is set, the key file is not read at all.
2. The key file ``master_keys`` in ``TILA_VAR_DIR`` (``var/`` by default)::

       # comment lines and blank lines are ignored
       3f9a1c2e:q0Yl...base64 of 32 bytes...=
       7b20d4aa:Zk1p...=

   One key a line, oldest first. The file must be readable by its owner only (mode 0600);
   Tila refuses a file that others can read. It is created once, with a fresh key, when the
   first data key is made and no file exists yet.

In both sources the **last** key is the current one: new data keys are wrapped under it.
Older keys stay until ``manage.py rotate_master_key --retire-old`` removes them.

The parsed ring is cached per process and reloaded when the file changes (inode, size or
modification time) or the environment variable changes, so a rotation made by a command in
the same process, or by another process, is seen at the next call.
"""

import base64
import binascii
import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from tila.lib import crypto

ENV_VAR = "TILA_MASTER_KEY"
FILE_NAME = "master_keys"
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
FILE_HEADER = (
    "# Tila master keys: they unlock every practice's encrypted notes.\n"
    "# Keep this file secret (mode 0600) and back it up APART from the database backups.\n"
    "# One key a line, <key id>:<base64 key>, oldest first; the last line is the current key.\n"
)


class MasterKeyError(Exception):
    """The master keys cannot be used: missing, unreadable, malformed or not the right ones."""


class MasterKeyMissing(MasterKeyError):
    """No master key is configured (no key file and no ``TILA_MASTER_KEY``)."""


@dataclass(frozen=True)
class MasterKey:
    key_id: str
    key: bytes = field(repr=False)

    def encoded(self) -> str:
        """The ``<id>:<base64>`` form used in the key file and the environment variable."""
        return f"{self.key_id}:{base64.b64encode(self.key).decode('ascii')}"


@dataclass(frozen=True)
class MasterKeyRing:
    """The configured master keys, oldest first; the last one is current."""

    keys: tuple[MasterKey, ...]
    source: str  # "env" or "file"
    path: Path | None = None

    @property
    def current(self) -> MasterKey:
        return self.keys[-1]

    def get(self, key_id: str) -> MasterKey:
        for key in self.keys:
            if key.key_id == key_id:
                return key
        where = f"the {ENV_VAR} environment variable" if self.source == "env" else str(self.path)
        raise MasterKeyError(
            f"Master key {key_id!r} is not in {where}. Restore the master key file (or the "
            f"{ENV_VAR} value) that was in use when this data was written."
        )

    def env_value(self) -> str:
        return ",".join(key.encoded() for key in self.keys)


_cache: tuple[tuple[object, ...], MasterKeyRing] | None = None


def key_file() -> Path:
    return Path(settings.VAR_DIR) / FILE_NAME


def uses_env() -> bool:
    return bool(os.environ.get(ENV_VAR, "").strip())


def forget_cache() -> None:
    global _cache
    _cache = None


def load(*, create_if_missing: bool = False) -> MasterKeyRing:
    """Return the configured master keys.

    With ``create_if_missing`` a key file holding one new key is created when neither the
    environment variable nor the file exists; otherwise :class:`MasterKeyMissing` is raised.
    """
    global _cache
    env_value = os.environ.get(ENV_VAR, "").strip()
    if env_value:
        signature: tuple[object, ...] = ("env", env_value)
        if _cache is not None and _cache[0] == signature:
            return _cache[1]
        ring = MasterKeyRing(parse(env_value.replace(",", "\n"), ENV_VAR), "env")
        _cache = (signature, ring)
        return ring

    path = key_file()
    try:
        info = path.stat()
    except FileNotFoundError:
        if not create_if_missing:
            raise MasterKeyMissing(
                f"No master key: {path} does not exist and {ENV_VAR} is not set. Sealed data "
                "cannot be read without the master key that wrapped its data keys; restore "
                "the key file from its backup."
            ) from None
        create_file(path)
        info = path.stat()
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise MasterKeyError(
            f"{path} can be read by other users (mode {stat.S_IMODE(info.st_mode):o}); "
            f"run: chmod 600 {path}"
        )
    signature = ("file", str(path), info.st_ino, info.st_size, info.st_mtime_ns)
    if _cache is not None and _cache[0] == signature:
        return _cache[1]
    ring = MasterKeyRing(parse(path.read_text(encoding="ascii"), str(path)), "file", path)
    _cache = (signature, ring)
    return ring


def parse(text: str, where: str) -> tuple[MasterKey, ...]:
    """Parse ``<id>:<base64>`` entries, one a line; errors never show key material."""
    keys: list[MasterKey] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key_id, sep, encoded = line.partition(":")
        key_id = key_id.strip()
        if not sep or not KEY_ID.match(key_id):
            raise MasterKeyError(f"{where}, entry {number}: expected <key id>:<base64 key>")
        try:
            key = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise MasterKeyError(f"{where}, key {key_id!r}: not valid base64") from None
        if len(key) != crypto.KEY_BYTES:
            raise MasterKeyError(f"{where}, key {key_id!r}: must be {crypto.KEY_BYTES} bytes")
        if any(existing.key_id == key_id for existing in keys):
            raise MasterKeyError(f"{where}: key id {key_id!r} appears twice")
        keys.append(MasterKey(key_id, key))
    if not keys:
        raise MasterKeyError(f"{where} holds no master key")
    return tuple(keys)


def new_key(existing: tuple[MasterKey, ...] = ()) -> MasterKey:
    """A new random master key whose id differs from the existing ones."""
    taken = {key.key_id for key in existing}
    while True:
        key_id = secrets.token_hex(4)
        if key_id not in taken:
            return MasterKey(key_id, crypto.generate_key())


def _write_private(path: Path, content: str) -> Path:
    """Write ``content`` to a new 0600 file next to ``path`` and return the temporary name."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    return temporary


def _render(keys: tuple[MasterKey, ...]) -> str:
    return FILE_HEADER + "".join(f"{key.encoded()}\n" for key in keys)


def create_file(path: Path) -> None:
    """Create the key file with one new key, unless another process just created it."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = _write_private(path, _render((new_key(),)))
    try:
        os.link(temporary, path)  # atomic: fails when the file exists, never half-written
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


def write_file(keys: tuple[MasterKey, ...]) -> None:
    """Replace the key file atomically with ``keys`` (oldest first), mode 0600."""
    path = key_file()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.replace(_write_private(path, _render(keys)), path)
    forget_cache()
