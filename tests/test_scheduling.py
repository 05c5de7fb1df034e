"""Scheduling polls: candidate times proposed to a group, answered through each member's own
link, and the best times turned into meetings in one step."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client as HttpClient
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.factories import World, at, make_meeting
from tests.mail_helpers import SmtpServer, body
from tests.scheduling_helpers import STARTS, link_of, make_poll, slots
from tila.clients.models import Client, ClientKind, ClientMember, Person
from tila.contracts.models import ContractEvent, EventKind
from tila.meetings.actions import MeetingConflict
from tila.meetings.models import Meeting
from tila.portal.actions import invite_supervisee
from tila.privacy.actions import erase_subject, erasure_plan, export_subject
from tila.scheduling import actions
from tila.scheduling.links import hash_token, invitee_for_token, issue_link
from tila.scheduling.models import (
    Choice,
    PollAnswer,
    PollInvitee,
    PollStatus,
    PollTime,
    SchedulePoll,
)
from tila.scheduling.results import tally

NOW = at(2026, 11, 2, 8)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield


def members(world: World) -> list[ClientMember]:
    return list(world.client.current_members().order_by("person__name"))


def in_english(world: World) -> None:
    """The members read Tila's mail and pages in English."""
    Person.objects.filter(memberships__client=world.client).update(language="en")


def answer(poll: SchedulePoll, member: ClientMember, *choices: str) -> None:
    invitee = poll.invitees.get(member=member)
    times = list(poll.times.order_by("start"))
    actions.answer_poll(invitee=invitee, answers=dict(zip(times, choices, strict=True)))


def nothing_saved() -> bool:
    return not (
        SchedulePoll.objects.exists()
        or PollTime.objects.exists()
        or PollInvitee.objects.exists()
        or DBTaskResult.objects.filter(task_path__endswith="deliver_poll_link").exists()
    )


# Opening a poll ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_poll_asks_every_current_member_and_queues_one_mail_each(world: World):
    left = members(world)[-1]
    left.left_on = NOW.date()
    left.save()
    poll = make_poll(world, starts=[STARTS[2], STARTS[0], STARTS[1]])
    assert [t.start for t in poll.times.order_by("start")] == STARTS
    asked = {invitee.member for invitee in poll.invitees.all()}
    assert asked == set(members(world))
    assert left not in asked
    assert all(invitee.token_hash == "" for invitee in poll.invitees.all())
    queued = DBTaskResult.objects.filter(task_path__endswith="deliver_poll_link")
    assert queued.count() == len(asked)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("times", "deadline", "message"),
    [
        ([], at(2026, 11, 10), "Propose at least one candidate time."),
        (
            [(at(2026, 11, 17, 13), at(2026, 11, 17, 12))],
            at(2026, 11, 10),
            "A candidate time must end after it starts.",
        ),
        (slots([at(2026, 11, 1, 13)]), at(2026, 11, 1, 9), "A candidate time is in the past."),
        (
            slots([STARTS[0], STARTS[0]]),
            at(2026, 11, 10),
            "The same candidate time is proposed twice.",
        ),
        (
            slots([at(2026, 12, 1, 8) + timedelta(days=day) for day in range(21)]),
            at(2026, 11, 10),
            "Propose at most 20 candidate times.",
        ),
        (slots(), at(2026, 11, 1), "The deadline for answers must be in the future."),
        (
            slots(),
            at(2026, 11, 18),
            "The deadline for answers must be before the first candidate time.",
        ),
    ],
)
def test_bad_candidate_times_are_refused_and_nothing_is_saved(
    world: World, times, deadline, message
):
    with pytest.raises(actions.PollError) as refused:
        actions.create_poll(
            contract=world.contract,
            supervisor=world.owner,
            times=times,
            note="",
            deadline=deadline,
            show_names=False,
            actor=world.owner,
        )
    assert refused.value.message == message
    assert nothing_saved()


@pytest.mark.django_db
def test_twenty_candidate_times_are_enough(world: World):
    starts = [at(2026, 12, 1, 8) + timedelta(days=day) for day in range(20)]
    poll = make_poll(world, starts=starts)
    assert poll.times.count() == 20


