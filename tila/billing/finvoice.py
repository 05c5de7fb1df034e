"""The invoice as a Finvoice 3.0 message, validated against Finance Finland's schema (a copy
in ``schema/``) before anyone can download it.

The message's routing (who sends it through which operator) is the practice's own e-invoice
address and operator as they are when the message is made: they say how the message travels,
not what the invoice says, so an invoice issued before they were set can still be sent."""

from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from lxml import etree

from tila.billing.document import InvoiceDocument, build_document, exemption_note
from tila.billing.models import Invoice
from tila.practices.models import VatTreatment

SCHEMA = Path(__file__).with_name("schema") / "Finvoice3.0.xsd"


class FinvoiceInvalid(Exception):
    """The message does not validate; ``errors`` says where."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


class FinvoiceUnavailable(Exception):
    """An e-invoice cannot be made yet; ``missing`` names, for the user, what to add."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


def missing_routing(invoice: Invoice) -> list[str]:
    """What an e-invoice needs for its routing that is not there."""
    practice = invoice.practice
    missing = []
    if not practice.einvoice_address:
        missing.append(_("the practice's own e-invoice address"))
    if not practice.einvoice_operator:
        missing.append(_("the practice's e-invoice operator"))
    if invoice.buyer_einvoice_address and not invoice.buyer_einvoice_operator:
        missing.append(_("the orderer's e-invoice operator"))
    return missing


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def amount(value: Decimal) -> str:
    """Finvoice amounts: two decimals and a decimal comma, ``125,50``."""
    return f"{value.quantize(Decimal('0.01')):.2f}".replace(".", ",")


def percent(value: Decimal) -> str:
    text = f"{value.normalize():f}" if value else "0"
    return text.replace(".", ",")


def _date(parent: etree._Element, tag: str, value: date) -> None:
    element = etree.SubElement(parent, tag, Format="CCYYMMDD")
    element.text = value.strftime("%Y%m%d")


def _text(parent: etree._Element, tag: str, value: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attrib=attributes)
    element.text = value
    return element


def _money(parent: etree._Element, tag: str, value: Decimal) -> None:
    _text(parent, tag, amount(value), AmountCurrencyIdentifier="EUR")


