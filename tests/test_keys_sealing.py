"""Sealing text with per-practice data keys wrapped by a master key outside the database."""

import base64
import stat

import pytest
from django.db import IntegrityError, transaction

from tests.factories import make_practice
from tests.keys_helpers import forget_everything, isolate_keys
from tila.keys import masterkeys
from tila.keys.models import DataKey, SealedCheck
from tila.keys.sealing import seal, token_key_id, unseal
from tila.lib import crypto
from tila.lib.crypto import DecryptionError

pytestmark = pytest.mark.django_db

CONTEXT = "notes.Note.body:5b0e4c8e-0000-4000-8000-000000000001"


@pytest.fixture(autouse=True)
def var(settings, tmp_path, monkeypatch):
    return isolate_keys(settings, tmp_path, monkeypatch)


@pytest.fixture
def practice():
    return make_practice("aalto", "Työnohjaus Aalto")


@pytest.fixture
def other_practice():
    return make_practice("berg", "Työnohjaus Berg")


def flip(token: str, index: int) -> str:
    """The token with one byte of its ciphertext changed."""
    prefix, body = token.rsplit(".", 1)
    blob = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    blob[index] ^= 0x01
    return f"{prefix}.{base64.urlsafe_b64encode(bytes(blob)).rstrip(b'=').decode()}"


def test_sealed_text_reads_back_and_is_not_in_the_token(practice):
    token = seal(practice, "Tiimi puhui jaksamisesta.", context=CONTEXT)
    data_key = DataKey.objects.get(practice=practice)
    assert token.startswith(f"v1.{data_key.key_id}.")
    assert token_key_id(token) == data_key.key_id
    assert "jaksamisesta" not in token
    assert unseal(practice, token, context=CONTEXT) == "Tiimi puhui jaksamisesta."
    forget_everything()
    assert unseal(practice, token, context=CONTEXT) == "Tiimi puhui jaksamisesta."


def test_sealing_the_same_text_twice_gives_different_tokens(practice):
    assert seal(practice, "sama", context=CONTEXT) != seal(practice, "sama", context=CONTEXT)


def test_the_empty_string_seals_to_the_empty_string_without_a_key(practice):
    assert seal(practice, "", context=CONTEXT) == ""
    assert unseal(practice, "", context=CONTEXT) == ""
    assert token_key_id("") is None
    assert not DataKey.objects.exists()
    assert seal(practice, " ", context=CONTEXT) != " "


def test_a_context_is_required(practice):
    with pytest.raises(ValueError, match="context"):
        seal(practice, "text", context="")
    with pytest.raises(ValueError, match="context"):
        unseal(practice, "", context="")


def test_the_first_seal_creates_one_data_key_and_a_check_value(practice, var):
    assert not (var / "master_keys").exists()
    seal(practice, "yksi", context=CONTEXT)
    seal(practice, "kaksi", context=CONTEXT)
    data_key = DataKey.objects.get(practice=practice)
    ring = masterkeys.load()
    assert data_key.retired_at is None
    assert data_key.master_key_id == ring.current.key_id
    check = SealedCheck.objects.get(practice=practice)
    assert unseal(practice, check.value, context=check.seal_context()) == SealedCheck.TEXT


def test_the_data_key_is_stored_only_wrapped(practice):
    seal(practice, "text", context=CONTEXT)
    data_key = DataKey.objects.get(practice=practice)
    wrapped = bytes(data_key.wrapped)
    assert len(wrapped) == 12 + 32 + 16
    ring = masterkeys.load()
    aad = f"tila.keys.DataKey|{practice.uuid}|{data_key.key_id}".encode()
    key = crypto.decrypt(ring.current.key, wrapped, aad)
    assert key not in wrapped


@pytest.mark.parametrize("index", [0, 11, 12, -17, -1])
def test_flipping_one_byte_of_a_token_fails_to_decrypt(practice, index):
    token = seal(practice, "Luottamuksellinen", context=CONTEXT)
    with pytest.raises(DecryptionError):
        unseal(practice, flip(token, index), context=CONTEXT)


@pytest.mark.parametrize(
    "broken",
    ["v2.{key}.{body}", "v1.{key}", "v1.ffffffffffff.{body}", "v1.{key}.{body}!", "plain text"],
)
def test_a_malformed_token_fails_to_decrypt(practice, broken):
    token = seal(practice, "Luottamuksellinen", context=CONTEXT)
    _version, key, body = token.split(".")
    with pytest.raises(DecryptionError):
        unseal(practice, broken.format(key=key, body=body), context=CONTEXT)


def test_a_token_moved_to_another_row_fails_to_decrypt(practice):
    token = seal(practice, "Rivin oma teksti", context=CONTEXT)
    with pytest.raises(DecryptionError):
        unseal(practice, token, context="notes.Note.body:another-row")
    with pytest.raises(DecryptionError):
        unseal(practice, token, context=CONTEXT.replace("body", "title"))


def test_another_practices_token_fails_to_decrypt(practice, other_practice):
    token = seal(practice, "Aallon asiakkaan asia", context=CONTEXT)
    seal(other_practice, "Bergin asia", context=CONTEXT)
    with pytest.raises(DecryptionError, match="not sealed under a key of this practice"):
        unseal(other_practice, token, context=CONTEXT)


