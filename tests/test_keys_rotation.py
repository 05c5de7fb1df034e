"""Rotating master keys and data keys, the sealed-field registry and verify_keys."""

import stat
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import make_practice
from tests.keys_helpers import (
    forget_everything,
    isolate_keys,
    read_bio,
    register_bio,
    seal_bio,
)
from tila.keys import masterkeys, registry
from tila.keys.models import DataKey, SealedCheck
from tila.keys.sealing import token_key_id, unseal
from tila.practices.models import Practice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var(settings, tmp_path, monkeypatch):
    return isolate_keys(settings, tmp_path, monkeypatch)


@pytest.fixture
def practices():
    """Two practices with sealed text in a registered field."""
    register_bio()
    first = make_practice("aalto", "Työnohjaus Aalto")
    second = make_practice("berg", "Työnohjaus Berg")
    seal_bio(first, "Aallon salaisuus")
    seal_bio(second, "Bergin salaisuus")
    return first, second


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def file_key_ids(var) -> list[str]:
    lines = (var / "master_keys").read_text().splitlines()
    return [line.split(":")[0] for line in lines if line and not line.startswith("#")]


def check_values() -> dict[int, str]:
    return dict(SealedCheck.objects.values_list("practice_id", "value"))


def test_rotating_the_master_key_rewraps_every_data_key_and_everything_still_reads(practices, var):
    old_id = masterkeys.load().current.key_id
    checks = check_values()
    output = run("rotate_master_key")
    new_id = masterkeys.load().current.key_id
    assert new_id != old_id
    assert "re-wrapped 2 data key(s)" in output
    assert file_key_ids(var) == [old_id, new_id]
    assert stat.S_IMODE((var / "master_keys").stat().st_mode) == 0o600
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {new_id}
    assert check_values() == checks  # the data keys are the same; only their wrapping changed
    forget_everything()
    assert [read_bio(p) for p in practices] == ["Aallon salaisuus", "Bergin salaisuus"]
    assert "ok" in run("verify_keys")


def test_old_master_keys_are_removed_only_with_retire_old(practices, var):
    old_id = masterkeys.load().current.key_id
    run("rotate_master_key")
    new_id = masterkeys.load().current.key_id
    output = run("rotate_master_key", "--retire-old")
    assert f"Removed master key(s) {old_id}" in output
    assert file_key_ids(var) == [new_id]
    assert stat.S_IMODE((var / "master_keys").stat().st_mode) == 0o600
    forget_everything()
    assert [read_bio(p) for p in practices] == ["Aallon salaisuus", "Bergin salaisuus"]
    assert "nothing to remove" in run("rotate_master_key", "--retire-old")


def test_retiring_is_refused_while_a_data_key_is_wrapped_under_an_old_master_key(practices, var):
    old_id = masterkeys.load().current.key_id
    masterkeys.write_file((*masterkeys.load().keys, masterkeys.new_key()))  # added, no re-wrap
    with pytest.raises(CommandError, match=f"still wrapped under {old_id}"):
        run("rotate_master_key", "--retire-old")
    assert file_key_ids(var)[0] == old_id
    assert "Re-wrapped 2 data key(s)" in run("rotate_master_key", "--rewrap")
    run("rotate_master_key", "--retire-old")
    forget_everything()
    assert read_bio(practices[0]) == "Aallon salaisuus"


def test_a_failed_rewrap_changes_no_data_key(practices, var):
    first, _second = practices
    broken = DataKey.objects.get(practice=first)
    broken.master_key_id = "lost"
    broken.save()
    wrapped_before = dict(DataKey.objects.values_list("key_id", "wrapped"))
    with pytest.raises(CommandError, match="'lost' is not in"):
        run("rotate_master_key")
    assert dict(DataKey.objects.values_list("key_id", "wrapped")) == wrapped_before
    assert DataKey.objects.filter(master_key_id=file_key_ids(var)[0]).count() == 1


def test_with_the_environment_variable_the_rotation_prints_the_value_to_deploy(
    practices, var, monkeypatch
):
    first, _second = practices
    # Move the file's key into the environment, as an operator would.
    old = masterkeys.load().current
    (var / "master_keys").unlink()
    monkeypatch.setenv("TILA_MASTER_KEY", old.encoded())
    forget_everything()

    output = run("rotate_master_key")
    assert "Nothing is re-wrapped yet" in output
    value = output.strip().splitlines()[-1].removeprefix("TILA_MASTER_KEY=")
    assert value.startswith(old.encoded() + ",")
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {old.key_id}
    assert not (var / "master_keys").exists()

    monkeypatch.setenv("TILA_MASTER_KEY", value)  # deployed and restarted
    assert "Re-wrapped 2 data key(s)" in run("rotate_master_key", "--rewrap")
    new_id = masterkeys.load().current.key_id
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {new_id}

    output = run("rotate_master_key", "--retire-old")
    only_new = output.strip().splitlines()[-1].removeprefix("TILA_MASTER_KEY=")
    assert only_new == masterkeys.load().current.encoded()
    monkeypatch.setenv("TILA_MASTER_KEY", only_new)
    forget_everything()
    assert read_bio(first) == "Aallon salaisuus"