def build(doc: InvoiceDocument) -> etree._Element:
    invoice = doc.invoice
    if invoice.number is None or invoice.invoice_date is None or invoice.due_date is None:
        raise FinvoiceInvalid(["only an issued invoice is an e-invoice"])
    missing = missing_routing(invoice)
    if missing:
        raise FinvoiceUnavailable(missing)
    practice = invoice.practice
    root = etree.Element("Finvoice", Version="3.0")

    if invoice.buyer_einvoice_address:
        routing = etree.SubElement(root, "MessageTransmissionDetails")
        sender = etree.SubElement(routing, "MessageSenderDetails")
        _text(sender, "FromIdentifier", practice.einvoice_address)
        _text(sender, "FromIntermediator", practice.einvoice_operator)
        receiver = etree.SubElement(routing, "MessageReceiverDetails")
        _text(receiver, "ToIdentifier", invoice.buyer_einvoice_address)
        _text(receiver, "ToIntermediator", invoice.buyer_einvoice_operator)
        details = etree.SubElement(routing, "MessageDetails")
        _text(details, "MessageIdentifier", f"{invoice.seller_business_id}-{invoice.number}")
        issued = timezone.localtime(invoice.issued_at or timezone.now()).replace(microsecond=0)
        _text(details, "MessageTimeStamp", issued.isoformat())

    seller = etree.SubElement(root, "SellerPartyDetails")
    if invoice.seller_business_id:
        _text(seller, "SellerPartyIdentifier", invoice.seller_business_id)
    _text(seller, "SellerOrganisationName", invoice.seller_name)
    if doc.seller_vat_number:
        _text(seller, "SellerOrganisationTaxCode", doc.seller_vat_number)
    address = etree.SubElement(seller, "SellerPostalAddressDetails")
    _text(address, "SellerStreetName", invoice.seller_street_address or "-")
    _text(address, "SellerTownName", invoice.seller_city or "-")
    _text(address, "SellerPostCodeIdentifier", invoice.seller_postal_code or "-")
    _text(address, "CountryCode", "FI")
    _text(root, "SellerOrganisationUnitNumber", practice.einvoice_address)
    if invoice.seller_email or invoice.seller_phone:
        communication = etree.SubElement(root, "SellerCommunicationDetails")
        if invoice.seller_phone:
            _text(communication, "SellerPhoneNumberIdentifier", invoice.seller_phone)
        if invoice.seller_email:
            _text(communication, "SellerEmailaddressIdentifier", invoice.seller_email)
    information = etree.SubElement(root, "SellerInformationDetails")
    if invoice.seller_city:
        _text(information, "SellerHomeTownName", invoice.seller_city)
    if not invoice.seller_vat_registered:
        _text(information, "SellerVatRegistrationText", "Ei alv-rekisterissä")
    account = etree.SubElement(information, "SellerAccountDetails")
    _text(account, "SellerAccountID", invoice.seller_iban, IdentificationSchemeName="IBAN")
    if invoice.seller_bic:
        _text(account, "SellerBic", invoice.seller_bic, IdentificationSchemeName="BIC")

    if invoice.buyer_einvoice_address:
        recipient = etree.SubElement(root, "InvoiceRecipientPartyDetails")
        if invoice.buyer_business_id:
            _text(recipient, "InvoiceRecipientPartyIdentifier", invoice.buyer_business_id)
        _text(recipient, "InvoiceRecipientOrganisationName", invoice.buyer_name)

    buyer = etree.SubElement(root, "BuyerPartyDetails")
    if invoice.buyer_business_id:
        _text(buyer, "BuyerPartyIdentifier", invoice.buyer_business_id)
    _text(buyer, "BuyerOrganisationName", invoice.buyer_name)
    buyer_address = etree.SubElement(buyer, "BuyerPostalAddressDetails")
    _text(buyer_address, "BuyerStreetName", invoice.buyer_street_address or "-")
    _text(buyer_address, "BuyerTownName", invoice.buyer_city or "-")
    _text(buyer_address, "BuyerPostCodeIdentifier", invoice.buyer_postal_code or "-")
    _text(buyer_address, "CountryCode", "FI")
    if invoice.buyer_contact_name:
        _text(root, "BuyerContactPersonName", invoice.buyer_contact_name[:70])
    if invoice.buyer_email:
        communication = etree.SubElement(root, "BuyerCommunicationDetails")
        _text(communication, "BuyerEmailaddressIdentifier", invoice.buyer_email)

    details = etree.SubElement(root, "InvoiceDetails")
    if invoice.is_credit_note:
        _text(details, "InvoiceTypeCode", "INV02")
        _text(details, "InvoiceTypeCodeUN", "381")
        _text(details, "InvoiceTypeText", "HYVITYSLASKU")
    else:
        _text(details, "InvoiceTypeCode", "INV01")
        _text(details, "InvoiceTypeCodeUN", "380")
        _text(details, "InvoiceTypeText", "LASKU")
    _text(details, "OriginCode", "Original")
    _text(details, "InvoiceNumber", str(invoice.number))
    _date(details, "InvoiceDate", invoice.invoice_date)
    if invoice.credited_invoice is not None:
        original = invoice.credited_invoice
        _text(details, "OriginalInvoiceNumber", str(original.number))
        if original.invoice_date:
            _date(details, "OriginalInvoiceDate", original.invoice_date)
    _date(details, "InvoicingPeriodStartDate", invoice.period_start)
    _date(details, "InvoicingPeriodEndDate", invoice.period_end)
    if invoice.order_number:
        _text(details, "OrderIdentifier", invoice.order_number)
    if invoice.buyer_reference:
        _text(details, "BuyerReferenceIdentifier", invoice.buyer_reference)
    _money(details, "InvoiceTotalVatExcludedAmount", doc.totals.net)
    _money(details, "InvoiceTotalVatAmount", doc.totals.vat)
    _money(details, "InvoiceTotalVatIncludedAmount", doc.totals.gross)
    for group in doc.totals.per_rate:
        vat = etree.SubElement(details, "VatSpecificationDetails")
        _money(vat, "VatBaseAmount", group.base)
        _text(vat, "VatRatePercent", percent(group.rate))
        _text(vat, "VatCode", _vat_code(group.category))
        _money(vat, "VatRateAmount", group.vat)
        note = exemption_note(group.category)
        if note:
            _text(vat, "VatFreeText", note[:70])
    if invoice.cost_centre:
        _text(details, "InvoiceFreeText", f"Kustannuspaikka {invoice.cost_centre}")
    terms = etree.SubElement(details, "PaymentTermsDetails")
    _text(terms, "PaymentTermsFreeText", f"{invoice.payment_terms_days} pv netto")
    _date(terms, "InvoiceDueDate", invoice.due_date)
    fine = etree.SubElement(terms, "PaymentOverDueFineDetails")
    if invoice.penalty_interest_percent is not None:
        _text(fine, "PaymentOverDueFineFreeText", "Viivästyskorko")
        _text(fine, "PaymentOverDueFinePercent", percent(invoice.penalty_interest_percent))
    else:
        _text(fine, "PaymentOverDueFineFreeText", "Viivästyskorko korkolain mukaan")

    if doc.barcode:
        _text(root, "VirtualBankBarcode", doc.barcode)
    for line in doc.lines:
        row = etree.SubElement(root, "InvoiceRow")
        _text(row, "ArticleName", line.description[:100])
        if line.detail:
            _text(row, "ArticleDescription", line.detail)
        _text(row, "DeliveredQuantity", amount(line.quantity), QuantityUnitCode=line.unit[:14])
        if line.service_date:
            _text(row, "StartDate", line.service_date.strftime("%Y%m%d"), Format="CCYYMMDD")
        _text(
            row,
            "UnitPriceAmount",
            amount(line.unit_price),
            AmountCurrencyIdentifier="EUR",
        )
        if invoice.cost_centre:
            _text(row, "RowAccountDimensionText", invoice.cost_centre[:35])
        if line.vat_treatment != VatTreatment.STANDARD:
            _text(row, "RowFreeText", exemption_note(line.vat_treatment)[:512])
        _text(row, "RowVatRatePercent", percent(line.vat_rate))
        _text(row, "RowVatCode", _vat_code(line.vat_treatment))
        _money(row, "RowVatAmount", line.vat)
        _money(row, "RowVatExcludedAmount", line.net)
        _money(row, "RowAmount", line.gross)

    epi = etree.SubElement(root, "EpiDetails")
    identification = etree.SubElement(epi, "EpiIdentificationDetails")
    _date(identification, "EpiDate", invoice.invoice_date)
    _text(identification, "EpiReference", str(invoice.number))
    party = etree.SubElement(epi, "EpiPartyDetails")
    bank = etree.SubElement(party, "EpiBfiPartyDetails")
    if invoice.seller_bic:
        _text(bank, "EpiBfiIdentifier", invoice.seller_bic, IdentificationSchemeName="BIC")
    beneficiary = etree.SubElement(party, "EpiBeneficiaryPartyDetails")
    _text(beneficiary, "EpiNameAddressDetails", invoice.seller_name[:35])
    if invoice.seller_business_id:
        _text(beneficiary, "EpiBei", invoice.seller_business_id)
    _text(beneficiary, "EpiAccountID", invoice.seller_iban, IdentificationSchemeName="IBAN")
    instruction = etree.SubElement(epi, "EpiPaymentInstructionDetails")
    _text(
        instruction,
        "EpiRemittanceInfoIdentifier",
        invoice.payment_reference,
        IdentificationSchemeName="ISO" if invoice.use_rf_reference else "SPY",
    )
    _text(
        instruction, "EpiInstructedAmount", amount(doc.totals.gross), AmountCurrencyIdentifier="EUR"
    )
    _text(instruction, "EpiCharge", "", ChargeOption="SHA")
    _date(instruction, "EpiDateOptionDate", invoice.due_date)
    return root


def _vat_code(treatment: str) -> str:
    return {VatTreatment.STANDARD: "S", VatTreatment.EXEMPT: "E"}.get(VatTreatment(treatment), "O")


def validate(root: etree._Element) -> None:
    checker = schema()
    if not checker.validate(root):
        errors = checker.error_log
        raise FinvoiceInvalid([f"line {error.line}: {error.message}" for error in errors])  # type: ignore[attr-defined]


def finvoice_xml(invoice: Invoice) -> bytes:
    """The validated message as bytes (ISO-8859-15 is common, UTF-8 is allowed)."""
    missing = missing_routing(invoice)  # told in the user's language
    if missing:
        raise FinvoiceUnavailable(missing)
    with translation.override("fi"):  # the exemption notes, as on the PDF
        root = build(build_document(invoice))
    validate(root)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