@pytest.mark.django_db
def test_an_individual_clients_contract_has_no_polls(world: World):
    world.contract.client.kind = ClientKind.INDIVIDUAL
    world.contract.client.save()
    with pytest.raises(actions.PollError, match="groups, teams and work communities"):
        make_poll(world)
    assert nothing_saved()


# Answering --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_member_answers_and_changes_her_answers_until_the_deadline(world: World):
    poll = make_poll(world)
    first = members(world)[0]
    answer(poll, first, Choice.YES, Choice.NO, Choice.IF_NEEDED)
    answer(poll, first, Choice.NO, Choice.YES, Choice.YES)
    saved = PollAnswer.objects.filter(invitee__member=first).order_by("time__start")
    assert [a.choice for a in saved] == [Choice.NO, Choice.YES, Choice.YES]
    assert poll.invitees.get(member=first).answered_at == NOW
    with (
        time_machine.travel(poll.deadline, tick=False),
        pytest.raises(actions.PollError, match="The poll has closed"),
    ):
        answer(poll, first, Choice.YES, Choice.YES, Choice.YES)
    assert [a.choice for a in saved.all()] == [Choice.NO, Choice.YES, Choice.YES]


@pytest.mark.django_db
def test_an_answer_for_another_polls_time_is_refused(world: World):
    poll = make_poll(world)
    other = make_poll(world, starts=[at(2026, 11, 26, 13)])
    invitee = poll.invitees.get(member=members(world)[0])
    answers = dict.fromkeys(poll.times.all(), Choice.YES)
    answers[other.times.get()] = Choice.YES
    with pytest.raises(actions.PollError, match="not in this poll"):
        actions.answer_poll(invitee=invitee, answers=answers)
    assert not PollAnswer.objects.exists()


@pytest.mark.django_db
def test_every_time_must_be_answered_with_a_known_choice(world: World):
    poll = make_poll(world)
    invitee = poll.invitees.get(member=members(world)[0])
    times = list(poll.times.all())
    with pytest.raises(actions.PollError, match="Answer every candidate time"):
        actions.answer_poll(invitee=invitee, answers={times[0]: Choice.YES})
    with pytest.raises(actions.PollError, match="yes, if needed or no"):
        actions.answer_poll(invitee=invitee, answers=dict.fromkeys(times, "maybe"))
    assert not PollAnswer.objects.exists()


@pytest.mark.django_db
def test_the_database_keeps_one_answer_per_member_and_time(world: World):
    poll = make_poll(world)
    invitee = poll.invitees.all()[0]
    time = poll.times.all()[0]
    PollAnswer.objects.create(invitee=invitee, time=time, choice=Choice.YES)
    with pytest.raises(IntegrityError), transaction.atomic():
        PollAnswer.objects.create(invitee=invitee, time=time, choice=Choice.NO)
    with pytest.raises(IntegrityError), transaction.atomic():
        PollAnswer.objects.filter(invitee=invitee).update(choice="maybe")


@pytest.mark.django_db
def test_the_best_times_come_first(world: World):
    poll = make_poll(world)
    a, b, c, *_rest = members(world)
    answer(poll, a, Choice.YES, Choice.YES, Choice.IF_NEEDED)
    answer(poll, b, Choice.NO, Choice.YES, Choice.YES)
    answer(poll, c, Choice.YES, Choice.IF_NEEDED, Choice.YES)
    results = tally(poll)
    assert [(r.time.start, r.yes, r.if_needed, r.no) for r in results] == [
        (STARTS[1], 2, 1, 0),
        (STARTS[2], 2, 1, 0),
        (STARTS[0], 2, 0, 1),
    ]
    assert results[2].names[Choice.NO] == [b.person.name]


