"""{% link_preview as preview %}: the Open Graph and Twitter card of the page being rendered
(see pages/previews.py and templates/includes/link_preview.html)."""

from django import template

from pages.previews import page_preview

register = template.Library()


@register.simple_tag(takes_context=True)
def link_preview(context):
    return page_preview(context)
