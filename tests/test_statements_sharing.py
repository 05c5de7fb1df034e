"""Sharing a statement with the orderer: draft, preview, release; the supervisees see it too."""

from collections.abc import Iterator

import pytest
import time_machine
from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse

from tests.factories import World, at
from tila.accounts.models import User
from tila.audit.models import Action, AuditEvent
from tila.clients.models import ClientMember, Contact
from tila.contracts.models import Contract
from tila.orderers.actions import invite_contact
from tila.portal.actions import invite_supervisee
from tila.statements.actions import create_statement, read_statement, release_statement
from tila.statements.models import Statement, StatementStatus

pytestmark = pytest.mark.django_db

USEFUL = "Työnohjaus on ollut hyödyllistä ja sitä kannattaa jatkaa"


@pytest.fixture(autouse=True)
def _mid_november() -> Iterator[None]:
    with time_machine.travel(at(2026, 11, 15, 12), tick=False):
        yield


def orderer_client(contact: Contact, actor: User) -> HttpClient:
    http = HttpClient()
    http.force_login(invite_contact(contact=contact, actor=actor).user)
    return http


def supervisee_client(contract: Contract, actor: User) -> HttpClient:
    member = ClientMember.objects.filter(client=contract.client).order_by("pk").first()
    assert member is not None
    http = HttpClient()
    http.force_login(invite_supervisee(member=member, actor=actor).user)
    return http


def english(http: HttpClient) -> HttpClient:
    http.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return http


def orderer_page(world: World) -> str:
    http = orderer_client(world.contact, world.owner)
    return http.get(reverse("orderer_contract", args=[world.contract.uuid])).content.decode()


def test_a_supervisor_writes_a_draft_and_sees_the_preview(world: World, owner_client):
    response = owner_client.post(
        reverse("contract_statements", args=[world.contract.uuid]), {"text": USEFUL}
    )
    statement = Statement.objects.get(contract=world.contract)
    assert response.status_code == 302
    assert response["Location"] == reverse("statement_preview", args=[statement.uuid])
    assert statement.status == StatementStatus.DRAFT
    assert statement.created_by == world.owner
    assert read_statement(statement, actor=world.owner) == USEFUL
    page = english(owner_client).get(response["Location"]).content.decode()
    assert USEFUL in page
    assert "The orderer will see this text." in page
    assert "The supervisees will see what was shared and when." in page
    assert "Supervisor's assessment" in page  # the orderer's own section, as it will look
    assert reverse("release_statement", args=[statement.uuid]) in page
    assert AuditEvent.objects.filter(object_id=str(statement.uuid), action=Action.CREATE).exists()


def test_the_text_is_stored_sealed(world: World):
    statement = create_statement(contract=world.contract, text=USEFUL, actor=world.owner)
    stored = Statement.objects.values_list("text", flat=True).get(pk=statement.pk)
    assert "hyödyllistä" not in stored
    assert USEFUL not in stored
    assert read_statement(statement, actor=world.owner) == USEFUL


def test_a_draft_is_not_shown_to_the_orderer_or_the_supervisees(world: World):
    create_statement(contract=world.contract, text=USEFUL, actor=world.owner)
    assert USEFUL not in orderer_page(world)
    supervisee = english(supervisee_client(world.contract, world.owner))
    page = supervisee.get(reverse("portal_contract", args=[world.contract.uuid])).content.decode()
    assert USEFUL not in page
    assert "Nothing has been shared with the orderer." in page


def test_a_released_statement_reaches_the_orderer_and_the_supervisees(world: World, owner_client):
    statement = create_statement(contract=world.contract, text=USEFUL, actor=world.owner)
    response = owner_client.post(reverse("release_statement", args=[statement.uuid]))
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == StatementStatus.RELEASED
    assert statement.released_at == at(2026, 11, 15, 12)
    assert statement.released_by == world.owner
    event = AuditEvent.objects.get(object_id=str(statement.uuid), action=Action.SHARE)
    assert event.actor == world.owner
    assert event.practice == world.practice

    page = orderer_page(world)
    assert USEFUL in page
    assert "15.11.2026" in page

    supervisee = english(supervisee_client(world.contract, world.owner))
    page = supervisee.get(reverse("portal_contract", args=[world.contract.uuid])).content.decode()
    assert "Shared with the orderer" in page
    assert USEFUL in page
    assert "15.11.2026" in page


def test_another_organisations_orderer_does_not_see_the_statement(world: World):
    statement = create_statement(contract=world.contract, text=USEFUL, actor=world.owner)
    release_statement(statement=statement, actor=world.owner)
    other = orderer_client(world.other_contact, world.other_owner)
    assert other.get(reverse("orderer_contract", args=[world.contract.uuid])).status_code == 404