# Deciding ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_chosen_times_become_meetings_with_invitations_and_the_poll_closes(world: World):
    poll = make_poll(world)
    world.contract.place = "Kuusela, neuvotteluhuone"
    world.contract.save()
    chosen = list(poll.times.filter(start__in=[STARTS[0], STARTS[2]]))
    meetings = actions.decide_poll(poll=poll, times=chosen, actor=world.owner)
    assert [(m.start, m.place, m.supervisor) for m in meetings] == [
        (STARTS[0], "Kuusela, neuvotteluhuone", world.owner),
        (STARTS[2], "Kuusela, neuvotteluhuone", world.owner),
    ]
    poll.refresh_from_db()
    assert poll.status == PollStatus.DECIDED
    assert {t.meeting for t in poll.times.all()} == {*meetings, None}
    assert ContractEvent.objects.filter(kind=EventKind.MEETINGS_PLANNED).count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="announce_meetings").count() == 1
    with pytest.raises(actions.PollError, match="already been decided"):
        actions.decide_poll(poll=poll, times=chosen, actor=world.owner)


@pytest.mark.django_db
def test_a_clash_with_the_supervisors_other_meeting_saves_nothing(world: World):
    poll = make_poll(world)
    clash = make_meeting(world.colleague_contract, world.owner, STARTS[2] + timedelta(minutes=30))
    before = set(Meeting.objects.values_list("pk", flat=True))
    with pytest.raises(MeetingConflict) as refused:
        actions.decide_poll(poll=poll, times=list(poll.times.all()), actor=world.owner)
    assert [other for _slot, other in refused.value.clashes] == [clash]
    assert set(Meeting.objects.values_list("pk", flat=True)) == before
    poll.refresh_from_db()
    assert poll.status == PollStatus.OPEN
    assert not PollTime.objects.filter(meeting__isnull=False).exists()


@pytest.mark.django_db
def test_a_time_of_another_poll_or_none_at_all_cannot_be_chosen(world: World):
    poll = make_poll(world)
    other = make_poll(world, starts=[at(2026, 11, 26, 13)])
    with pytest.raises(actions.PollError, match="Choose at least one time"):
        actions.decide_poll(poll=poll, times=[], actor=world.owner)
    with pytest.raises(actions.PollError, match="not in this poll"):
        actions.decide_poll(poll=poll, times=list(other.times.all()), actor=world.owner)
    with (
        time_machine.travel(STARTS[1], tick=False),
        pytest.raises(actions.PollError, match="already begun"),
    ):
        actions.decide_poll(poll=poll, times=list(poll.times.all()), actor=world.owner)
    assert not Meeting.objects.filter(contract=world.contract).exclude(pk=world.meeting.pk).exists()


# The supervisor's pages -------------------------------------------------------------------


