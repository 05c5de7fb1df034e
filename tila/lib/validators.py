"""Validators for Finnish identifiers and bank details. Pure functions, no Django models."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import ytunnus


def normalise_business_id(value: str) -> str:
    """Return a Y-tunnus in its printed form ``1234567-1``, or raise ValidationError."""
    try:
        return str(ytunnus.format(ytunnus.validate(value)))
    except StdnumError:
        raise ValidationError(
            _("Enter a valid Finnish business ID (Y-tunnus), e.g. 1234567-1."),
            code="invalid_business_id",
        ) from None


def validate_business_id(value: str) -> None:
    if value:
        normalise_business_id(value)


def normalise_iban(value: str) -> str:
    """Return an IBAN in compact form, or raise ValidationError."""
    try:
        return str(IBAN(value).compact)
    except (SchwiftyException, ValueError):
        raise ValidationError(
            _("Enter a valid IBAN, e.g. FI21 1234 5600 0007 85."), code="invalid_iban"
        ) from None


def validate_iban(value: str) -> None:
    if value:
        normalise_iban(value)


def normalise_bic(value: str) -> str:
    try:
        return str(BIC(value).compact)
    except (SchwiftyException, ValueError):
        raise ValidationError(_("Enter a valid BIC, e.g. NDEAFIHH."), code="invalid_bic") from None


def validate_bic(value: str) -> None:
    if value:
        normalise_bic(value)


def validate_einvoice_address(value: str) -> None:
    """An e-invoice address is an OVT code (0037 + business ID digits + optional suffix)
    or an IBAN for banks' consumer e-invoices."""
    if not value:
        return
    compact = value.replace(" ", "").upper()
    if compact.startswith("0037"):
        digits = compact[4:12]
        suffix = compact[12:]
        if len(digits) == 8 and digits.isdigit() and (suffix.isalnum() or not suffix):
            try:
                ytunnus.validate(digits)
                return
            except StdnumError:
                pass
    else:
        try:
            IBAN(compact)
            return
        except (SchwiftyException, ValueError):
            pass
    raise ValidationError(
        _(
            "Enter an e-invoice address: 0037 followed by the business ID digits "
            "(e.g. 003712345671)."
        ),
        code="invalid_einvoice_address",
    )


def normalise_einvoice_operator(value: str) -> str:
    """An e-invoice operator (intermediator) is named by its OVT code (0037 + the operator's
    business ID digits) or, for a bank, by its BIC. Returns the compact form or raises."""
    compact = value.replace(" ", "").upper()
    if compact.startswith("0037") and compact[4:].isdigit() and len(compact) == 12:
        try:
            ytunnus.validate(compact[4:])
            return compact
        except StdnumError:
            pass
    elif not compact.isdigit():
        try:
            return str(BIC(compact).compact)
        except (SchwiftyException, ValueError):
            pass
    raise ValidationError(
        _(
            "Enter the operator's code: 0037 followed by the operator's business ID digits "
            "(e.g. 003723327487), or a bank's BIC (e.g. NDEAFIHH)."
        ),
        code="invalid_einvoice_operator",
    )


def validate_einvoice_operator(value: str) -> None:
    if value:
        normalise_einvoice_operator(value)


def normalise_ovt(value: str) -> str:
    """A business's own e-invoice address: 0037 + the business ID digits + an optional
    suffix of up to five letters or digits, in compact form; or raise ValidationError."""
    compact = value.replace(" ", "").replace("-", "").upper()
    digits, suffix = compact[4:12], compact[12:]
    if (
        compact.startswith("0037")
        and len(digits) == 8
        and digits.isdigit()
        and len(suffix) <= 5
        and (suffix.isalnum() or not suffix)
    ):
        try:
            ytunnus.validate(digits)
            return compact
        except StdnumError:
            pass
    raise ValidationError(
        _(
            "Enter an e-invoice address: 0037 followed by the business ID digits "
            "(e.g. 003712345671)."
        ),
        code="invalid_einvoice_address",
    )


def validate_ovt(value: str) -> None:
    if value:
        normalise_ovt(value)
