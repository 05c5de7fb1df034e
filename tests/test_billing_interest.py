"""Penalty interest under the Interest Act: the reference rate of the half-year plus 7 points,
or 8 points when a business or an authority owes (commercial contracts)."""

from datetime import date
from decimal import Decimal

import pytest

from tila.billing.interest import penalty_interest, reference_rate


@pytest.mark.parametrize(
    ("day", "rate"),
    [
        (date(2023, 6, 30), Decimal("2.5")),
        (date(2024, 12, 31), Decimal("4.5")),
        (date(2025, 1, 1), Decimal("3.5")),
        (date(2025, 7, 1), Decimal("2.5")),
        (date(2026, 3, 15), Decimal("2.5")),
    ],
)
def test_the_reference_rate_of_the_half_year(day, rate):
    assert reference_rate(day) == rate


def test_a_business_owes_eight_points_and_a_private_person_seven():
    business = penalty_interest(None, commercial=True, on=date(2026, 3, 15))
    private = penalty_interest(None, commercial=False, on=date(2026, 3, 15))
    assert (business.percent, business.reference_rate) == (Decimal("10.5"), Decimal("2.5"))
    assert (private.percent, private.reference_rate) == (Decimal("9.5"), Decimal("2.5"))
    assert "4 a §" in business.basis and "4 §" in private.basis


def test_the_invoice_s_own_rate_wins():
    own = penalty_interest(Decimal("12.00"), commercial=True, on=date(2026, 3, 15))
    assert own.percent == Decimal("12.00") and own.reference_rate is None
