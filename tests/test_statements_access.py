"""Only the contract's own supervisors reach the statement pages: everyone else gets 404."""

import pytest
from django.urls import reverse

from tests.factories import World
from tila.statements.actions import create_statement, read_statement
from tila.statements.models import Statement, StatementStatus

pytestmark = pytest.mark.django_db

TEXT = "Työnohjaus on ollut hyödyllistä"


def urls(world: World, statement: Statement) -> list[tuple[str, str]]:
    return [
        ("get", reverse("contract_statements", args=[world.contract.uuid])),
        ("post", reverse("contract_statements", args=[world.contract.uuid])),
        ("get", reverse("statement_preview", args=[statement.uuid])),
        ("post", reverse("edit_statement", args=[statement.uuid])),
        ("post", reverse("release_statement", args=[statement.uuid])),
    ]


@pytest.mark.parametrize("persona", ["assistant_client", "colleague_client", "other_client"])
def test_no_one_but_the_supervisor_reaches_any_statement_url(world: World, persona, request):
    http = request.getfixturevalue(persona)
    statement = create_statement(contract=world.contract, text=TEXT, actor=world.owner)
    for method, url in urls(world, statement):
        response = getattr(http, method)(url, {"text": "Muuta"})
        assert response.status_code == 404, (persona, method, url)
    statement.refresh_from_db()
    assert statement.status == StatementStatus.DRAFT
    assert read_statement(statement, actor=world.owner) == TEXT
    assert Statement.objects.count() == 1


def test_the_supervisor_reaches_her_own_statement_pages(world: World, owner_client):
    statement = create_statement(contract=world.contract, text=TEXT, actor=world.owner)
    assert (
        owner_client.get(reverse("contract_statements", args=[world.contract.uuid])).status_code
        == 200
    )
    assert owner_client.get(reverse("statement_preview", args=[statement.uuid])).status_code == 200
