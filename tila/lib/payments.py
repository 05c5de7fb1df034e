"""Finnish payment identifiers: reference numbers, RF references and the virtual bank barcode.

Pure functions. Sources: Finance Finland's "Pankkiviivakoodi-opas" (version 5.3) for the
barcode, the banks' rules for the national reference (viitenumero) and ISO 11649 for the
RF creditor reference."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from schwifty import IBAN
from stdnum import iso11649

_WEIGHTS = (7, 3, 1)
BARCODE_MAX_AMOUNT = Decimal("999999.99")


class PaymentCodeError(ValueError):
    """An identifier that cannot be built from the given parts."""


def _digits(value: str) -> str:
    return "".join(value.split())


def reference_check_digit(base: str) -> str:
    """The check digit of a national reference: the base digits are weighted 7, 3, 1, 7, …
    from the right; the check digit is the distance of the sum to the next multiple of ten."""
    if not base.isdigit():
        raise PaymentCodeError("a reference base has digits only")
    total = sum(int(digit) * _WEIGHTS[i % 3] for i, digit in enumerate(reversed(base)))
    return str(-total % 10)


def national_reference(base: str | int) -> str:
    """The reference number (3–19 base digits + check digit) for the base, unformatted."""
    text = str(base).lstrip("0")
    if not 3 <= len(text) <= 19:
        raise PaymentCodeError("a reference base has 3–19 digits")
    return text + reference_check_digit(text)


def is_national_reference(value: str) -> bool:
    digits = _digits(value)
    if not digits.isdigit() or not 4 <= len(digits) <= 20:
        return False
    return reference_check_digit(digits[:-1]) == digits[-1]


def format_national_reference(value: str) -> str:
    """Printed in groups of five digits from the right: ``1 23453`` … ``12345 67890 12345``."""
    digits = _digits(value)
    groups: list[str] = []
    while digits:
        groups.insert(0, digits[-5:])
        digits = digits[:-5]
    return " ".join(groups)


def rf_reference(national: str) -> str:
    """The ISO 11649 creditor reference built from a national reference: ``RF`` + two check
    digits (mod 97) + the reference digits, unformatted."""
    digits = _digits(national)
    if not is_national_reference(digits):
        raise PaymentCodeError("not a valid national reference")
    # Letters count as numbers 10–35: R = 27, F = 15; "RF00" is moved to the end.
    remainder = int(digits + "271500") % 97
    return f"RF{98 - remainder:02d}{digits}"


def is_rf_reference(value: str) -> bool:
    return bool(iso11649.is_valid(value))


def format_rf_reference(value: str) -> str:
    """Printed in groups of four from the left: ``RF33 1234 5678 9012 3``."""
    compact = _digits(value).upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def virtual_barcode(*, iban: str, amount: Decimal, reference: str, due: date | None) -> str:
    """The 54-digit virtual bank barcode (virtuaaliviivakoodi).

    Version 4 for a national reference, version 5 for an RF reference. Amounts over
    999 999,99 € cannot be encoded and are written as zeros, as the guide says; so is a
    negative amount (a credit note is not paid with a barcode)."""
    account = IBAN(iban)
    if account.country_code != "FI":
        raise PaymentCodeError("the barcode is defined for Finnish accounts only")
    account_digits = str(account.compact)[2:]
    cents = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if cents < 0 or cents > BARCODE_MAX_AMOUNT:
        cents = Decimal("0.00")
    euros, hundredths = divmod(int(cents * 100), 100)
    compact = _digits(reference).upper()
    if compact.startswith("RF"):
        if not is_rf_reference(compact):
            raise PaymentCodeError("not a valid RF reference")
        body = compact[4:]
        if len(body) > 21:
            raise PaymentCodeError("an RF reference in the barcode has at most 21 digits")
        version, ref_part = "5", compact[2:4] + body.zfill(21)
    else:
        if not is_national_reference(compact):
            raise PaymentCodeError("not a valid national reference")
        version, ref_part = "4", "000" + compact.zfill(20)
    due_part = due.strftime("%y%m%d") if due else "000000"
    code = f"{version}{account_digits}{euros:06d}{hundredths:02d}{ref_part}{due_part}"
    if len(code) != 54 or not code.isdigit():  # pragma: no cover - guarded above
        raise PaymentCodeError("the barcode must have 54 digits")
    return code
