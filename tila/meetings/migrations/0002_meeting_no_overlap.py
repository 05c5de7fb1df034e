"""No two of a supervisor's active meetings may overlap: a guarantee in the database.

PostgreSQL has exclusion constraints; SQLite gets triggers that abort the write. Both
raise IntegrityError, which ``tila.meetings.actions`` turns into a form error."""

from django.db import migrations

BLOCKING = "('planned', 'held', 'no_show')"

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE meetings_meeting ADD CONSTRAINT meeting_no_overlap
        EXCLUDE USING gist (supervisor_id WITH =, tstzrange("start", "end", '[)') WITH &&)
        WHERE (status IN {BLOCKING})""",
]
POSTGRES_BACKWARD = ["ALTER TABLE meetings_meeting DROP CONSTRAINT meeting_no_overlap"]


def sqlite_trigger(name: str, event: str, exclude_self: str) -> str:
    return f"""
    CREATE TRIGGER {name} BEFORE {event} ON meetings_meeting
    WHEN NEW.status IN {BLOCKING}
    BEGIN
        SELECT RAISE(ABORT, 'meeting_no_overlap') WHERE EXISTS (
            SELECT 1 FROM meetings_meeting AS other
            WHERE other.supervisor_id = NEW.supervisor_id
              AND other.status IN {BLOCKING}
              AND other."start" < NEW."end" AND other."end" > NEW."start"
              {exclude_self}
        );
    END"""


SQLITE_FORWARD = [
    sqlite_trigger("meeting_no_overlap_insert", "INSERT", ""),
    sqlite_trigger(
        "meeting_no_overlap_update",
        'UPDATE OF "start", "end", status, supervisor_id',
        "AND other.id != NEW.id",
    ),
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS meeting_no_overlap_insert",
    "DROP TRIGGER IF EXISTS meeting_no_overlap_update",
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
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
