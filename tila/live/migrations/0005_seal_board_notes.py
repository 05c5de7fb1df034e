"""Board notes are sealed like every other text a supervisee writes.

Notes of an exercise running while Tila is upgraded are sealed here; there are none on a new
installation, and then no key is touched."""

from django.db import migrations, models


def seal_written_notes(apps, schema_editor):
    BoardNote = apps.get_model("live", "BoardNote")
    plain = BoardNote.objects.exclude(text__startswith="v1.").select_related("round__run")
    if not plain.exists():
        return
    from tila.keys.sealing import seal
    from tila.practices.models import Practice

    practices = {}
    for note in plain:
        practice_id = note.round.run.practice_id
        if practice_id not in practices:
            practices[practice_id] = Practice.objects.get(pk=practice_id)
        note.text = seal(
            practices[practice_id], note.text, context=f"live.BoardNote.text:{note.uuid}"
        )
        note.save(update_fields=["text"])


class Migration(migrations.Migration):
    dependencies = [
        ("keys", "0002_seal_mfa_secrets"),
        ("live", "0004_merge_board_and_own_decks"),
    ]

    operations = [
        migrations.AlterField(
            model_name="boardnote",
            name="text",
            field=models.TextField(verbose_name="text of the note (sealed)"),
        ),
        migrations.RunPython(seal_written_notes, migrations.RunPython.noop),
    ]
