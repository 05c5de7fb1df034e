"""Framework agreements (puitesopimus) of an orderer, and contracts that take their prices."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from tests.factories import at, make_organisation
from tests.test_contracts_editing import form_data, new_contract_data
from tila.contracts.actions import save_framework_agreement
from tila.contracts.models import (
    Contract,
    FrameworkAgreement,
    FrameworkPriceLine,
    PriceUnit,
)
from tila.practices.models import VatTreatment

pytestmark = pytest.mark.django_db

TODAY = at(2026, 11, 24, 10)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def agreement(world, organisation=None, **changes) -> FrameworkAgreement:
    values = {
        "practice": world.practice,
        "organisation": organisation or world.organisation,
        "title": "Työnohjauspalvelut 2026–2028, TRE-123/2026",
        "lot": "Osa-alue 2: ryhmä- ja tiimityönohjaus",
        "valid_from": date(2026, 1, 1),
        "valid_until": date(2028, 12, 31),
        "buyer_reference": "Varhaiskasvatus / 4410",
        "order_number": "PS-2026-77",
    }
    values.update(changes)
    return save_framework_agreement(
        agreement=FrameworkAgreement(**values),
        price_lines=[
            FrameworkPriceLine(
                description="Tiimityönohjaus 90 min",
                unit=PriceUnit.MEETING,
                unit_price=Decimal("210.00"),
                vat_treatment=VatTreatment.STANDARD,
            ),
            FrameworkPriceLine(
                description="Matkakulut",
                unit=PriceUnit.KILOMETRE,
                unit_price=Decimal("0.59"),
                vat_treatment=VatTreatment.STANDARD,
                is_travel=True,
            ),
        ],
    )


def agreement_data(**changes: str) -> dict[str, str]:
    data = {
        "title": "Työnohjauspalvelut 2026–2028",
        "lot": "Osa-alue 1: yksilötyönohjaus",
        "valid_from": "2026-01-01",
        "valid_until": "2027-12-31",
        "buyer_reference": "HR / Kaisa",
        "order_number": "PO-1",
        "prices-TOTAL_FORMS": "2",
        "prices-INITIAL_FORMS": "0",
        "prices-MIN_NUM_FORMS": "0",
        "prices-MAX_NUM_FORMS": "20",
        "prices-0-description": "Yksilötyönohjaus 60 min",
        "prices-0-unit": PriceUnit.MEETING,
        "prices-0-unit_price": "120,50",
        "prices-0-vat_treatment": VatTreatment.STANDARD,
        "prices-1-description": "",
        "prices-1-unit": PriceUnit.MEETING,
        "prices-1-unit_price": "",
        "prices-1-vat_treatment": "",
    }
    data.update(changes)
    return data


def test_a_framework_agreement_is_made_for_the_orderer_with_its_price_list(world, assistant_client):
    url = reverse("new_framework_agreement", args=[world.organisation.uuid])
    response = assistant_client.post(url, agreement_data())
    made = FrameworkAgreement.objects.get(organisation=world.organisation)
    assert response.url == reverse("framework_agreement", args=[made.uuid])
    assert made.practice == world.practice and made.lot == "Osa-alue 1: yksilötyönohjaus"
    assert [(line.description, line.unit_price) for line in made.price_lines.all()] == [
        ("Yksilötyönohjaus 60 min", Decimal("120.50"))
    ]
    page = assistant_client.get(response.url).content.decode()
    assert "Osa-alue 1: yksilötyönohjaus" in page and "120,50" in page
    orderer = assistant_client.get(reverse("organisation", args=[world.organisation.uuid]))
    assert reverse("framework_agreement", args=[made.uuid]) in orderer.content.decode()


def test_an_agreement_that_ends_before_it_starts_is_refused(world, owner_client):
    url = reverse("new_framework_agreement", args=[world.organisation.uuid])
    response = owner_client.post(url, agreement_data(valid_until="2025-12-31"))
    assert response.status_code == 200
    assert "valid_until" in response.context["form"].errors
    assert not FrameworkAgreement.objects.exists()
    response = owner_client.post(url, agreement_data(**{"prices-0-unit_price": "-1"}))
    assert response.status_code == 200
    assert not FrameworkAgreement.objects.exists()


def test_a_new_contract_takes_the_agreement_s_prices_and_references_as_they_were(
    world, owner_client
):
    framework = agreement(world)
    data = new_contract_data(owner_client, world, framework_agreement=str(framework.pk))
    response = owner_client.post(reverse("new_contract"), data)
    assert response.status_code == 302
    contract = Contract.objects.get(framework_agreement=framework)
    assert contract.buyer_reference == "Varhaiskasvatus / 4410"
    assert contract.order_number == "PS-2026-77"
    lines = [
        (line.description, line.unit_price, line.is_travel) for line in contract.price_lines.all()
    ]
    assert lines == [
        ("Tiimityönohjaus 90 min", Decimal("210.00"), False),
        ("Matkakulut", Decimal("0.59"), True),
    ]
    # A later change to the agreement does not rewrite the contract.
    FrameworkPriceLine.objects.filter(agreement=framework).update(unit_price=Decimal("250.00"))
    FrameworkAgreement.objects.filter(pk=framework.pk).update(buyer_reference="Uusi viite")
    edit = owner_client.get(reverse("edit_contract", args=[contract.uuid]))
    owner_client.post(reverse("edit_contract", args=[contract.uuid]), form_data(edit))
    contract.refresh_from_db()
    assert contract.buyer_reference == "Varhaiskasvatus / 4410"
    assert [line.unit_price for line in contract.price_lines.all()] == [
        Decimal("210.00"),
        Decimal("0.59"),
    ]
    page = owner_client.get(reverse("framework_agreement", args=[framework.uuid])).content.decode()
    assert reverse("contract", args=[contract.uuid]) in page
    page = owner_client.get(reverse("contract", args=[contract.uuid])).content.decode()
    assert reverse("framework_agreement", args=[framework.uuid]) in page


def test_an_existing_contract_picks_an_agreement_and_its_own_prices_are_replaced(
    world, owner_client
):
    framework = agreement(world)
    url = reverse("edit_contract", args=[world.contract.uuid])
    data = form_data(owner_client.get(url))
    data["framework_agreement"] = str(framework.pk)
    assert owner_client.post(url, data).status_code == 302
    world.contract.refresh_from_db()
    assert world.contract.framework_agreement == framework
    assert [line.unit_price for line in world.contract.price_lines.all()] == [
        Decimal("210.00"),
        Decimal("0.59"),
    ]


def test_an_expired_agreement_cannot_be_picked(world, owner_client):
    expired = agreement(world, valid_from=date(2024, 1, 1), valid_until=date(2025, 12, 31))
    page = owner_client.get(reverse("new_contract"))
    assert expired.title not in page.content.decode()
    data = new_contract_data(owner_client, world, framework_agreement=str(expired.pk))
    response = owner_client.post(reverse("new_contract"), data)
    assert response.status_code == 200
    assert "expired one cannot be picked" in response.content.decode()
    assert not Contract.objects.filter(framework_agreement=expired).exists()


def test_an_agreement_with_another_orderer_is_refused(world, owner_client):
    elsewhere = agreement(world, organisation=make_organisation(world.practice, "Pirkkalan kunta"))
    data = new_contract_data(owner_client, world, framework_agreement=str(elsewhere.pk))
    response = owner_client.post(reverse("new_contract"), data)
    assert response.status_code == 200
    assert "another orderer" in response.content.decode()
    assert not Contract.objects.filter(framework_agreement=elsewhere).exists()


def test_a_contract_keeps_its_agreement_after_the_agreement_expires(world, owner_client):
    framework = agreement(world, valid_until=date(2026, 12, 31))
    url = reverse("edit_contract", args=[world.contract.uuid])
    data = form_data(owner_client.get(url))
    data["framework_agreement"] = str(framework.pk)
    owner_client.post(url, data)
    with time_machine.travel(at(2027, 2, 1, 10), tick=False):
        owner_client.force_login(world.owner)  # a new session, two months later
        data = form_data(owner_client.get(url))
        data["cost_centre"] = "4410 Kuusela"
        assert owner_client.post(url, data).status_code == 302
    world.contract.refresh_from_db()
    assert world.contract.framework_agreement == framework
    assert world.contract.cost_centre == "4410 Kuusela"


def test_another_practice_s_agreement_is_not_found(world, other_client):
    framework = agreement(world)
    for name in ("framework_agreement", "edit_framework_agreement"):
        assert other_client.get(reverse(name, args=[framework.uuid])).status_code == 404
    new = reverse("new_framework_agreement", args=[world.organisation.uuid])
    assert other_client.post(new, agreement_data()).status_code == 404
    assert FrameworkAgreement.objects.count() == 1
