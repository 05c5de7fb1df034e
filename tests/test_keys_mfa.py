"""The second factor's secrets are sealed at rest and follow the master key's rotation."""

import importlib
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from tests.factories import enrol_totp, make_user, totp_code
from tests.keys_helpers import forget_everything, isolate_keys
from tila.keys import masterkeys
from tila.keys.mfa import MfaSecretError, open_secret, reseal_mfa_secrets, seal_secret

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var(settings, tmp_path, monkeypatch):
    return isolate_keys(settings, tmp_path, monkeypatch)


def stored(authenticator: Authenticator) -> str:
    """The authenticator's data as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE id = %s", [authenticator.pk])
        return str(cursor.fetchone()[0])


def test_an_authenticator_apps_key_is_stored_sealed_and_still_checks_codes():
    user = make_user("aino@example.fi", "Aino Aalto")
    secret = generate_totp_secret()
    authenticator = enrol_totp(user, secret)
    raw = stored(authenticator)
    assert secret not in raw
    assert f"mfa1:{masterkeys.load().current.key_id}:" in raw
    assert TOTP(authenticator).validate_code(totp_code(secret))


def test_the_recovery_codes_seed_is_sealed():
    user = make_user("aino@example.fi", "Aino Aalto")
    codes = RecoveryCodes.activate(user)
    seed = open_secret(codes.instance.data["seed"])
    assert seed not in stored(codes.instance)
    assert codes.validate_code(codes.get_unused_codes()[0])


def test_a_changed_or_unsealed_secret_is_refused():
    token = seal_secret("JBSWY3DPEHPK3PXP")
    assert open_secret(token) == "JBSWY3DPEHPK3PXP"
    prefix, key_id, body = token.split(":", 2)
    flipped = body[:10] + ("A" if body[10] != "A" else "B") + body[11:]
    with pytest.raises(MfaSecretError):
        open_secret(f"{prefix}:{key_id}:{flipped}")
    with pytest.raises(MfaSecretError):
        open_secret("JBSWY3DPEHPK3PXP")


def test_rotating_the_master_key_reseals_the_secrets_and_the_old_key_can_go(var):
    user = make_user("aino@example.fi", "Aino Aalto")
    secret = generate_totp_secret()
    authenticator = enrol_totp(user, secret)
    old_id = masterkeys.load().current.key_id
    call_command("rotate_master_key", stdout=StringIO())
    call_command("rotate_master_key", "--retire-old", stdout=StringIO())
    forget_everything()
    new_id = masterkeys.load().current.key_id
    assert new_id != old_id
    authenticator.refresh_from_db()
    assert authenticator.data["secret"].startswith(f"mfa1:{new_id}:")
    assert TOTP(authenticator).validate_code(totp_code(secret))


def test_secrets_stored_before_sealing_are_sealed_by_the_migration_and_by_reseal():
    user = make_user("aino@example.fi", "Aino Aalto")
    other = make_user("eero@example.fi", "Eero Berg")
    plain = [generate_totp_secret(), generate_totp_secret()]
    rows = [
        Authenticator.objects.create(
            user=person, type=Authenticator.Type.TOTP, data={"secret": secret}
        )
        for person, secret in zip((user, other), plain, strict=True)
    ]
    migration = importlib.import_module("tila.keys.migrations.0002_seal_mfa_secrets")
    migration.seal_existing(apps, None)
    rows[0].refresh_from_db()
    assert open_secret(rows[0].data["secret"]) == plain[0]
    Authenticator.objects.filter(pk=rows[1].pk).update(data={"secret": plain[1]})
    assert reseal_mfa_secrets() == 1
    rows[1].refresh_from_db()
    assert open_secret(rows[1].data["secret"]) == plain[1]
    assert reseal_mfa_secrets() == 0
