"""Seal the second factors' secrets that allauth stored in the clear before Tila sealed them."""

from django.db import migrations


def seal_existing(apps, schema_editor):
    Authenticator = apps.get_model("mfa", "Authenticator")
    if not Authenticator.objects.exists():
        return
    from tila.keys.mfa import PREFIX, seal_secret

    for authenticator in Authenticator.objects.order_by("pk"):
        data = dict(authenticator.data)
        changed = False
        for name in ("secret", "seed"):
            value = data.get(name)
            if isinstance(value, str) and not value.startswith(f"{PREFIX}:"):
                data[name] = seal_secret(value)
                changed = True
        codes = data.get("migrated_codes")
        if isinstance(codes, list):
            sealed = [c if c.startswith(f"{PREFIX}:") else seal_secret(c) for c in codes]
            changed = changed or sealed != codes
            data["migrated_codes"] = sealed
        if changed:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("keys", "0001_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(seal_existing, migrations.RunPython.noop)]
