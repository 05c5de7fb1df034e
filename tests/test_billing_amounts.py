"""Totals of any invoice: rows add up to the totals per rate, and those to the grand total."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tila.billing.amounts import Line, cents, line_net, standard_rate, totals

RATES = {"standard": [Decimal("24"), Decimal("25.5"), Decimal("14")], "exempt": [Decimal("0")]}
prices = st.decimals(min_value=Decimal("-5000"), max_value=Decimal("5000"), places=2)
quantities = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("40"), places=2)


@st.composite
def lines(draw: st.DrawFn) -> Line:
    category = draw(st.sampled_from(["standard", "exempt", "not_registered"]))
    rate = draw(st.sampled_from(RATES.get(category, [Decimal("0")])))
    net = line_net(draw(quantities), draw(prices))
    return Line(category=category, rate=rate, net=net)


@given(st.lists(lines(), max_size=40))
def test_rows_add_up_to_the_totals_per_rate_and_to_the_grand_total(rows):
    result = totals(rows)
    assert sum(result.line_vat, Decimal(0)) == result.vat
    assert sum((group.base for group in result.per_rate), Decimal(0)) == result.net
    assert sum((group.vat for group in result.per_rate), Decimal(0)) == result.vat
    assert sum((row.net for row in rows), Decimal(0)) == result.net
    assert sum((group.gross for group in result.per_rate), Decimal(0)) == result.gross
    for group in result.per_rate:
        members = [
            i
            for i, row in enumerate(rows)
            if (row.category, row.rate) == (group.category, group.rate)
        ]
        assert sum((result.line_vat[i] for i in members), Decimal(0)) == group.vat
        # EN 16931: a rate's VAT is its base times the rate, rounded once
        assert group.vat == cents(group.base * group.rate / 100)
    for row, vat in zip(rows, result.line_vat, strict=True):
        assert vat == vat.quantize(Decimal("0.01"))
        assert abs(vat - row.net * row.rate / 100) < Decimal("0.015")


@given(st.lists(lines(), max_size=20))
def test_a_credit_note_is_the_exact_negative(rows):
    result = totals(rows)
    credited = totals([Line(row.category, row.rate, -row.net) for row in rows])
    assert credited.gross == -result.gross
    assert credited.line_vat == tuple(-vat for vat in result.line_vat)


def test_rounding_is_half_up_to_the_cent():
    assert cents(Decimal("0.005")) == Decimal("0.01")
    assert cents(Decimal("-0.005")) == Decimal("-0.01")
    assert line_net(Decimal("1.5"), Decimal("0.03")) == Decimal("0.05")


def test_the_general_rate_follows_the_day_of_supply():
    assert standard_rate(date(2024, 8, 31)) == Decimal("24")
    assert standard_rate(date(2024, 9, 1)) == Decimal("25.5")
    assert standard_rate(date(2026, 12, 1)) == Decimal("25.5")
