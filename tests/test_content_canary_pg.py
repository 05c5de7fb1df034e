"""Confidential texts written through Tila's actions never appear in a PostgreSQL dump.

Notes, a shared summary and its earlier version, a journal entry, a topic, a statement, an
inquiry's need, a free-text evaluation answer and a note on a live board are written with random
canaries; a client's name is the control, stored in plain text, which proves that the dump holds
the data."""

import os
import secrets
import shutil
import subprocess

import pytest
import time_machine
from django.db import connection

from tests.factories import World, at
from tests.intake_helpers import make_inquiry
from tests.test_deploy import clean_environ
from tila.evaluations.actions import measure_questionnaire, open_round, submit_answers
from tila.evaluations.models import Item, ItemKind
from tila.journal.actions import write_entry
from tila.journal.models import Prompt
from tila.live.actions import act_on_board, join_run, start_run
from tila.notes.actions import create_note, lock_note, save_note
from tila.portal.actions import invite_supervisee
from tila.statements.actions import create_statement
from tila.topics.actions import send_topic


def pg_dump() -> bytes:
    db = connection.settings_dict
    command = [
        shutil.which("pg_dump") or "/usr/bin/pg_dump",
        "--no-owner",
        "--host",
        db["HOST"] or "127.0.0.1",
        "--dbname",
        db["NAME"],
        "--username",
        db["USER"] or "postgres",
    ]
    if db["PORT"]:
        command += ["--port", str(db["PORT"])]
    env = {**clean_environ(), "PGPASSWORD": db["PASSWORD"] or ""}
    return subprocess.run(command, env=env, capture_output=True, check=True).stdout  # noqa: S603


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_no_content_canary_is_in_a_postgresql_dump(world: World) -> None:
    canaries = [f"KANARIA-{secrets.token_hex(10)}" for _ in range(10)]
    note = create_note(
        contract=world.contract,
        meeting=world.meeting,
        kind="private",
        outline="blank",
        actor=world.owner,
    )
    save_note(note=note, text=canaries[0], actor=world.owner)
    lock_note(note=note, actor=world.owner)
    save_note(note=note, text=canaries[1], actor=world.owner, reason=canaries[2])
    summary = create_note(
        contract=world.contract,
        meeting=world.meeting,
        kind="summary",
        outline="blank",
        actor=world.owner,
    )
    save_note(note=summary, text=canaries[3], actor=world.owner)
    member = world.client.members.select_related("person").order_by("pk").first()
    assert member is not None
    account = invite_supervisee(member=member, actor=world.owner)
    write_entry(person=member.person, prompt=Prompt.HELPED, text=canaries[4], actor=account.user)
    with time_machine.travel(at(2026, 11, 15, 12), tick=False):
        send_topic(
            meeting=world.meeting,
            person=member.person,
            actor=account.user,
            text=canaries[5],
            share_with_group=False,
        )
    create_statement(contract=world.contract, text=canaries[6], actor=world.owner)
    make_inquiry(world.practice, need=canaries[7])
    evaluation = open_round(
        contract=world.contract,
        questionnaire=measure_questionnaire(world.practice, "session_feedback"),
        anonymous=True,
        k=3,
        actor=world.owner,
    )
    items = Item.objects.filter(section__questionnaire=evaluation.questionnaire)
    submit_answers(
        evaluation=evaluation,
        person=member.person,
        actor=account.user,
        values={
            item: 7 if item.is_numeric else ([0] if item.kind == ItemKind.MULTIPLE else canaries[8])
            for item in items
        },
    )

    wall = start_run(
        meeting=world.meeting, actor=world.owner, method="board", layout="free", prompt="Mitä?"
    )
    writer = join_run(run=wall, user=None, name="")
    act_on_board(participant=writer, data={"action": "write", "text": canaries[9], "area": 0})

    dump = pg_dump()
    assert world.client.name.encode() in dump  # the control
    for canary in canaries:
        assert canary.encode() not in dump
