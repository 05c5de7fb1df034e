"""Reference numbers, RF references, the virtual barcode and its Code 128 symbol."""

import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from schwifty import IBAN
from stdnum import iso11649

from tila.lib import code128
from tila.lib.payments import (
    format_national_reference,
    is_national_reference,
    national_reference,
    rf_reference,
    virtual_barcode,
)

bases = st.integers(min_value=100, max_value=10**19 - 1).map(str)


def finnish_iban(bban: int) -> str:
    """FI + ISO 13616 check digits + 14 digits (F = 15, I = 18)."""
    digits = f"{bban:014d}"
    return f"FI{98 - int(digits + '151800') % 97:02d}{digits}"


ibans = st.integers(min_value=0, max_value=10**14 - 1).map(finnish_iban)
amounts = st.decimals(min_value=0, max_value=Decimal("999999.99"), places=2)
dues = st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@given(bases)
def test_a_reference_carries_its_base_and_a_check_digit_that_makes_the_weighted_sum_even(base):
    reference = national_reference(base)
    assert reference[:-1] == base
    weights = [7, 3, 1]
    total = sum(int(d) * weights[i % 3] for i, d in enumerate(reversed(reference[:-1])))
    assert (total + int(reference[-1])) % 10 == 0
    assert is_national_reference(format_national_reference(reference))


@given(bases, st.integers(min_value=0, max_value=18), st.integers(min_value=1, max_value=9))
def test_changing_one_digit_breaks_the_reference(base, position, change):
    reference = national_reference(base)
    index = position % len(reference)
    digit = (int(reference[index]) + change) % 10
    broken = reference[:index] + str(digit) + reference[index + 1 :]
    assert not is_national_reference(broken)


@given(bases)
def test_the_printed_reference_is_in_groups_of_five_from_the_right(base):
    printed = format_national_reference(national_reference(base))
    groups = printed.split(" ")
    assert all(len(group) == 5 for group in groups[1:])
    assert 1 <= len(groups[0]) <= 5


@given(bases)
def test_an_rf_reference_is_valid_iso_11649_and_ends_in_the_national_reference(base):
    national = national_reference(base)
    rf = rf_reference(national)
    assert iso11649.is_valid(rf)
    assert rf.startswith("RF") and rf.endswith(national)


@given(ibans, amounts, bases, dues)
def test_the_virtual_barcode_has_54_digits_in_their_places(iban, amount, base, due):
    reference = national_reference(base)
    code = virtual_barcode(iban=iban, amount=amount, reference=reference, due=due)
    assert len(code) == 54 and code.isdigit()
    assert code[0] == "4"
    assert code[1:17] == IBAN(iban).compact[2:]
    assert Decimal(code[17:23] + "." + code[23:25]) == amount
    assert code[25:28] == "000"
    assert code[28:48].lstrip("0") == reference
    assert code[48:] == (due.strftime("%y%m%d") if due else "000000")


@given(ibans, amounts, bases, dues)
def test_the_rf_barcode_is_version_5_with_the_check_digits(iban, amount, base, due):
    rf = rf_reference(national_reference(base))
    if len(rf) - 4 > 21:
        return  # too long for the barcode's 21 places
    code = virtual_barcode(iban=iban, amount=amount, reference=rf, due=due)
    assert code[0] == "5" and len(code) == 54
    assert code[25:27] == rf[2:4]
    assert code[27:48].lstrip("0") == rf[4:]


def test_amounts_the_barcode_cannot_hold_are_written_as_zeros():
    code = virtual_barcode(
        iban="FI7944052020036082", amount=Decimal("1000000.00"), reference="1232", due=None
    )
    assert code[17:25] == "00000000"


