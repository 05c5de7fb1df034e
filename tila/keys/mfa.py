"""The second factor's secrets sealed at rest.

allauth keeps a TOTP key and the seed of the recovery codes in the database. Anyone who could
read them could make valid codes, so they are sealed like the practices' content, under a key
derived from the current master key (HKDF, its own purpose string): a copy of the database
without the master key holds no usable second factor. A sealed secret reads

    mfa1:<master key id>:<base64 of nonce || ciphertext || tag>

Rotating the master key reseals them (``reseal_mfa_secrets``) together with the data keys.
WebAuthn keeps only public keys, which need no sealing.
"""

import base64
from collections.abc import Iterator

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.db import transaction

from tila.keys import masterkeys
from tila.lib import crypto

PREFIX = "mfa1"
_AAD = b"tila|mfa-secret"
_INFO = b"tila mfa secrets v1"


class MfaSecretError(Exception):
    """A stored second-factor secret is not sealed by Tila or does not open."""


def _key(master: masterkeys.MasterKey) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=crypto.KEY_BYTES, salt=None, info=_INFO).derive(
        master.key
    )


def seal_secret(text: str, master: masterkeys.MasterKey | None = None) -> str:
    master = master or masterkeys.load(create_if_missing=True).current
    blob = crypto.encrypt(_key(master), text.encode("utf-8"), _AAD)
    return f"{PREFIX}:{master.key_id}:{base64.b64encode(blob).decode('ascii')}"


def sealed_key_id(token: str) -> str:
    prefix, key_id, _ = [*token.split(":", 2), "", ""][:3]
    if prefix != PREFIX or not key_id:
        raise MfaSecretError("A second-factor secret in the database is not sealed by Tila.")
    return key_id


def open_secret(token: str) -> str:
    key_id = sealed_key_id(token)
    master = masterkeys.load().get(key_id)
    try:
        blob = base64.b64decode(token.split(":", 2)[2], validate=True)
        return crypto.decrypt(_key(master), blob, _AAD).decode("utf-8")
    except (ValueError, crypto.DecryptionError) as error:
        raise MfaSecretError(
            "A second-factor secret does not open under its master key."
        ) from error


class SealedMFAAdapter(DefaultMFAAdapter):
    """allauth's MFA adapter with its secrets sealed (settings.MFA_ADAPTER)."""

    def encrypt(self, text: str) -> str:
        return seal_secret(text)

    def decrypt(self, encrypted_text: str) -> str:
        return open_secret(encrypted_text)


def _secret_paths(data: dict[str, object]) -> Iterator[tuple[str, int | None]]:
    """The places in an authenticator's data that hold a sealed secret."""
    for name in ("secret", "seed"):
        if isinstance(data.get(name), str):
            yield name, None
    codes = data.get("migrated_codes")
    if isinstance(codes, list):
        for index in range(len(codes)):
            yield "migrated_codes", index


def _get(data: dict[str, object], path: tuple[str, int | None]) -> str:
    name, index = path
    value = data[name]
    return str(value[index] if index is not None and isinstance(value, list) else value)


def _set(data: dict[str, object], path: tuple[str, int | None], value: str) -> None:
    name, index = path
    current = data[name]
    if index is not None and isinstance(current, list):
        current[index] = value
    else:
        data[name] = value


def reseal_mfa_secrets() -> int:
    """Seal under the current master key every second-factor secret that is not yet under it
    (or not sealed at all, as allauth stored them before Tila sealed them). Returns how many
    authenticators changed."""
    ring = masterkeys.load(create_if_missing=True)
    changed = 0
    with transaction.atomic():
        for authenticator in Authenticator.objects.select_for_update().order_by("pk"):
            data = dict(authenticator.data)
            touched = False
            for path in list(_secret_paths(data)):
                token = _get(data, path)
                if token.startswith(f"{PREFIX}:"):
                    if sealed_key_id(token) == ring.current.key_id:
                        continue
                    plain = open_secret(token)
                else:
                    plain = token
                _set(data, path, seal_secret(plain, ring.current))
                touched = True
            if touched:
                authenticator.data = data
                authenticator.save(update_fields=["data"])
                changed += 1
    return changed


def master_keys_in_use() -> set[str]:
    """The master key ids that sealed second-factor secrets are under."""
    used: set[str] = set()
    for data in Authenticator.objects.values_list("data", flat=True):
        for path in _secret_paths(data):
            token = _get(data, path)
            if token.startswith(f"{PREFIX}:"):
                used.add(sealed_key_id(token))
    return used
