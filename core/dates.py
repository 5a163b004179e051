"""Dates known only as precisely as they are known: to the day, the month or the year; and the
earliest date any record may carry."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats

# Nothing the portal records happened before this day: an earlier date is a mistyped year.
# Models refuse it with `validate_not_too_early` on the field and, in the database, with
# CheckConstraint(condition=Q(<field>__gte=EARLIEST_DATE), ...).
EARLIEST_DATE = datetime.date(1990, 1, 1)


def validate_not_too_early(value):
    """Refuse a date before EARLIEST_DATE, in words the admin shows on the field."""
    if value < EARLIEST_DATE:
        raise ValidationError(
            f"Enter a date on or after {formats.date_format(EARLIEST_DATE)}: nothing the portal "
            "records is older. Check the year.",
            code="too_early",
        )


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