def test_a_wrapped_key_copied_to_another_practice_does_not_unwrap(practice, other_practice):
    token = seal(practice, "Aallon asia", context=CONTEXT)
    data_key = DataKey.objects.get(practice=practice)
    forged = DataKey.objects.create(
        practice=other_practice,
        key_id="copied000001",
        wrapped=data_key.wrapped,
        master_key_id=data_key.master_key_id,
    )
    forget_everything()
    moved = token.replace(data_key.key_id, forged.key_id)
    with pytest.raises(masterkeys.MasterKeyError, match="does not unwrap"):
        unseal(other_practice, moved, context=CONTEXT)


def test_a_database_dump_alone_decrypts_nothing(practice, var):
    token = seal(practice, "Vain avaimella luettava", context=CONTEXT)
    (var / "master_keys").unlink()
    forget_everything()  # a fresh process, as an attacker holding only the dump would have
    with pytest.raises(masterkeys.MasterKeyMissing, match="restore the key file"):
        unseal(practice, token, context=CONTEXT)
    with pytest.raises(masterkeys.MasterKeyMissing):
        seal(practice, "more", context=CONTEXT)
    assert not (var / "master_keys").exists()


def test_a_new_practice_is_not_given_a_new_key_file_when_the_real_one_is_lost(
    practice, other_practice, var
):
    seal(practice, "text", context=CONTEXT)
    (var / "master_keys").unlink()
    forget_everything()
    with pytest.raises(masterkeys.MasterKeyMissing):
        seal(other_practice, "text", context=CONTEXT)
    assert not (var / "master_keys").exists()


def test_another_master_key_cannot_unwrap(practice, var):
    token = seal(practice, "text", context=CONTEXT)
    key_id = masterkeys.load().current.key_id
    masterkeys.write_file((masterkeys.MasterKey(key_id, crypto.generate_key()),))
    forget_everything()
    with pytest.raises(masterkeys.MasterKeyError, match="does not unwrap"):
        unseal(practice, token, context=CONTEXT)


def test_the_master_key_file_is_private_and_created_once(practice, other_practice, var):
    seal(practice, "text", context=CONTEXT)
    path = var / "master_keys"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    content = path.read_text()
    forget_everything()
    seal(other_practice, "text", context=CONTEXT)
    assert path.read_text() == content
    keys = [line for line in content.splitlines() if line and not line.startswith("#")]
    assert len(keys) == 1
    key_id, encoded = keys[0].split(":")
    assert len(base64.b64decode(encoded)) == 32
    assert DataKey.objects.filter(master_key_id=key_id).count() == 2
    assert [path.name] == [entry.name for entry in var.iterdir()]


def test_a_key_file_that_others_can_read_is_refused(practice, var):
    token = seal(practice, "text", context=CONTEXT)
    (var / "master_keys").chmod(0o644)
    forget_everything()
    with pytest.raises(masterkeys.MasterKeyError, match="chmod 600"):
        unseal(practice, token, context=CONTEXT)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("# only a comment\n", "holds no master key"),
        ("abc\n", "expected <key id>:<base64 key>"),
        ("a b:AAAA\n", "expected <key id>:<base64 key>"),
        ("abc:not base64!\n", "not valid base64"),
        ("abc:AAAA\n", "must be 32 bytes"),
    ],
)
def test_a_malformed_key_file_is_refused_without_showing_keys(var, content, message):
    var.mkdir()
    (var / "master_keys").write_text(content)
    (var / "master_keys").chmod(0o600)
    with pytest.raises(masterkeys.MasterKeyError, match=message) as error:
        masterkeys.load()
    assert "not base64!" not in str(error.value)


def test_a_key_id_used_twice_is_refused(var):
    key = masterkeys.new_key()
    var.mkdir()
    (var / "master_keys").write_text(f"{key.encoded()}\n{key.encoded()}\n")
    (var / "master_keys").chmod(0o600)
    with pytest.raises(masterkeys.MasterKeyError, match="appears twice"):
        masterkeys.load()


def test_the_master_key_can_come_from_the_environment(practice, var, monkeypatch):
    old, new = masterkeys.new_key(), masterkeys.new_key()
    monkeypatch.setenv("TILA_MASTER_KEY", f" {old.encoded()} , {new.encoded()} ")
    token = seal(practice, "Ympäristön avaimella", context=CONTEXT)
    assert DataKey.objects.get(practice=practice).master_key_id == new.key_id
    assert not var.exists()
    forget_everything()
    assert unseal(practice, token, context=CONTEXT) == "Ympäristön avaimella"
    monkeypatch.setenv("TILA_MASTER_KEY", old.encoded())
    forget_everything()
    with pytest.raises(masterkeys.MasterKeyError, match="TILA_MASTER_KEY"):
        unseal(practice, token, context=CONTEXT)


def test_the_master_key_repr_hides_the_key():
    key = masterkeys.new_key()
    assert base64.b64encode(key.key).decode() not in repr(key)
    assert repr(key.key) not in repr(key)


def test_a_practice_has_at_most_one_current_data_key(practice):
    seal(practice, "text", context=CONTEXT)
    with pytest.raises(IntegrityError), transaction.atomic():
        DataKey.objects.create(practice=practice, wrapped=b"x", master_key_id="m")


def test_a_changed_key_file_is_seen_without_restarting(practice, var):
    seal(practice, "text", context=CONTEXT)
    first = masterkeys.load()
    added = masterkeys.new_key(first.keys)
    path = var / "master_keys"
    path.write_text(path.read_text() + added.encoded() + "\n")
    assert masterkeys.load().current == added
