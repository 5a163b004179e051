"""{% request_reference as reference %}: the id of the request being answered (portal/
request_log.py), for the error pages, which may be rendered without a request context."""

from django import template

from portal.request_log import current_request_id

register = template.Library()


@register.simple_tag
def request_reference():
    return current_request_id()