def new_poll_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "start": ["2026-11-17T13:00", "2026-11-19T09:00", ""],
        "end": ["14:30", "10:30", ""],
        "deadline": "2026-11-10T16:00",
        "note": "Valitaan kevään ensimmäinen kerta.",
        "send": "1",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_the_supervisor_sends_a_poll_from_the_contract(world: World, owner_client: HttpClient):
    page = owner_client.get(reverse("contract", args=[world.contract.uuid]))
    assert reverse("contract_polls", args=[world.contract.uuid]) in page.content.decode()
    url = reverse("new_schedule_poll", args=[world.contract.uuid])
    assert owner_client.get(url).status_code == 200
    response = owner_client.post(url, new_poll_data())
    poll = SchedulePoll.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("schedule_poll", args=[poll.uuid])
    assert [(t.start, t.end) for t in poll.times.all()] == slots(STARTS[:2])
    assert poll.deadline == at(2026, 11, 10, 16)
    assert poll.show_names is False
    listing = owner_client.get(reverse("contract_polls", args=[world.contract.uuid]))
    assert "0/5" in listing.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start": ["", ""], "end": ["", ""]}, "Propose at least one candidate time."),
        ({"start": ["2026-11-17T13:00"], "end": ["12:00"]}, "A candidate time must end after"),
        ({"start": ["2026-11-01T13:00"], "end": ["14:30"]}, "A candidate time is in the past."),
        ({"start": ["2026-11-17T13:00"], "end": ["kohta"]}, "Row 1: give the date"),
        (
            {"start": ["2026-11-17T13:00"] * 2, "end": ["14:30"] * 2},
            "The same candidate time is proposed twice.",
        ),
        (
            {
                "start": [f"2026-12-{day:02}T09:00" for day in range(1, 22)],
                "end": ["10:30"] * 21,
            },
            "Propose at most 20 candidate times.",
        ),
    ],
)
def test_a_bad_poll_form_shows_why_and_saves_nothing(
    world: World, owner_client: HttpClient, changes, message
):
    url = reverse("new_schedule_poll", args=[world.contract.uuid])
    response = owner_client.post(url, new_poll_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert nothing_saved()


@pytest.mark.django_db
def test_adding_rows_keeps_what_was_typed(world: World, owner_client: HttpClient):
    url = reverse("new_schedule_poll", args=[world.contract.uuid])
    data = new_poll_data(more="1")
    del data["send"]
    response = owner_client.post(url, data)
    assert response.status_code == 200
    assert len(response.context["form"].rows) == 6
    assert 'value="2026-11-19T09:00"' in response.content.decode()
    empty = owner_client.post(url, {"start": ["", ""], "end": ["", ""], "more": "1"})
    assert len(empty.context["form"].rows) == 5
    assert "This field is required" not in empty.content.decode()
    assert nothing_saved()


@pytest.mark.django_db
def test_the_supervisor_sees_names_and_turns_the_best_time_into_a_meeting(
    world: World, owner_client: HttpClient
):
    poll = make_poll(world)
    first, second, *_rest = members(world)
    answer(poll, first, Choice.NO, Choice.YES, Choice.IF_NEEDED)
    answer(poll, second, Choice.NO, Choice.YES, Choice.YES)
    page = owner_client.get(reverse("schedule_poll", args=[poll.uuid]))
    html = page.content.decode()
    assert [r.time.start for r in page.context["results"]] == [STARTS[1], STARTS[2], STARTS[0]]
    assert first.person.name in html and second.person.name in html
    assert "<title>Scheduling poll · Tila</title>" in html
    assert "Not answered yet" in html
    assert "The time for answers has ended" not in html
    soon = make_poll(world, starts=[at(2026, 11, 26, 13)], deadline=at(2026, 11, 2, 9))
    with time_machine.travel(soon.deadline, tick=False):
        late = owner_client.get(reverse("schedule_poll", args=[soon.uuid])).content.decode()
    assert "The time for answers has ended" in late
    best = poll.times.get(start=STARTS[1])
    response = owner_client.post(
        reverse("decide_schedule_poll", args=[poll.uuid]), {"time": [str(best.uuid)]}
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(contract=world.contract, start=STARTS[1])
    page = owner_client.get(response["Location"])
    assert "1 meeting was planned" in page.content.decode()
    assert reverse("meeting", args=[meeting.uuid]) in page.content.decode()


@pytest.mark.django_db
def test_a_clash_is_shown_and_nothing_is_planned(world: World, owner_client: HttpClient):
    poll = make_poll(world)
    make_meeting(world.colleague_contract, world.owner, STARTS[0])
    chosen = poll.times.get(start=STARTS[0])
    response = owner_client.post(
        reverse("decide_schedule_poll", args=[poll.uuid]), {"time": [str(chosen.uuid)]}, follow=True
    )
    html = response.content.decode()
    assert "overlaps another meeting of the supervisor" in html
    assert "Nothing was planned; the poll is still open." in html
    assert html.count("Overlaps another meeting") == 1  # the page marks the taken time
    assert not Meeting.objects.filter(contract=world.contract, start=STARTS[0]).exists()


@pytest.mark.django_db
def test_an_assistant_reads_the_poll_but_cannot_decide_or_close_it(world: World):
    poll = make_poll(world)
    http = HttpClient()
    http.force_login(world.assistant)
    page = http.get(reverse("schedule_poll", args=[poll.uuid]))
    assert page.status_code == 200
    assert "Plan the chosen times as meetings" not in page.content.decode()
    chosen = {"time": [str(poll.times.first().uuid)]}  # type: ignore[union-attr]
    assert http.post(reverse("decide_schedule_poll", args=[poll.uuid]), chosen).status_code == 403
    assert http.post(reverse("close_schedule_poll", args=[poll.uuid])).status_code == 403
    poll.refresh_from_db()
    assert poll.status == PollStatus.OPEN


# The member's link ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_member_answers_through_her_link_without_an_account(world: World):
    in_english(world)
    poll = make_poll(world)
    first = members(world)[0]
    link = link_of(poll, first)
    http = HttpClient()
    page = http.get(link)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")
    times = list(poll.times.order_by("start"))
    data = {f"time_{t.uuid}": c for t, c in zip(times, ["yes", "if_needed", "no"], strict=True)}
    saved = http.post(link, data)
    assert "your answers were saved" in saved.content.decode()
    assert [a.choice for a in PollAnswer.objects.order_by("time__start")] == [
        "yes",
        "if_needed",
        "no",
    ]
    again = http.post(link, {f"time_{times[0].uuid}": "no"})
    assert "Answer this time too." in again.content.decode()
    assert PollAnswer.objects.filter(choice="yes").count() == 1


@pytest.mark.django_db
def test_members_see_only_counts_unless_the_supervisor_allowed_names(world: World):
    in_english(world)
    hidden = make_poll(world)
    shown = make_poll(world, show_names=True, starts=[at(2026, 11, 26, 13)])
    first, second, *_rest = members(world)
    answer(hidden, second, Choice.YES, Choice.NO, Choice.YES)
    answer(shown, second, Choice.IF_NEEDED)
    page = HttpClient().get(link_of(hidden, first)).content.decode()
    assert second.person.name not in page
    assert "So far: yes 1, if needed 0, no 0" in page
    assert "not your name" in page
    page = HttpClient().get(link_of(shown, first)).content.decode()
    assert f"If needed: {second.person.name}" in page


@pytest.mark.django_db
def test_a_closed_or_decided_poll_says_so_and_takes_no_answers(world: World):
    in_english(world)
    poll = make_poll(world)
    first = members(world)[0]
    link = link_of(poll, first)
    actions.close_poll(poll=poll)
    http = HttpClient()
    page = http.get(link).content.decode()
    assert "The supervisor has closed this poll" in page
    http.post(link, {f"time_{t.uuid}": "yes" for t in poll.times.all()})
    assert not PollAnswer.objects.exists()
    decided = make_poll(world, starts=[at(2026, 11, 26, 13)])
    actions.decide_poll(poll=decided, times=list(decided.times.all()), actor=world.owner)
    page = http.get(link_of(decided, first)).content.decode()
    assert "the supervisor has chosen" in page
    assert "Thu 26.11.2026" in page or "26.11.2026" in page


@pytest.mark.django_db
def test_an_unknown_replaced_or_left_members_link_opens_nothing(world: World):
    in_english(world)
    poll = make_poll(world)
    first = members(world)[0]
    old = link_of(poll, first)
    new = link_of(poll, first)
    http = HttpClient()
    response = http.get(old)
    assert response.status_code == 404
    assert "This link no longer works" in response.content.decode()
    assert http.get(reverse("answer_schedule_poll", args=["arvattu"])).status_code == 404
    assert http.get(new).status_code == 200
    first.left_on = NOW.date()
    first.save()
    assert http.get(new).status_code == 404


@pytest.mark.django_db
def test_only_the_hash_of_a_link_is_stored(world: World):
    poll = make_poll(world)
    invitee = poll.invitees.first()
    assert invitee is not None
    token = issue_link(invitee)
    invitee.refresh_from_db()
    assert invitee.token_hash == hash_token(token) != token
    assert invitee_for_token(token) == invitee
    assert token not in str(list(PollInvitee.objects.values_list()))


@pytest.mark.django_db
def test_a_finnish_member_sees_the_page_in_finnish(world: World):
    poll = make_poll(world)
    page = HttpClient().get(link_of(poll, members(world)[0])).content.decode()
    assert "Ajankohtakysely" in page
    assert "Sopiiko tämä aika?" in page
    assert "Tarvittaessa" in page


@pytest.mark.django_db
def test_the_poll_page_is_in_english_for_an_english_member(world: World):
    person = Person.objects.create(
        practice=world.practice, name="Emma English", email="emma@example.test", language="en"
    )
    ClientMember.objects.create(client=world.client, person=person, joined_on=NOW.date())
    poll = make_poll(world)
    member = ClientMember.objects.get(person=person)
    page = HttpClient().get(link_of(poll, member)).content.decode()
    assert "Does this time suit you?" in page
    assert isinstance(world.client, Client)


# The member's data -------------------------------------------------------------------------


@pytest.mark.django_db
def test_her_answers_are_in_her_export_and_erasing_her_removes_them(world: World):
    poll = make_poll(world)
    first, second, *_rest = members(world)
    answer(poll, first, Choice.YES, Choice.NO, Choice.IF_NEEDED)
    answer(poll, second, Choice.NO, Choice.NO, Choice.NO)
    link = link_of(poll, first)
    _name, content = export_subject(subject=first.person, actor=world.owner)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".json")]
        data = json.loads(archive.read(name))
    [found] = [part for part in data["sections"] if part["key"] == "scheduling_answers"]
    assert [row["answer"] for row in found["records"]] == ["Yes", "No", "If needed"]
    erased, _kept = erasure_plan(first.person)
    assert "3 answers to scheduling polls" in [line.text for line in erased]
    erase_subject(subject=first.person, actor=world.owner)
    assert not PollAnswer.objects.filter(invitee__member=first).exists()
    assert PollAnswer.objects.filter(invitee__member=second).count() == 3
    assert HttpClient().get(link).status_code == 404


