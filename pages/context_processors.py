from django.conf import settings


def portal(request):
    """The city's name, for page titles and the site header on every page."""
    return {"portal_city": settings.PORTAL_CITY}
