"""Live exercises over HTTP: starting, joining by code, ending and the saved snapshot."""

import pytest
from django.test import Client as HttpClient

from tests.live_helpers import join, run_in
from tila.audit.models import AuditEvent
from tila.live.actions import end_run, submit_answer
from tila.live.models import Answer, Participant, Run, Snapshot
from tila.portal.actions import invite_supervisee


@pytest.mark.django_db
def test_the_supervisor_starts_a_scale_from_the_meeting(owner_client, world):
    response = owner_client.post(
        f"/meetings/{world.meeting.uuid}/live/", {"method": "scale", "prompt": "", "k": "3"}
    )
    run = Run.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/live/runs/{run.uuid}/"
    assert run.anonymous is False  # an unticked box: the form says so
    assert run.rounds.get().prompt == "Missä tiimi on nyt asteikolla 0–10?"
    page = owner_client.get(f"/live/runs/{run.uuid}/presenter/").content.decode()
    assert run.join_code in page and "<svg" in page


@pytest.mark.django_db
def test_the_supervisor_picks_a_ready_question_or_writes_her_own(owner_client, world):
    url = f"/meetings/{world.meeting.uuid}/live/"
    page = owner_client.get(url).content.decode()
    assert "Taulu: valmis kysymys" in page and "Ihmekysymys: kuvittele" in page

    # A ready question of the chosen method; the other methods' picks do not count.
    owner_client.post(
        url, {"method": "board", "prompt": "", "k": "3", "ready_board": "1", "ready_scale": "0"}
    )
    assert Run.objects.get().rounds.get().prompt.startswith("Poikkeukset: milloin ongelma")

    # Her own words win over a pick.
    owner_client.post(
        url, {"method": "scale", "prompt": "Oma kysymys", "k": "3", "ready_scale": "0"}
    )
    assert Run.objects.get(method="scale").rounds.get().prompt == "Oma kysymys"

    # A pick that does not exist is an error on the form, and nothing starts.
    response = owner_client.post(
        url, {"method": "cards", "prompt": "", "k": "3", "ready_cards": "9"}
    )
    assert (
        response.status_code == 200
        and "9 ei ole vaihtoehtojen joukossa" in response.content.decode()
    )
    assert not Run.objects.filter(method="cards").exists()


@pytest.mark.django_db
def test_a_device_joins_once_and_a_reload_continues_where_it_was(world):
    run = run_in(world.meeting, world.owner)
    phone = HttpClient()
    assert phone.post(f"/live/{run.join_code.lower()}/join/").status_code == 302
    assert phone.post(f"/live/{run.join_code}/join/").status_code == 302
    assert Participant.objects.count() == 1
    page = phone.get(f"/live/{run.join_code}/").content.decode()
    assert 'id="live-panel"' in page and f"/ws/live/{run.uuid}/" in page


@pytest.mark.django_db
def test_a_logged_in_supervisee_joins_as_herself(world):
    member = world.client.members.first()
    account = invite_supervisee(member=member, actor=world.owner)
    run = run_in(world.meeting, world.owner, anonymous=False)
    phone = HttpClient()
    phone.force_login(account.user)
    phone.post(f"/live/{run.join_code}/join/")
    participant = Participant.objects.get()
    assert participant.user == account.user and participant.name == account.user.name


@pytest.mark.django_db
def test_the_code_of_an_ended_run_opens_nothing(world):
    run = run_in(world.meeting, world.owner)
    end_run(run=run, actor=world.owner, save=False)
    response = HttpClient().get(f"/live/{run.join_code}/")
    assert response.status_code == 404
    assert HttpClient().post(f"/live/{run.join_code}/join/").status_code == 404
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_a_saved_snapshot_keeps_no_names_and_withholds_rounds_under_k(owner_client, world):
    run = run_in(world.meeting, world.owner, k=3, anonymous=False)
    for name, value in (("Aino", 2), ("Bea", 5), ("Cia", 5)):
        submit_answer(participant=join(run, name), data={"now": value})
    owner_client.post(f"/live/runs/{run.uuid}/next/", {"prompt": "Entä ensi kuussa?"})
    late = Participant.objects.order_by("joined_at", "id")[0]
    submit_answer(participant=late, data={"now": 9})
    owner_client.post(f"/live/runs/{run.uuid}/end/", {"save": "save"})
    snapshot = Snapshot.objects.get()
    assert "Aino" not in snapshot.data and "Missä" not in snapshot.data
    assert not Answer.objects.exists() and not Participant.objects.exists()
    page = owner_client.get(f"/live/runs/{run.uuid}/").content.decode()
    assert page.count('class="dot"') == 3 and "Aino" not in page
    assert "Ei tallennettu: vastauksia alle 3." in page
    assert AuditEvent.objects.filter(object_type="live.Snapshot", action="read").count() == 1


@pytest.mark.django_db
def test_ending_without_saving_is_the_default(owner_client, world):
    run = run_in(world.meeting, world.owner)
    submit_answer(participant=join(run), data={"now": 4})
    owner_client.post(f"/live/runs/{run.uuid}/end/", {})
    assert not Snapshot.objects.exists() and not Answer.objects.exists()
    assert Run.objects.get().state == "ended"


@pytest.mark.django_db
def test_a_step_that_is_not_allowed_changes_nothing(owner_client, world):
    run = run_in(world.meeting, world.owner)
    owner_client.post(f"/live/runs/{run.uuid}/control/", {"state": "revealed"})
    response = owner_client.post(f"/live/runs/{run.uuid}/control/", {"state": "thinking"})
    assert response.status_code == 302
    assert Run.objects.get().state == "revealed"