def test_rotating_data_keys_reencrypts_every_value_and_retires_the_old_key(practices):
    first, second = practices
    old_keys = {p.pk: DataKey.objects.get(practice=p).key_id for p in practices}
    old_tokens = {p.pk: p.bio for p in practices}
    old_checks = check_values()

    output = run("rotate_data_keys")

    assert "Rotated 2 practice(s)." in output
    for practice in practices:
        practice.refresh_from_db()
        current = DataKey.objects.get(practice=practice, retired_at__isnull=True)
        old = DataKey.objects.get(key_id=old_keys[practice.pk])
        assert old.retired_at is not None
        assert current.key_id != old.key_id
        assert f"retired {old.key_id}, re-encrypted 2 value(s)" in output
        assert practice.bio != old_tokens[practice.pk]
        assert token_key_id(practice.bio) == current.key_id
        check = SealedCheck.objects.get(practice=practice)
        assert check.value != old_checks[practice.pk]
        assert token_key_id(check.value) == current.key_id
    forget_everything()
    assert [read_bio(p) for p in (first, second)] == ["Aallon salaisuus", "Bergin salaisuus"]
    assert "All keys verified" in run("verify_keys")


def test_rotating_one_practice_leaves_the_others_alone(practices):
    first, second = practices
    second_key = DataKey.objects.get(practice=second).key_id
    run("rotate_data_keys", "--practice", "aalto")
    assert DataKey.objects.filter(practice=first).count() == 2
    assert list(DataKey.objects.filter(practice=second).values_list("key_id", flat=True)) == [
        second_key
    ]
    second.refresh_from_db()
    assert token_key_id(second.bio) == second_key


def test_a_second_data_key_rotation_moves_values_left_under_any_older_key(practices):
    first, _second = practices
    run("rotate_data_keys", "--practice", "aalto")
    retired = DataKey.objects.get(practice=first, retired_at__isnull=False)
    current = DataKey.objects.get(practice=first, retired_at__isnull=True)
    # A value written under the old key by a process that had not yet seen the rotation:
    from tila.keys import sealing

    key = sealing.data_key_bytes(first, retired.key_id)
    straggler = sealing.seal_with(
        first, retired.key_id, key, "Myöhässä", context=f"practices.Practice.bio:{first.uuid}"
    )
    Practice.objects.filter(pk=first.pk).update(bio=straggler)
    assert read_bio(first) == "Myöhässä"

    output = run("rotate_data_keys", "--practice", "aalto")

    assert "re-encrypted 2 value(s)" in output
    newest = DataKey.objects.get(practice=first, retired_at__isnull=True)
    assert newest.key_id not in {retired.key_id, current.key_id}
    first.refresh_from_db()
    assert token_key_id(first.bio) == newest.key_id
    assert read_bio(first) == "Myöhässä"


def test_a_value_that_does_not_decrypt_stops_the_data_key_rotation_and_changes_nothing(
    practices,
):
    first, second = practices
    Practice.objects.filter(pk=second.pk).update(bio=first.bio)  # moved to another row
    keys_before = list(DataKey.objects.order_by("pk").values_list("key_id", "retired_at"))
    with pytest.raises(CommandError, match=r"practices.Practice.bio of row \d+ does not decrypt"):
        run("rotate_data_keys", "--practice", "aalto")
    keys_after = list(DataKey.objects.order_by("pk").values_list("key_id", "retired_at"))
    assert keys_after == keys_before
    forget_everything()
    assert read_bio(first) == "Aallon salaisuus"


def test_rotating_an_unknown_practice_is_an_error(practices):
    with pytest.raises(CommandError, match="No practice 'nobody'"):
        run("rotate_data_keys", "--practice", "nobody")


def test_practices_that_never_sealed_anything_are_not_given_keys(practices):
    make_practice("tyhja", "Tyhjä praktiikka")
    assert "Rotated 2 practice(s)." in run("rotate_data_keys")
    assert not DataKey.objects.filter(practice__slug="tyhja").exists()
    assert "tyhja: no data key yet" in run("verify_keys")


def test_verify_keys_fails_when_a_check_value_was_tampered_with(practices):
    first, _second = practices
    check = SealedCheck.objects.get(practice=first)
    check.value = check.value[:-2] + ("AA" if not check.value.endswith("AA") else "BB")
    check.save()
    out = StringIO()
    with pytest.raises(CommandError, match="1 practice"):
        call_command("verify_keys", stdout=out)
    assert "aalto: FAILED: the key check value does not decrypt" in out.getvalue()
    assert "berg: ok (1 data key(s))" in out.getvalue()


def test_verify_keys_fails_without_the_master_key(practices, var):
    (var / "master_keys").unlink()
    out = StringIO()
    with pytest.raises(CommandError, match="2 practice"):
        call_command("verify_keys", stdout=out)
    assert "does not exist" in out.getvalue()


def test_the_registry_lists_sealed_fields_and_accepts_only_text_fields(practices):
    labels = {field.label for field in registry.sealed_fields()}
    assert "keys.SealedCheck.value" in labels
    assert "practices.Practice.bio" in labels
    register_bio()  # registering again replaces, never duplicates
    assert [f.label for f in registry.sealed_fields()].count("practices.Practice.bio") == 1
    with pytest.raises(TypeError, match="text field"):
        registry.register_sealed_field(Practice, "created_at", lambda p: "x")


def test_a_sealed_check_value_reads_with_its_own_context_only(practices):
    first, _second = practices
    check = SealedCheck.objects.get(practice=first)
    assert unseal(first, check.value, context=check.seal_context()) == "Tila key check"
