"""Absences reported from the portal, and a sequence number for calendar files.

Adding a NOT NULL column makes SQLite remake ``meetings_meeting``, which drops the triggers
that keep a supervisor's meetings from overlapping (0002): they are created again here."""

from importlib import import_module

from django.db import migrations, models

no_overlap = import_module("tila.meetings.migrations.0002_meeting_no_overlap")


def recreate_sqlite_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in [*no_overlap.SQLITE_BACKWARD, *no_overlap.SQLITE_FORWARD]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0001_initial"),
        ("meetings", "0002_meeting_no_overlap"),
    ]

    operations = [
        migrations.AddField(
            model_name="attendance",
            name="absence_late",
            field=models.BooleanField(default=False, verbose_name="absence reported late"),
        ),
        migrations.AddField(
            model_name="attendance",
            name="absence_reported_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="absence reported at"),
        ),
        migrations.AddField(
            model_name="meeting",
            name="sequence",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddConstraint(
            model_name="attendance",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("absence_late", False),
                    ("absence_reported_at__isnull", False),
                    _connector="OR",
                ),
                name="attendance_late_absence_reported",
            ),
        ),
        # Runs on the way back too: removing the column remakes the table again.
        migrations.RunPython(recreate_sqlite_triggers, recreate_sqlite_triggers),
    ]
