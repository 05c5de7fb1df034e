"""Finland's public holidays, for everything that plans days: bookable hours and series of
meetings."""

from datetime import date

import holidays


def finnish_holidays(first: date, last: date, language: str | None = None) -> holidays.HolidayBase:
    """Finland's public holidays (and the eves the holidays package counts) in the years,
    named in ``language`` ("fi", "en_US", "sv_FI") when it is given."""
    return holidays.country_holidays(
        "FI", years=range(first.year, last.year + 1), language=language
    )
