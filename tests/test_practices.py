from decimal import Decimal

import pytest
from django.urls import reverse

from tila.practices.models import Practice, Service

pytestmark = pytest.mark.django_db


def practice_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Työnohjaus Aalto",
        "business_id": "2428135-3",
        "vat_registered": "on",
        "street_address": "Kauppakatu 1",
        "postal_code": "40100",
        "city": "Jyväskylä",
        "email": "anna@example.test",
        "phone": "",
        "website": "",
        "iban": "FI21 1234 5600 0007 85",
        "bic": "NDEAFIHH",
        "einvoice_address": "",
        "einvoice_operator": "",
        "reminder_fee": "0",
        "bio": "Työnohjaaja",
        "approach": "",
        "qualifications": "",
        "associations": "",
        "training": "",
        "areas": "",
        "languages": "suomi",
    }
    data.update(overrides)
    return data


def test_owner_edits_the_practice_and_numbers_are_normalised(world, owner_client):
    response = owner_client.post(reverse("edit_practice"), practice_data(business_id="24281353"))
    assert response.status_code == 302
    practice = Practice.objects.get(pk=world.practice.pk)
    assert practice.business_id == "2428135-3"
    assert practice.iban == "FI2112345600000785"
    assert practice.city == "Jyväskylä"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("business_id", "2428135-4", "Y-tunnus"),
        ("iban", "FI21 1234 5600 0007 86", "IBAN"),
        ("bic", "XXXX", "BIC"),
        ("name", "x" * 10_000, "enintään 200 merkkiä"),
        ("einvoice_address", "003724281354", "verkkolaskuosoite"),
        ("einvoice_operator", "003723327488", "operaattorin"),
        ("reminder_fee", "-5", "vähintään 0"),
    ],
)
def test_bad_practice_details_are_refused_with_a_message_and_nothing_saved(
    world, owner_client, field, value, message
):
    response = owner_client.post(reverse("edit_practice"), practice_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    practice = Practice.objects.get(pk=world.practice.pk)
    assert practice.city == "Tampere"


def test_a_bic_without_an_iban_is_refused(world, owner_client):
    response = owner_client.post(reverse("edit_practice"), practice_data(iban=""))
    assert response.status_code == 200
    assert Practice.objects.get(pk=world.practice.pk).bic == "NDEAFIHH"


def test_assistant_cannot_edit_the_practice(world, assistant_client):
    response = assistant_client.post(reverse("edit_practice"), practice_data(city="Oulu"))
    assert response.status_code == 403
    assert Practice.objects.get(pk=world.practice.pk).city == "Tampere"


def test_owner_adds_and_edits_a_service(world, owner_client):
    data = {
        "name": "Esihenkilötyönohjaus 60 min",
        "form": "leader",
        "minutes": "60",
        "price": "140,00",
        "vat_treatment": "standard",
        "description": "",
        "active": "on",
    }
    assert owner_client.post(reverse("new_service"), data).status_code == 302
    service = Service.objects.get(practice=world.practice, name=data["name"])
    assert service.price == Decimal("140.00")
    data["price"] = "150"
    url = reverse("edit_service", args=[service.uuid])
    assert owner_client.post(url, data).status_code == 302
    service.refresh_from_db()
    assert service.price == Decimal("150")


def test_a_negative_price_is_refused(world, owner_client):
    data = {"name": "X", "form": "team", "minutes": "90", "price": "-1", "vat_treatment": "exempt"}
    response = owner_client.post(reverse("new_service"), data)
    assert response.status_code == 200
    assert not Service.objects.filter(name="X").exists()


def test_practice_page_lists_services_and_people(world, owner_client):
    page = owner_client.get(reverse("practice_settings")).content.decode()
    assert "Tiimityönohjaus 90 min" in page
    assert "240,00\u00a0€" in page
    assert "Assi Avustaja" in page


def test_the_practice_sets_its_e_invoice_address_and_operator(world, owner_client):
    response = owner_client.post(
        reverse("edit_practice"),
        practice_data(
            einvoice_address="0037 2428 1353", einvoice_operator="ndeafihh", reminder_fee="5,00"
        ),
    )
    assert response.status_code == 302
    practice = Practice.objects.get(pk=world.practice.pk)
    assert practice.einvoice_address == "003724281353"
    assert practice.einvoice_operator == "NDEAFIHH"
    assert practice.reminder_fee == Decimal("5.00")
    page = owner_client.get(reverse("practice_settings")).content.decode()
    assert "003724281353" in page and "5,00" in page


@pytest.mark.parametrize(
    ("address", "operator", "missing"),
    [("003724281353", "", "einvoice_operator"), ("", "003723327487", "einvoice_address")],
)
def test_an_e_invoice_address_needs_its_operator_and_the_other_way(
    world, owner_client, address, operator, missing
):
    response = owner_client.post(
        reverse("edit_practice"),
        practice_data(einvoice_address=address, einvoice_operator=operator),
    )
    assert response.status_code == 200
    assert missing in response.context["form"].errors
    assert Practice.objects.get(pk=world.practice.pk).einvoice_address == ""
