"""Money on invoices: VAT rates by date, line amounts and the totals per VAT rate.

Pure functions over ``Decimal``; every rounding is explicit, half up to the cent.

VAT is computed per rate from the rate's taxable base (as EN 16931 requires: the VAT of a
category is its base times the rate, rounded once). Each line still shows its own VAT: the
group's VAT is shared out among its lines so that the lines add up to it exactly (each line
gets its own rounded VAT, and the cent or two of difference goes to the lines whose rounding
was closest to the other way). So the rows, the totals per rate and the grand total always
agree."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)

# The general VAT rate and the day it took effect (Finland). Never decided by the code
# alone: a price line says whether VAT applies; this table says how much on a given day.
STANDARD_RATES: tuple[tuple[date, Decimal], ...] = (
    (date(2013, 1, 1), Decimal("24")),
    (date(2024, 9, 1), Decimal("25.5")),
)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def standard_rate(on: date) -> Decimal:
    """The general VAT rate in force on the day of supply."""
    rate = STANDARD_RATES[0][1]
    for since, value in STANDARD_RATES:
        if on >= since:
            rate = value
    return rate


def line_net(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return cents(quantity * unit_price)


@dataclass(frozen=True)
class Line:
    """What the totals need of one invoice line."""

    category: str  # the VAT treatment, e.g. "standard", "exempt", "not_registered"
    rate: Decimal  # percent
    net: Decimal  # without VAT, in cents


@dataclass(frozen=True)
class RateTotal:
    category: str
    rate: Decimal
    base: Decimal
    vat: Decimal

    @property
    def gross(self) -> Decimal:
        return self.base + self.vat


@dataclass(frozen=True)
class Totals:
    line_vat: tuple[Decimal, ...]  # in the order of the lines given
    per_rate: tuple[RateTotal, ...]
    net: Decimal
    vat: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


def totals(lines: Sequence[Line]) -> Totals:
    groups: dict[tuple[str, Decimal], list[int]] = {}
    for index, line in enumerate(lines):
        groups.setdefault((line.category, line.rate), []).append(index)
    line_vat = [Decimal("0.00")] * len(lines)
    per_rate: list[RateTotal] = []
    for (category, rate), members in groups.items():
        base = sum((lines[i].net for i in members), Decimal("0.00"))
        group_vat = cents(base * rate / HUNDRED)
        exact = {i: lines[i].net * rate / HUNDRED for i in members}
        for i in members:
            line_vat[i] = cents(exact[i])
        difference = group_vat - sum((line_vat[i] for i in members), Decimal("0.00"))
        step = CENT if difference > 0 else -CENT
        # The lines whose rounding went furthest the other way take a cent each.
        order = sorted(members, key=lambda i: (exact[i] - line_vat[i]) * step, reverse=True)
        for i in order[: int(abs(difference) / CENT)]:
            line_vat[i] += step
        per_rate.append(RateTotal(category=category, rate=rate, base=base, vat=group_vat))
    per_rate.sort(key=lambda group: (-group.rate, group.category))
    net = sum((line.net for line in lines), Decimal("0.00"))
    vat = sum((group.vat for group in per_rate), Decimal("0.00"))
    return Totals(line_vat=tuple(line_vat), per_rate=tuple(per_rate), net=net, vat=vat)
