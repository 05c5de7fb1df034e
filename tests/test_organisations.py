import pytest
from django.urls import reverse

from tests.factories import make_organisation
from tila.clients.models import Contact, Organisation

pytestmark = pytest.mark.django_db


def organisation_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Oulun kaupunki",
        "business_id": "0187690-1",
        "street_address": "PL 1",
        "postal_code": "90015",
        "city": "Oulu",
        "billing_email": "laskut@example.test",
        "einvoice_address": "0037 0187 6901",
        "einvoice_operator": "003703575029",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_supervisor_adds_an_orderer_with_a_contact(world, owner_client):
    response = owner_client.post(reverse("new_organisation"), organisation_data())
    organisation = Organisation.objects.get(name="Oulun kaupunki")
    assert response.status_code == 302
    assert organisation.practice == world.practice
    assert organisation.einvoice_address == "003701876901"
    url = reverse("new_contact", args=[organisation.uuid])
    owner_client.post(url, {"name": "Pirjo Päällikkö", "email": "pirjo@example.test"})
    assert Contact.objects.get(organisation=organisation).name == "Pirjo Päällikkö"
    page = owner_client.get(reverse("organisation", args=[organisation.uuid])).content.decode()
    assert "Pirjo Päällikkö" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("business_id", "0187690-2"),
        ("einvoice_address", "003701876902"),
        ("billing_email", "not an email"),
        ("name", "n" * 10_000),
        ("name", ""),
    ],
)
def test_bad_orderer_details_are_refused_and_nothing_is_saved(owner_client, world, field, value):
    response = owner_client.post(reverse("new_organisation"), organisation_data(**{field: value}))
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not Organisation.objects.filter(city="Oulu").exists()


def test_orderer_list_is_searchable(world, owner_client):
    make_organisation(world.practice, "Lahden kaupunki")
    page = owner_client.get(reverse("organisation_list"), {"q": "lahden"}).content.decode()
    assert "Lahden kaupunki" in page
    assert "Tampereen kaupunki" not in page


def test_orderer_list_does_not_grow_queries_with_rows(
    world, owner_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        owner_client.get(reverse("organisation_list"))
    for index in range(30):
        make_organisation(world.practice, f"Kunta {index}")
    with django_assert_max_num_queries(6):
        owner_client.get(reverse("organisation_list"))


def test_another_practice_cannot_edit_an_orderer(world, other_client):
    url = reverse("edit_organisation", args=[world.organisation.uuid])
    response = other_client.post(url, organisation_data(name="Kaapattu"))
    assert response.status_code == 404
    world.organisation.refresh_from_db()
    assert world.organisation.name == "Tampereen kaupunki"
