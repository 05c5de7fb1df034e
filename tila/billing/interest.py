"""Penalty interest (viivästyskorko) under the Interest Act (korkolaki 633/1982).

The penalty interest is the reference rate plus a margin: 7 percentage points in general
(4 §), and 8 points when a business or an authority owes a business under a commercial
contract (4 a §, Act 30/2013). The reference rate is the ECB's main refinancing rate before
each half-year, rounded up to the next half point, announced by the Bank of Finland for
1 January–30 June and 1 July–31 December (12 §). The table holds the announced rates; a new
half-year's rate is added when the Bank of Finland announces it, and until then the last
one is used."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

# (first day of the half-year, the reference rate in percent)
REFERENCE_RATES: tuple[tuple[date, Decimal], ...] = (
    (date(2022, 7, 1), Decimal("0.0")),
    (date(2023, 1, 1), Decimal("2.5")),
    (date(2023, 7, 1), Decimal("4.0")),
    (date(2024, 1, 1), Decimal("4.5")),
    (date(2024, 7, 1), Decimal("4.5")),
    (date(2025, 1, 1), Decimal("3.5")),
    (date(2025, 7, 1), Decimal("2.5")),
    (date(2026, 1, 1), Decimal("2.5")),
)
GENERAL_MARGIN = Decimal("7")
COMMERCIAL_MARGIN = Decimal("8")


def reference_rate(on: date) -> Decimal:
    """The reference rate in force on the day (the last announced one for later days)."""
    rate = REFERENCE_RATES[0][1]
    for since, value in REFERENCE_RATES:
        if on >= since:
            rate = value
    return rate


@dataclass(frozen=True)
class PenaltyInterest:
    percent: Decimal
    reference_rate: Decimal | None  # None when the invoice named its own rate
    commercial: bool

    @property
    def basis(self) -> str:
        """Where the rate comes from, as printed on a reminder."""
        if self.reference_rate is None:
            return _("as stated on the invoice")
        if self.commercial:
            return _("Interest Act 4 a §: the reference rate %(rate)s %% + 8 percentage points") % {
                "rate": f"{self.reference_rate:.1f}".replace(".", ",")
            }
        return _("Interest Act 4 §: the reference rate %(rate)s %% + 7 percentage points") % {
            "rate": f"{self.reference_rate:.1f}".replace(".", ",")
        }


def penalty_interest(own_percent: Decimal | None, commercial: bool, on: date) -> PenaltyInterest:
    """The rate that applies on the day: the invoice's own rate if it named one, else the law's."""
    if own_percent is not None:
        return PenaltyInterest(percent=own_percent, reference_rate=None, commercial=commercial)
    base = reference_rate(on)
    margin = COMMERCIAL_MARGIN if commercial else GENERAL_MARGIN
    return PenaltyInterest(percent=base + margin, reference_rate=base, commercial=commercial)
