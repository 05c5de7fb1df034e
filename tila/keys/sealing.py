"""Sealing text at rest: ``seal()`` before saving, ``unseal()`` after loading.

Token format (a plain ``str``, stored in an ordinary text column)::

    v1.<data key id>.<base64url without padding of: nonce (12) || ciphertext || tag (16)>

The ciphertext is AES-256-GCM (``tila.lib.crypto``) under the practice's current data key.
Its associated data is ``tila.v1|<practice uuid>|<data key id>|<context>``, so a token only
opens for the same practice, the same key and the same ``context``. Callers pass a context
naming the field and the row, e.g. ``"notes.Note.body:<note uuid>"``: a token copied to
another row, field or practice raises ``DecryptionError`` instead of showing its text.

The empty string seals to the empty string (no ciphertext, no key needed), so that empty
optional fields stay empty and cheap. Consequently emptiness is not secret and a blanked
column is not detected as tampering. Everything else is sealed, including whitespace.

Errors: ``DecryptionError`` (from ``tila.lib.crypto``) for a malformed or tampered token, a
wrong context or another practice's token; ``MasterKeyError`` (``MasterKeyMissing`` when no
master key is configured at all) when the data key cannot be unwrapped.

Data keys are created lazily, on a practice's first ``seal()``. Unwrapped data keys are cached
in this process for at most ``CACHE_SECONDS`` (a dictionary in memory, never written
anywhere), because unwrapping costs a query and a decryption per value and a list of notes
would otherwise pay that for every row. The price: for that long after the master key file
is removed, a running process can still read. Call ``forget_cached_keys()`` to drop them.
"""

import base64
import binascii
import time

from django.db import IntegrityError, transaction

from tila.keys import masterkeys
from tila.keys.models import DataKey, SealedCheck
from tila.lib import crypto
from tila.lib.crypto import DecryptionError
from tila.practices.models import Practice

VERSION = "v1"
CACHE_SECONDS = 300.0
CACHE_MAX = 1024

_cache: dict[tuple[int, str], tuple[float, bytes]] = {}


def seal(practice: Practice, plaintext: str, *, context: str) -> str:
    """Encrypt ``plaintext`` under ``practice``'s current data key; return a text token."""
    _require_context(context)
    if plaintext == "":
        return ""
    data_key, key = current_data_key(practice)
    return seal_with(practice, data_key.key_id, key, plaintext, context=context)


