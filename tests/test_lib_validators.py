from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tila.lib.formatting import decimal_fi, money
from tila.lib.validators import (
    normalise_bic,
    normalise_business_id,
    normalise_einvoice_operator,
    normalise_iban,
    normalise_ovt,
    validate_einvoice_address,
)


def test_business_id_is_normalised_to_its_printed_form():
    assert normalise_business_id("02116752") == "0211675-2"
    assert normalise_business_id(" 0211675-2 ") == "0211675-2"


@pytest.mark.parametrize("value", ["0211675-3", "1234567", "abc", "02116752-1"])
def test_invalid_business_id_is_refused(value):
    with pytest.raises(ValidationError):
        normalise_business_id(value)


def test_iban_is_checked_and_compacted():
    assert normalise_iban("FI21 1234 5600 0007 85") == "FI2112345600000785"
    with pytest.raises(ValidationError):
        normalise_iban("FI21 1234 5600 0007 86")


def test_bic_is_checked():
    assert normalise_bic("ndeafihh") == "NDEAFIHH"
    with pytest.raises(ValidationError):
        normalise_bic("NOTABIC")


def test_einvoice_address_must_be_ovt_of_a_valid_business_id():
    validate_einvoice_address("003702116752")
    validate_einvoice_address("0037 0211 6752 01")
    with pytest.raises(ValidationError):
        validate_einvoice_address("003702116753")
    with pytest.raises(ValidationError):
        validate_einvoice_address("12345")


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("0"), "0,00\u00a0€"),
        (Decimal("1234.5"), "1\u00a0234,50\u00a0€"),
        (Decimal("1234567.891"), "1\u00a0234\u00a0567,89\u00a0€"),
        (Decimal("-12.345"), "−12,35\u00a0€"),
        (Decimal("999.995"), "1\u00a0000,00\u00a0€"),
    ],
)
def test_money_is_written_the_finnish_way(amount, text):
    assert money(amount) == text


def test_decimals_use_a_comma():
    assert decimal_fi(Decimal("2.005"), 2) == "2,01"
    assert decimal_fi(2, 1) == "2,0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("003723327487", "003723327487"),
        ("0037 2332 7487", "003723327487"),
        ("ndeafihh", "NDEAFIHH"),
    ],
)
def test_an_e_invoice_operator_is_an_ovt_code_or_a_bank_s_bic(value, expected):
    assert normalise_einvoice_operator(value) == expected


@pytest.mark.parametrize("value", ["003723327488", "0037233274", "TILA", "12345678", ""])
def test_anything_else_is_not_an_operator(value):
    with pytest.raises(ValidationError):
        normalise_einvoice_operator(value)


def test_a_business_s_own_e_invoice_address_is_0037_and_its_business_id():
    assert normalise_ovt("0037 2428 1353") == "003724281353"
    assert normalise_ovt("003724281353ab1") == "003724281353AB1"
    for bad in ["003724281354", "FI2112345600000785", "0037242813531234567", "24281353"]:
        with pytest.raises(ValidationError):
            normalise_ovt(bad)