@pytest.mark.django_db
def test_a_logged_in_supervisee_answers_in_the_portal(world: World):
    poll = make_poll(world)
    in_english(world)
    first = members(world)[0]
    http = HttpClient()
    http.force_login(invite_supervisee(member=first, actor=world.owner).user)
    home = http.get(reverse("portal_home")).content.decode()
    assert reverse("portal_polls") in home
    listing = http.get(reverse("portal_polls")).content.decode()
    url = reverse("portal_schedule_poll", args=[poll.uuid])
    assert url in listing and "waiting for your answer" in listing
    times = list(poll.times.order_by("start"))
    page = http.post(url, {f"time_{t.uuid}": "if_needed" for t in times})
    assert page.status_code == 200
    assert PollAnswer.objects.filter(invitee__member=first, choice="if_needed").count() == 3
    assert "answered" in http.get(reverse("portal_polls")).content.decode()
    other = HttpClient()
    colleague_member = world.colleague_contract.client.members.all()[0]
    other.force_login(invite_supervisee(member=colleague_member, actor=world.colleague).user)
    assert other.get(url).status_code == 404
    assert url not in other.get(reverse("portal_polls")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_member_gets_a_new_link_and_the_old_one_stops_working(
    world: World, owner_client: HttpClient, smtp_server: SmtpServer
):
    poll = make_poll(world)
    first = members(world)[0]
    old = link_of(poll, first)
    invitee = poll.invitees.get(member=first)
    url = reverse("resend_poll_link", args=[poll.uuid])
    response = owner_client.post(url, {"invitee": str(invitee.uuid)}, follow=True)
    assert f"A new link was sent to {first.person.name}" in response.content.decode()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    smtp_server.wait_for(len(members(world)))
    [mail] = smtp_server.to(first.person.email)[-1:]
    found = re.search(r"https?://[^/\s]+(/poll/[A-Za-z0-9_-]+/)", body(mail))
    assert found is not None
    assert HttpClient().get(found.group(1)).status_code == 200
    assert HttpClient().get(old).status_code == 404
    first.left_on = NOW.date()
    first.save()
    response = owner_client.post(url, {"invitee": str(invitee.uuid)}, follow=True)
    assert "is no longer a member" in response.content.decode()
    other = make_poll(world, starts=[at(2026, 11, 26, 13)]).invitees.all()[0]
    response = owner_client.post(url, {"invitee": str(other.uuid)}, follow=True)
    assert "Choose a member of the poll." in response.content.decode()
    response = owner_client.post(url, {"invitee": "not-a-uuid"}, follow=True)
    assert "Choose a member of the poll." in response.content.decode()


@pytest.mark.django_db
def test_open_polls_are_pinned_on_the_dashboard_of_those_who_see_the_contract(
    world: World, owner_client: HttpClient
):
    assert "Open scheduling polls" not in owner_client.get(reverse("dashboard")).content.decode()
    poll = make_poll(world)
    answer(poll, members(world)[0], Choice.YES, Choice.YES, Choice.NO)
    page = owner_client.get(reverse("dashboard")).content.decode()
    assert "Open scheduling polls" in page
    assert reverse("schedule_poll", args=[poll.uuid]) in page
    assert "1/5 answered" in page
    assert "Answers are in: choose the time" not in page
    soon = make_poll(world, starts=[at(2026, 11, 26, 13)], deadline=at(2026, 11, 2, 9))
    with time_machine.travel(soon.deadline, tick=False):
        late = owner_client.get(reverse("dashboard")).content.decode()
    assert "Answers are in: choose the time" in late
    actions.close_poll(poll=soon)
    colleague = HttpClient()
    colleague.force_login(world.colleague)
    assert "Open scheduling polls" not in colleague.get(reverse("dashboard")).content.decode()
    actions.close_poll(poll=poll)
    assert "Open scheduling polls" not in owner_client.get(reverse("dashboard")).content.decode()


# Members who join while a poll is open -----------------------------------------------------


@pytest.mark.django_db
def test_a_member_who_joins_after_the_poll_was_sent_is_shown_and_asked_on_request(
    world: World, owner_client: HttpClient
):
    poll = make_poll(world)
    newcomer = Person.objects.create(
        practice=world.practice, name="Nelli Uusi", email="nelli@example.test"
    )
    member = ClientMember.objects.create(client=world.client, person=newcomer, joined_on=NOW.date())
    page = owner_client.get(reverse("schedule_poll", args=[poll.uuid])).content.decode()
    assert "Joined after the poll was sent" in page and "Nelli Uusi" in page
    assert "Send the poll to this member too" in page
    queued = DBTaskResult.objects.filter(task_path__endswith="deliver_poll_link")
    before = queued.count()
    url = reverse("ask_new_poll_members", args=[poll.uuid])
    response = owner_client.post(url, follow=True)
    assert "The poll was sent to Nelli Uusi." in response.content.decode()
    assert poll.invitees.filter(member=member).exists()
    assert queued.count() == before + 1
    page = owner_client.get(reverse("schedule_poll", args=[poll.uuid])).content.decode()
    assert "Joined after the poll was sent" not in page
    # Her answer counts like anyone's.
    answer(poll, member, "yes", "no", "no")
    assert tally(poll)[0].names["yes"] == ["Nelli Uusi"]
    response = owner_client.post(url, follow=True)
    assert "Every current member has been asked already." in response.content.decode()


@pytest.mark.django_db
def test_no_one_is_asked_after_the_deadline_or_the_decision(world: World):
    poll = make_poll(world)
    person = Person.objects.create(
        practice=world.practice, name="Myöhäinen", email="m@example.test"
    )
    ClientMember.objects.create(client=world.client, person=person, joined_on=NOW.date())
    with (
        time_machine.travel(poll.deadline + timedelta(minutes=1), tick=False),
        pytest.raises(actions.PollError, match="time for answers has ended"),
    ):
        actions.ask_new_members(poll=poll)
    actions.close_poll(poll=poll)
    with pytest.raises(actions.PollError, match="already been decided or closed"):
        actions.ask_new_members(poll=poll)
    assert poll.invitees.count() == len(members(world)) - 1