def unseal(practice: Practice, token: str, *, context: str) -> str:
    """Return the text sealed in ``token``, or raise ``DecryptionError``."""
    _require_context(context)
    if token == "":
        return ""
    key_id, body = _split(token)
    key = data_key_bytes(practice, key_id)
    try:
        blob = base64.b64decode(body + "=" * (-len(body) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionError("token is not valid base64") from None
    plaintext = crypto.decrypt(key, blob, _aad(practice, key_id, context))
    return plaintext.decode("utf-8")


def token_key_id(token: str) -> str | None:
    """The data key id of a token, or None for the empty token."""
    if token == "":
        return None
    return _split(token)[0]


def forget_cached_keys() -> None:
    """Drop every unwrapped data key held in this process."""
    _cache.clear()


# Building blocks for tila.keys.actions; other apps use seal() and unseal() only.


def seal_with(practice: Practice, key_id: str, key: bytes, plaintext: str, *, context: str) -> str:
    if plaintext == "":
        return ""
    blob = crypto.encrypt(key, plaintext.encode("utf-8"), _aad(practice, key_id, context))
    return f"{VERSION}.{key_id}.{base64.urlsafe_b64encode(blob).rstrip(b'=').decode('ascii')}"


def current_data_key(practice: Practice) -> tuple[DataKey, bytes]:
    """The practice's current data key row and its unwrapped bytes, created when missing."""
    data_key = DataKey.objects.filter(practice=practice, retired_at__isnull=True).first()
    if data_key is None:
        try:
            with transaction.atomic():
                data_key, key = create_data_key(practice)
                check = SealedCheck(practice=practice)
                check.value = seal_with(
                    practice, data_key.key_id, key, SealedCheck.TEXT, context=check.seal_context()
                )
                check.save()
            return data_key, key
        except IntegrityError:  # another process created the practice's first key meanwhile
            data_key = DataKey.objects.get(practice=practice, retired_at__isnull=True)
    return data_key, _cached_unwrap(practice, data_key)


def create_data_key(practice: Practice) -> tuple[DataKey, bytes]:
    """Create a new current data key for ``practice``, wrapped under the current master key.

    The caller retires the previous current key first (one current key per practice is a
    database constraint).
    """
    # A missing key file is created only while no data key exists anywhere: with data keys
    # in the database, a missing file means the real one is lost or not restored yet.
    ring = masterkeys.load(create_if_missing=not DataKey.objects.exists())
    key = crypto.generate_key()
    data_key = DataKey(practice=practice, master_key_id=ring.current.key_id)
    while DataKey.objects.filter(key_id=data_key.key_id).exists():
        data_key.key_id = DataKey._meta.get_field("key_id").get_default()
    data_key.wrapped = wrap(practice, data_key.key_id, key, ring.current)
    data_key.save()
    _remember(practice, data_key.key_id, key)
    return data_key, key


def data_key_bytes(practice: Practice, key_id: str) -> bytes:
    """The unwrapped bytes of ``practice``'s data key ``key_id`` (current or retired)."""
    cached = _cache.get((practice.pk, key_id))
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    data_key = DataKey.objects.filter(practice=practice, key_id=key_id).first()
    if data_key is None:
        raise DecryptionError("token was not sealed under a key of this practice")
    return _cached_unwrap(practice, data_key)


def wrap(practice: Practice, key_id: str, key: bytes, master: masterkeys.MasterKey) -> bytes:
    return crypto.encrypt(master.key, key, _wrap_aad(practice, key_id))


def unwrap(practice: Practice, data_key: DataKey, ring: masterkeys.MasterKeyRing) -> bytes:
    master = ring.get(data_key.master_key_id)
    try:
        return crypto.decrypt(
            master.key, bytes(data_key.wrapped), _wrap_aad(practice, data_key.key_id)
        )
    except DecryptionError:
        raise masterkeys.MasterKeyError(
            f"Data key {data_key.key_id} does not unwrap with master key {master.key_id}: the "
            "master key is not the one that wrapped it, or the key row was altered."
        ) from None


def _cached_unwrap(practice: Practice, data_key: DataKey) -> bytes:
    cached = _cache.get((practice.pk, data_key.key_id))
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    key = unwrap(practice, data_key, masterkeys.load())
    _remember(practice, data_key.key_id, key)
    return key


def _remember(practice: Practice, key_id: str, key: bytes) -> None:
    now = time.monotonic()
    if len(_cache) >= CACHE_MAX:
        for entry, (expires, _key) in list(_cache.items()):
            if expires <= now:
                del _cache[entry]
        if len(_cache) >= CACHE_MAX:
            _cache.clear()
    _cache[(practice.pk, key_id)] = (now + CACHE_SECONDS, key)


def _split(token: str) -> tuple[str, str]:
    """The data key id and the base64 body of a token."""
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != VERSION or not parts[1] or not parts[2]:
        raise DecryptionError("not a sealed token")
    return parts[1], parts[2]


def _aad(practice: Practice, key_id: str, context: str) -> bytes:
    return f"tila.{VERSION}|{practice.uuid}|{key_id}|{context}".encode()


def _wrap_aad(practice: Practice, key_id: str) -> bytes:
    return f"tila.keys.DataKey|{practice.uuid}|{key_id}".encode()


def _require_context(context: str) -> None:
    if not context:
        raise ValueError("seal() and unseal() need a context naming the field and the row")
