"""Finnish formatting of money and numbers. Pure functions."""

from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"


def money(value: Decimal | int | None, currency: str = "€") -> str:
    """``Decimal("1234.5")`` → ``"1 234,50 €"`` (non-breaking spaces, decimal comma)."""
    if value is None:
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "−" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{NBSP.join(groups)},{cents}{NBSP}{currency}"


def decimal_fi(value: Decimal | int | float | None, places: int = 1) -> str:
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-places)
    text = f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)}"
    return text.replace(".", ",")
