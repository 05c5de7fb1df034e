"""tila.lib.crypto: AES-256-GCM with a random nonce."""

import pytest

from tila.lib import crypto
from tila.lib.crypto import DecryptionError


def test_a_generated_key_is_32_random_bytes():
    first, second = crypto.generate_key(), crypto.generate_key()
    assert len(first) == 32
    assert first != second


def test_encrypted_text_decrypts_to_the_same_bytes():
    key = crypto.generate_key()
    blob = crypto.encrypt(key, "Tämä on salaista 🙂".encode(), b"row:1")
    assert crypto.decrypt(key, blob, b"row:1") == "Tämä on salaista 🙂".encode()


def test_the_blob_is_nonce_then_ciphertext_then_tag_and_never_repeats():
    key = crypto.generate_key()
    first = crypto.encrypt(key, b"same text", b"")
    second = crypto.encrypt(key, b"same text", b"")
    assert len(first) == 12 + len(b"same text") + 16
    assert first != second
    assert first[:12] != second[:12]
    assert b"same text" not in first


def test_flipping_any_byte_fails_instead_of_returning_garbage():
    key = crypto.generate_key()
    blob = crypto.encrypt(key, b"confidential", b"aad")
    for position in range(len(blob)):
        tampered = bytearray(blob)
        tampered[position] ^= 0x01
        with pytest.raises(DecryptionError):
            crypto.decrypt(key, bytes(tampered), b"aad")


@pytest.mark.parametrize(
    ("key_change", "aad", "blob_change"),
    [
        ("other key", b"aad", None),
        (None, b"other aad", None),
        (None, b"aad", "truncate"),
        (None, b"aad", "empty"),
        ("short key", b"aad", None),
    ],
)
def test_decryption_fails_with_the_wrong_key_aad_or_a_cut_blob(key_change, aad, blob_change):
    key = crypto.generate_key()
    blob = crypto.encrypt(key, b"confidential", b"aad")
    if key_change == "other key":
        key = crypto.generate_key()
    elif key_change == "short key":
        key = key[:16]
    if blob_change == "truncate":
        blob = blob[:-1]
    elif blob_change == "empty":
        blob = b""
    with pytest.raises(DecryptionError):
        crypto.decrypt(key, blob, aad)


def test_encrypting_refuses_a_key_of_the_wrong_length():
    with pytest.raises(ValueError, match="32-byte key"):
        crypto.encrypt(b"k" * 16, b"text", b"")
