"""Who may open and change contracts: another practice's contract does not exist (404)."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from tila.contracts.models import Acceptance, Contract, ContractEvent, Status


@pytest.fixture(autouse=True)
def _english(settings):
    # Assert on the English msgids, whatever the Finnish catalogue holds.
    settings.LANGUAGE_CODE = "en"


GET_URLS = ["contract", "edit_contract", "contract_print"]
POST_URLS = ["edit_contract", "accept_contract", "change_contract_status"]
ACCEPT = {
    "version": "1",
    "party": "orderer",
    "accepted_by_name": "Kaisa",
    "accepted_at": "2026-11-20T10:00",
}


def urls_of(contract: Contract) -> list[tuple[str, str]]:
    gets = [("get", reverse(name, args=[contract.uuid])) for name in GET_URLS]
    gets.append(("get", reverse("contract_version", args=[contract.uuid, 1])))
    posts = [("post", reverse(name, args=[contract.uuid])) for name in POST_URLS]
    return gets + posts


def hit(client: HttpClient, method: str, url: str) -> int:
    if method == "get":
        return client.get(url).status_code
    return client.post(url, {**ACCEPT, "status": "ended", "title": "Kaapattu"}).status_code


def assert_untouched(contract: Contract) -> None:
    contract.refresh_from_db()
    assert contract.status != Status.ENDED
    assert contract.title != "Kaapattu"
    assert not Acceptance.objects.filter(contract=contract).exists()
    assert not ContractEvent.objects.filter(contract=contract).exists()


def test_another_practices_contract_is_404_on_every_url(owner_client, world):
    for method, url in urls_of(world.other_contract):
        assert hit(owner_client, method, url) == 404, url
    assert_untouched(world.other_contract)


def test_a_supervisor_colleague_cannot_open_annas_contract(colleague_client, world):
    for method, url in urls_of(world.contract):
        assert hit(colleague_client, method, url) == 404, url
    assert_untouched(world.contract)


def test_a_supervisor_colleague_opens_her_own_contract(colleague_client, world):
    response = colleague_client.get(reverse("contract", args=[world.colleague_contract.uuid]))

    assert response.status_code == 200
    assert "Record an acceptance" in response.content.decode()


def test_bertta_cannot_see_practice_a_contracts(other_client, world):
    for method, url in urls_of(world.contract):
        assert hit(other_client, method, url) == 404, url
    response = other_client.get(reverse("contract_list"))
    assert [c.uuid for c in response.context["page_obj"]] == [world.other_contract.uuid]


def test_anonymous_visitor_is_sent_to_log_in(world):
    client = HttpClient()

    for method, url in [*urls_of(world.contract), ("get", reverse("contract_list"))]:
        response = client.get(url) if method == "get" else client.post(url, ACCEPT)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert_untouched(world.contract)


def test_version_that_does_not_exist_is_404(owner_client, world):
    version = reverse("contract_version", args=[world.contract.uuid, 1])
    missing = reverse("contract_version", args=[world.contract.uuid, 2])

    assert owner_client.get(version).status_code == 200
    assert owner_client.get(missing).status_code == 404


def test_status_and_accept_endpoints_take_only_post(owner_client, world):
    for name in ["accept_contract", "change_contract_status"]:
        assert owner_client.get(reverse(name, args=[world.contract.uuid])).status_code == 405
