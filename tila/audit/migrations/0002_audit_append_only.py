"""The audit log is append-only: the database itself refuses UPDATE, DELETE and TRUNCATE.

One change is allowed: setting ``actor_id`` to NULL and nothing else, which is what
deleting (erasing) a user does through ``on_delete=SET_NULL``. The hash chain does not
cover ``actor_id``; ``actor_label`` keeps who acted.

SQLite gets triggers that abort the write; PostgreSQL a trigger function. Both raise
IntegrityError. Emptying an already empty table is let through on PostgreSQL so that
test databases can still be flushed; on SQLite a DELETE of no rows fires no trigger.

A later migration that makes Django remake this table on SQLite (changing a column's type
or a constraint) drops these triggers with the old table: it must create them again.
``tests/test_audit_append_only.py`` fails if they are missing."""

from django.db import migrations

COLUMNS = [
    "id",
    '"at"',
    "actor_label",
    "actor_role",
    "practice_id",
    "object_type",
    "object_id",
    '"action"',
    "outcome",
    "detail",
    '"sequence"',
    "prev_hash",
    '"hash"',
]
UNCHANGED = " AND ".join(f"NEW.{column} IS OLD.{column}" for column in COLUMNS)

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit_auditevent
    WHEN NOT (OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL AND {UNCHANGED})
    BEGIN
        SELECT RAISE(ABORT, 'audit_append_only');
    END""",
    """
    CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'audit_append_only');
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_append_only_update",
    "DROP TRIGGER IF EXISTS audit_append_only_delete",
]

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
           AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
            RETURN NEW;
        END IF;
        IF TG_OP = 'TRUNCATE' AND NOT EXISTS (SELECT 1 FROM audit_auditevent) THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION USING
            MESSAGE = 'audit_append_only: ' || TG_OP || ' on the audit log is refused',
            ERRCODE = 'integrity_constraint_violation';
    END
    $$""",
    """CREATE TRIGGER audit_append_only_row BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
    """CREATE TRIGGER audit_append_only_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_append_only_truncate ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_append_only_row ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_append_only()",
]


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
