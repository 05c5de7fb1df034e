"""Authenticated encryption: AES-256-GCM with a random nonce, nothing else.

This module is pure (no Django, no models). ``tila.keys`` builds per-practice data keys and
sealed text on top of it.

Format of a ciphertext blob returned by :func:`encrypt`::

    nonce (12 bytes, random) || ciphertext (len(plaintext) bytes) || GCM tag (16 bytes)

The associated data (``aad``) is not stored in the blob: the caller must present the same
bytes again to :func:`decrypt`. It binds a ciphertext to its place (for example the practice,
the key id and the database row), so that a blob copied elsewhere does not decrypt.

A random 96-bit nonce is safe for about 2**32 encryptions under one key; data keys are per
practice and can be rotated (``manage.py rotate_data_keys``), far below that bound.
"""

import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16


class DecryptionError(Exception):
    """A ciphertext did not decrypt: wrong key, wrong associated data, or tampered bytes.

    Never carries any part of the plaintext. Decryption either returns the exact plaintext
    that was encrypted or raises this; it never returns garbage.
    """


def generate_key() -> bytes:
    """Return a new random 256-bit key (32 bytes from the operating system's CSPRNG)."""
    return secrets.token_bytes(KEY_BYTES)


def _cipher(key: bytes) -> AESGCM:
    if len(key) != KEY_BYTES:
        raise ValueError(f"AES-256-GCM needs a {KEY_BYTES}-byte key, not {len(key)} bytes")
    return AESGCM(key)


def encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """Encrypt ``plaintext`` under ``key`` and return ``nonce || ciphertext || tag``.

    A fresh random 12-byte nonce is drawn for every call, so encrypting the same plaintext
    twice gives different blobs. ``aad`` is authenticated but not encrypted or stored.
    """
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + _cipher(key).encrypt(nonce, plaintext, aad)


def decrypt(key: bytes, blob: bytes, aad: bytes) -> bytes:
    """Return the plaintext of a blob made by :func:`encrypt` with the same key and ``aad``.

    Raises :class:`DecryptionError` when the blob is too short, any byte of it was changed,
    the key is wrong or the associated data differs.
    """
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("ciphertext is too short")
    try:
        cipher = _cipher(key)
    except ValueError as error:
        raise DecryptionError(str(error)) from None
    try:
        return cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except InvalidTag:
        raise DecryptionError("ciphertext failed authentication") from None
