"""The admin home's "Needs attention" module (templates/admin/index.html).

{% load attention %}
{% needs_attention as attention %}    counts by reason and the first rows: two queries
"""

from django import template

from staff.admin import attention as _attention

register = template.Library()


@register.simple_tag
def needs_attention():
    return _attention.needs_attention()