def test_a_released_statement_can_no_longer_be_edited(world: World, owner_client):
    statement = create_statement(contract=world.contract, text=USEFUL, actor=world.owner)
    release_statement(statement=statement, actor=world.owner)
    response = owner_client.post(
        reverse("edit_statement", args=[statement.uuid]), {"text": "Jotain aivan muuta"}
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert read_statement(statement, actor=world.owner) == USEFUL
    assert not AuditEvent.objects.filter(
        object_id=str(statement.uuid), action=Action.UPDATE
    ).exists()
    page = english(owner_client).get(reverse("statement_preview", args=[statement.uuid]))
    assert "can no longer be changed" in page.content.decode()
    assert reverse("edit_statement", args=[statement.uuid]) not in page.content.decode()


def test_releasing_twice_records_one_share(world: World, owner_client):
    statement = create_statement(contract=world.contract, text=USEFUL, actor=world.owner)
    url = reverse("release_statement", args=[statement.uuid])
    owner_client.post(url)
    with time_machine.travel(at(2026, 11, 20, 12), tick=False):
        owner_client.post(url)
    statement.refresh_from_db()
    assert statement.released_at == at(2026, 11, 15, 12)
    assert (
        AuditEvent.objects.filter(object_id=str(statement.uuid), action=Action.SHARE).count() == 1
    )


def test_a_draft_can_be_edited_before_release(world: World, owner_client):
    statement = create_statement(contract=world.contract, text="Alku", actor=world.owner)
    response = owner_client.post(reverse("edit_statement", args=[statement.uuid]), {"text": USEFUL})
    assert response.status_code == 302
    statement.refresh_from_db()
    assert read_statement(statement, actor=world.owner) == USEFUL
    assert statement.status == StatementStatus.DRAFT
    assert AuditEvent.objects.filter(object_id=str(statement.uuid), action=Action.UPDATE).exists()


def test_an_empty_or_identity_code_text_is_refused_and_nothing_is_saved(world: World, owner_client):
    url = reverse("contract_statements", args=[world.contract.uuid])
    response = english(owner_client).post(url, {"text": "Ohjattava 131052-308T jatkaa"})
    assert response.status_code == 200
    assert "personal identity code" in response.content.decode()
    assert english(owner_client).post(url, {"text": ""}).status_code == 200
    assert not Statement.objects.exists()
    statement = create_statement(contract=world.contract, text=USEFUL, actor=world.owner)
    response = owner_client.post(
        reverse("edit_statement", args=[statement.uuid]), {"text": "131052-308T"}
    )
    assert response.status_code == 200
    statement.refresh_from_db()
    assert read_statement(statement, actor=world.owner) == USEFUL


def test_a_contract_without_an_orderer_has_no_one_to_share_with(world: World, colleague_client):
    url = reverse("contract_statements", args=[world.colleague_contract.uuid])
    page = english(colleague_client).get(url).content.decode()
    assert "there is no one to share with" in page
    assert english(colleague_client).post(url, {"text": USEFUL}).status_code == 200
    assert not Statement.objects.exists()


def test_the_contract_page_links_to_sharing_for_its_supervisor_only(
    world: World, owner_client, assistant_client
):
    link = reverse("contract_statements", args=[world.contract.uuid])
    contract_url = reverse("contract", args=[world.contract.uuid])
    assert link in owner_client.get(contract_url).content.decode()
    assert link not in assistant_client.get(contract_url).content.decode()


def test_the_list_page_does_not_grow_in_queries_with_statements(
    world: World, owner_client, django_assert_max_num_queries
):
    url = reverse("contract_statements", args=[world.contract.uuid])
    create_statement(contract=world.contract, text=USEFUL, actor=world.owner)
    owner_client.get(url)  # warm the data key cache
    with django_assert_max_num_queries(12) as one:
        owner_client.get(url)
    for number in range(10):
        create_statement(contract=world.contract, text=f"{USEFUL} {number}", actor=world.owner)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = owner_client.get(url).content.decode()
    newest = Statement.objects.order_by("-created_at", "-id").first()
    assert newest is not None
    assert page.count(reverse("statement_preview", args=[newest.uuid])) == 1


def test_every_read_of_a_released_statement_is_logged_with_the_readers_role(world: World):
    statement = create_statement(contract=world.contract, text=USEFUL, actor=world.owner)
    release_statement(statement=statement, actor=world.owner)
    orderer = orderer_client(world.contact, world.owner)
    supervisee = supervisee_client(world.contract, world.owner)
    orderer.get(reverse("orderer_contract", args=[world.contract.uuid]))
    supervisee.get(reverse("portal_contract", args=[world.contract.uuid]))
    supervisee.get(reverse("portal_contract", args=[world.contract.uuid]))
    reads = AuditEvent.objects.filter(
        object_type="statements.Statement", object_id=str(statement.uuid), action=Action.READ
    ).order_by("sequence")
    assert [(event.actor_role, event.actor_label) for event in reads] == [
        ("orderer", "kaisa@example.test"),
        ("supervisee", reads[1].actor_label),
        ("supervisee", reads[1].actor_label),
    ]
    assert reads[1].actor_label.startswith("member")