# The worked examples of Finance Finland's "Pankkiviivakoodi-opas" (version 5.3).
GUIDE_V4 = [
    (
        "FI79 4405 2020 0360 82",
        "4883.15",
        "86851 62596 19897",
        date(2010, 6, 12),
        "479440520200360820048831500000000868516259619897100612",
    ),
    (
        "FI58 1017 1000 0001 22",
        "482.99",
        "55958 22432 94671",
        date(2012, 1, 31),
        "458101710000001220004829900000000559582243294671120131",
    ),
    (
        "FI02 5000 4640 0013 02",
        "693.80",
        "69 87567 20834 35364",
        date(2011, 7, 24),
        "402500046400013020006938000000069875672083435364110724",
    ),
    (
        "FI15 6601 0001 5306 41",
        "7444.54",
        "7 75847 47906 47489",
        date(2019, 12, 19),
        "415660100015306410074445400000007758474790647489191219",
    ),
    (
        "FI16 8000 1400 0502 67",
        "935.85",
        "78 77767 96566 28687",
        None,
        "416800014000502670009358500000078777679656628687000000",
    ),
    (
        "FI73 3131 3001 0000 58",
        "0.00",
        "8 68624",
        date(2013, 8, 9),
        "473313130010000580000000000000000000000000868624130809",
    ),
    (
        "FI83 3301 0001 1007 75",
        "150000.20",
        "92125 37425 25398 97737",
        date(2016, 5, 25),
        "483330100011007751500002000092125374252539897737160525",
    ),
    (
        "FI39 3636 3002 0924 92",
        "1.03",
        "5907 38390",
        date(2023, 3, 11),
        "439363630020924920000010300000000000000590738390230311",
    ),
    (
        "FI92 3939 0001 0033 91",
        "0.02",
        "13 57914",
        date(2099, 12, 24),
        "492393900010033910000000200000000000000001357914991224",
    ),
]
GUIDE_V5 = [
    (
        "FI79 4405 2020 0360 82",
        "4883.15",
        "RF09 8685 1625 9619 897",
        date(2010, 6, 12),
        "579440520200360820048831509000000868516259619897100612",
    ),
    (
        "FI02 5000 4640 0013 02",
        "693.80",
        "RF02 6987 5672 0834",
        date(2011, 7, 24),
        "502500046400013020006938002000000000698756720834110724",
    ),
    (
        "FI15 6601 0001 5306 41",
        "7444.54",
        "RF84 7758 4747 9064 7489",
        date(2019, 12, 19),
        "515660100015306410074445484000007758474790647489191219",
    ),
    (
        "FI16 8000 1400 0502 67",
        "935.85",
        "RF60 7877 7679 6566 2868 7",
        None,
        "516800014000502670009358560000078777679656628687000000",
    ),
    (
        "FI73 3131 3001 0000 58",
        "0.00",
        "RF10 8686 24",
        date(2013, 8, 9),
        "573313130010000580000000010000000000000000868624130809",
    ),
    (
        "FI83 3301 0001 1007 75",
        "150000.20",
        "RF71 9212 5374 2525 3989 7737",
        date(2016, 5, 25),
        "583330100011007751500002071092125374252539897737160525",
    ),
    (
        "FI39 3636 3002 0924 92",
        "1.03",
        "RF66 5907 3839 0",
        date(2023, 3, 11),
        "539363630020924920000010366000000000000590738390230311",
    ),
    (
        "FI92 3939 0001 0033 91",
        "0.02",
        "RF95 1357 914",
        date(2099, 12, 24),
        "592393900010033910000000295000000000000001357914991224",
    ),
]


@pytest.mark.parametrize(("iban", "amount", "reference", "due", "expected"), GUIDE_V4 + GUIDE_V5)
def test_the_guides_worked_examples(iban, amount, reference, due, expected):
    assert (
        virtual_barcode(iban=iban, amount=Decimal(amount), reference=reference, due=due) == expected
    )


def test_the_rf_form_of_the_guides_first_reference_is_the_guides():
    assert rf_reference("86851 62596 19897") == "RF09868516259619897"
    assert rf_reference("78 77767 96566 28687") == "RF6078777679656628687"


# The Code 128 check characters printed in the guide for its first three invoices.
@pytest.mark.parametrize(("index", "check"), [(0, 40), (1, 55), (2, 14)])
def test_the_code_128_check_symbol_matches_the_guide(index, check):
    assert code128.symbols_c(GUIDE_V4[index][4])[-2] == check


def test_every_code_128_symbol_is_eleven_modules_and_the_stop_thirteen():
    assert len(set(code128.PATTERNS)) == 107
    assert all(sum(map(int, p)) == 11 for p in code128.PATTERNS[:106])
    assert sum(map(int, code128.PATTERNS[106])) == 13


@given(st.text(alphabet="0123456789", min_size=2, max_size=60).filter(lambda d: len(d) % 2 == 0))
def test_the_drawing_has_a_bar_for_each_symbol(digits):
    bars = code128.modules(code128.symbols_c(digits))
    assert len(bars) == 11 * (len(digits) // 2 + 2) + 13
    assert bars.startswith("11") and bars.endswith("11")


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="needs zbarimg (zbar-tools)")
def test_an_independent_reader_reads_the_printed_barcode(tmp_path):
    """zbar reads the barcode drawn into a PDF page back as the same 54 digits."""
    from weasyprint import HTML

    expected = GUIDE_V4[0][4]
    pdf = tmp_path / "code.pdf"
    HTML(string=f"<body style='margin:20mm'>{code128.svg(expected)}</body>").write_pdf(pdf)
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-r", "300", "-png", str(pdf), str(tmp_path / "code")],  # noqa: S607
        check=True,
    )
    image = next(tmp_path.glob("code*.png"))
    read = subprocess.run(  # noqa: S603
        ["zbarimg", "--raw", "-q", "-Sdisable", "-Scode128.enable", str(image)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    )
    assert read.stdout.strip() == expected
