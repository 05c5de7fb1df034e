"""The e-invoice's routing: the practice's own e-invoice address and operator, set in the
practice's billing details; without them no Finvoice message is made, and the page says so."""

import pytest
from lxml import etree

from tests.billing_helpers import issued_invoice
from tila.billing.finvoice import FinvoiceUnavailable, finvoice_xml, schema
from tila.billing.models import Invoice

pytestmark = pytest.mark.django_db


def test_the_message_comes_from_the_practice_s_address_through_its_operator(world):
    invoice = issued_invoice(world)
    document = etree.fromstring(finvoice_xml(invoice))
    assert schema().validate(document)
    routing = "MessageTransmissionDetails/"
    assert document.findtext(routing + "MessageSenderDetails/FromIdentifier") == "003724281353"
    assert document.findtext(routing + "MessageSenderDetails/FromIntermediator") == "003723327487"
    assert document.findtext(routing + "MessageReceiverDetails/ToIdentifier") == "003702116752"
    assert document.findtext(routing + "MessageReceiverDetails/ToIntermediator") == "003703575029"
    assert document.findtext("SellerOrganisationUnitNumber") == "003724281353"
    assert b"TILA" not in finvoice_xml(invoice)


def test_a_bank_as_the_operator_validates_too(world):
    invoice = issued_invoice(world)
    world.practice.einvoice_operator = "NDEAFIHH"
    world.practice.save()
    invoice.refresh_from_db()
    document = etree.fromstring(finvoice_xml(invoice))
    assert schema().validate(document)
    assert (
        document.findtext("MessageTransmissionDetails/MessageSenderDetails/FromIntermediator")
        == "NDEAFIHH"
    )


def test_without_the_practice_s_e_invoice_details_the_download_is_refused_clearly(
    world, owner_client
):
    invoice = issued_invoice(world)
    world.practice.einvoice_address = ""
    world.practice.einvoice_operator = ""
    world.practice.save()
    invoice.refresh_from_db()
    with pytest.raises(FinvoiceUnavailable) as refused:
        finvoice_xml(invoice)
    assert len(refused.value.missing) == 2
    page = owner_client.get(f"/invoices/{invoice.uuid}/").content.decode()
    assert "Verkkolaskuja (Finvoice) ei voi tehdä" in page
    assert "/practice/edit/" in page  # the owner is shown where to set them
    response = owner_client.get(f"/invoices/{invoice.uuid}/finvoice/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/invoices/{invoice.uuid}/"
    notes = [str(message) for message in response.context["messages"]]
    assert any("oma verkkolaskuosoite" in note for note in notes), notes


def test_the_orderer_s_address_without_its_operator_is_refused_not_guessed(world, owner_client):
    invoice = issued_invoice(world)
    Invoice.objects.filter(pk=invoice.pk).update(buyer_einvoice_operator="")
    invoice.refresh_from_db()
    with pytest.raises(FinvoiceUnavailable) as refused:
        finvoice_xml(invoice)
    assert len(refused.value.missing) == 1
    response = owner_client.get(f"/invoices/{invoice.uuid}/finvoice/")
    assert response.status_code == 302


def test_with_everything_set_the_page_has_no_warning_and_the_file_downloads(world, owner_client):
    invoice = issued_invoice(world)
    page = owner_client.get(f"/invoices/{invoice.uuid}/").content.decode()
    assert "ei voi tehdä" not in page
    response = owner_client.get(f"/invoices/{invoice.uuid}/finvoice/")
    assert response.status_code == 200
    assert schema().validate(etree.fromstring(response.content))
