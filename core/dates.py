"""Dates known only as precisely as they are known: to the day, the month or the year."""

from django.db import models
from django.utils import formats


class Precision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


# How a date prints at each precision, in the active language's format: "Sept. 25, 2025",
# "September 2025", "2025"; in Spanish "25 de septiembre de 2025", "septiembre de 2025".
DATE_FORMATS = {
    Precision.DAY: "DATE_FORMAT",
    Precision.MONTH: "YEAR_MONTH_FORMAT",
    Precision.YEAR: "Y",
}
# The same as ISO 8601 text: 2025-09-25, 2025-09, 2025.
ISO_LENGTHS = {Precision.DAY: 10, Precision.MONTH: 7, Precision.YEAR: 4}


def display_date(day, precision):
    """`day` printed only as precisely as `precision` says, in the active language."""
    return formats.date_format(day, DATE_FORMATS[precision])


def iso_date(day, precision):
    return day.isoformat()[: ISO_LENGTHS[precision]]
