"""Finland's public holidays, for everything that plans days: bookable hours and series of
meetings."""

from datetime import date

import holidays


def finnish_holidays(first: date, last: date) -> holidays.HolidayBase:
    """Finland's public holidays (and the eves the holidays package counts) in the years."""
    return holidays.country_holidays("FI", years=range(first.year, last.year + 1))
