"""Key rotation and verification, used by the management commands of the same names."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tila.keys import masterkeys, sealing
from tila.keys.mfa import master_keys_in_use, reseal_mfa_secrets
from tila.keys.models import DataKey, SealedCheck
from tila.keys.registry import SealedField, sealed_fields
from tila.lib.crypto import DecryptionError
from tila.practices.models import Practice

BATCH = 500


class RotationError(Exception):
    """A rotation was refused or failed; nothing was changed."""


@dataclass(frozen=True)
class MasterRotation:
    new_key_id: str
    rewrapped: int
    env_value: str | None  # set when TILA_MASTER_KEY is used: the value to deploy next


def rotate_master_key() -> MasterRotation:
    """Add a new master key and re-wrap every data key under it.

    With the key file, the new key is appended to the file *before* the data keys are
    re-wrapped (in one transaction), so a failure leaves every data key readable. The old
    keys stay in the file until ``retire_old_master_keys()``.

    With ``TILA_MASTER_KEY`` nothing is changed: the environment of the running processes
    cannot be edited from here, and re-wrapping before they know the new key would make the
    data unreadable to them (and lost if the printed value were never deployed). The caller
    prints the returned value; after it is deployed, ``rewrap_data_keys()`` finishes the job.
    """
    if masterkeys.uses_env():
        ring = masterkeys.load()
        new = masterkeys.new_key(ring.keys)
        value = ",".join([*(key.encoded() for key in ring.keys), new.encoded()])
        return MasterRotation(new.key_id, 0, value)
    try:
        keys = masterkeys.load().keys
    except masterkeys.MasterKeyMissing:
        if DataKey.objects.exists():
            raise
        keys = ()
    new = masterkeys.new_key(keys)
    masterkeys.write_file((*keys, new))
    return MasterRotation(new.key_id, rewrap_data_keys(), None)


def rewrap_data_keys() -> int:
    """Re-wrap every data key that is not under the current master key, and reseal the
    second factors' secrets under it; return how many data keys were re-wrapped."""
    ring = masterkeys.load()
    count = 0
    with transaction.atomic():
        stale = (
            DataKey.objects.select_for_update()
            .exclude(master_key_id=ring.current.key_id)
            .select_related("practice")
            .order_by("pk")
        )
        for data_key in stale:
            key = sealing.unwrap(data_key.practice, data_key, ring)
            data_key.wrapped = sealing.wrap(data_key.practice, data_key.key_id, key, ring.current)
            data_key.master_key_id = ring.current.key_id
            data_key.save(update_fields=["wrapped", "master_key_id"])
            count += 1
        reseal_mfa_secrets()
    return count


def retire_old_master_keys() -> tuple[list[str], str | None]:
    """Remove every master key but the current one; refuse while a data key still uses one.

    Returns the removed key ids and, with ``TILA_MASTER_KEY``, the value to deploy instead.
    """
    ring = masterkeys.load()
    in_use = set(
        DataKey.objects.exclude(master_key_id=ring.current.key_id).values_list(
            "master_key_id", flat=True
        )
    ) | (master_keys_in_use() - {ring.current.key_id})
    if in_use:
        raise RotationError(
            "Data keys or second-factor secrets are still wrapped under "
            f"{', '.join(sorted(in_use))}; run rotate_master_key --rewrap first."
        )
    removed = [key.key_id for key in ring.keys[:-1]]
    if ring.source == "env":
        return removed, ring.current.encoded()
    if removed:
        masterkeys.write_file((ring.current,))
    return removed, None


@dataclass(frozen=True)
class DataRotation:
    practice: Practice
    new_key_id: str
    retired_key_id: str | None
    resealed: int


def rotate_data_key(practice: Practice) -> DataRotation:
    """Give ``practice`` a new data key, re-encrypt every registered sealed value under it
    and retire the old key, all in one transaction (on any failure nothing changes).

    Values are found by the key id written in their token, so everything the practice sealed
    under any of its older keys moves to the new one. Retired keys are kept: a value written
    under the old key by another process during the rotation still reads, and the next
    rotation picks it up.
    """
    with transaction.atomic():
        old = list(DataKey.objects.select_for_update().filter(practice=practice).order_by("pk"))
        if not old:  # nothing sealed yet: just the first key (and its check value)
            first, _key = sealing.current_data_key(practice)
            return DataRotation(practice, first.key_id, None, 0)
        DataKey.objects.filter(practice=practice, retired_at__isnull=True).update(
            retired_at=timezone.now()
        )
        new_key, key = sealing.create_data_key(practice)
        old_ids = [data_key.key_id for data_key in old]
        current = next((data_key.key_id for data_key in old if data_key.retired_at is None), None)
        resealed = 0
        for sealed in sealed_fields():
            resealed += _reseal(practice, sealed, old_ids, new_key.key_id, key)
    return DataRotation(practice, new_key.key_id, current, resealed)


def _reseal(
    practice: Practice, sealed: SealedField, old_ids: list[str], new_key_id: str, key: bytes
) -> int:
    name = sealed.field_name
    under_old = Q()
    for key_id in old_ids:
        under_old |= Q(**{f"{name}__startswith": f"{sealing.VERSION}.{key_id}."})
    manager = sealed.model._default_manager
    pks = list(manager.filter(under_old).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        rows = list(manager.filter(pk__in=pks[start : start + BATCH]))
        for row in rows:
            context = sealed.context_fn(row)
            try:
                plaintext = sealing.unseal(practice, getattr(row, name), context=context)
            except DecryptionError as error:
                raise RotationError(
                    f"{sealed.label} of row {row.pk} does not decrypt ({error}); nothing changed."
                ) from None
            setattr(
                row, name, sealing.seal_with(practice, new_key_id, key, plaintext, context=context)
            )
        manager.bulk_update(rows, [name])
    return len(pks)


@dataclass
class Verification:
    practice: Practice
    data_keys: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_practice(practice: Practice) -> Verification:
    """Unwrap each of the practice's data keys and unseal its check value."""
    result = Verification(practice)
    data_keys = list(DataKey.objects.filter(practice=practice).order_by("pk"))
    result.data_keys = len(data_keys)
    if not data_keys:
        return result
    sealing.forget_cached_keys()  # prove the keys unwrap now, not from memory
    for data_key in data_keys:
        try:
            sealing.unwrap(practice, data_key, masterkeys.load())
        except masterkeys.MasterKeyError as error:
            result.problems.append(f"data key {data_key.key_id}: {error}")
    check = SealedCheck.objects.filter(practice=practice).first()
    if check is None:
        result.problems.append("the key check value is missing")
        return result
    try:
        text = sealing.unseal(practice, check.value, context=check.seal_context())
    except (DecryptionError, masterkeys.MasterKeyError) as error:
        result.problems.append(f"the key check value does not decrypt: {error}")
    else:
        if text != SealedCheck.TEXT:
            result.problems.append("the key check value decrypts to the wrong text")
    return result
