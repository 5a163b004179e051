from django.utils.functional import SimpleLazyObject

from plans.models import City


def portal(request):
    """The city (names, logo, contact, footer) for the header, footer and page titles of every
    page: one query, made only by a page that prints it."""
    return {"city": SimpleLazyObject(City.current)}
