"""Template helpers for the configured languages: content with its fallback marker, and the same
page in every language (the switcher and the hreflang alternates).

    {% load languages %}
    {{ recommendation|translated:"title" }}          inline, e.g. in a heading or a link
    {{ update|translated_lines:"note" }}             line breaks kept, as |linebreaksbr
    {{ update|translated_paragraphs:"note" }}        paragraphs, as |linebreaks prints them
    {{ recommendation|translation:"title" }}         plain text (page titles, attributes)
    {% language_versions as versions %}    [{code, name, url, absolute_url, current, default}]
    {% source_language as lang %}          the site's first language, of untranslated data
"""

from django import template
from django.conf import settings
from django.template.defaultfilters import linebreaks_filter, linebreaksbr
from django.urls import get_script_prefix, translate_url
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language_from_path

from core.translations import active_language, default_language, marker, plain_text
from core.translations import translation as translation_of

register = template.Library()


@register.filter
def translation(obj, field):
    """The field in the active language as plain text, the marker in brackets if it fell back."""
    return plain_text(translation_of(obj, field))


def _marked(value, html, *, block=False):
    """`html` (the value, already escaped); if it is source text standing in for a missing
    translation, tagged with its language (lang="en") and marked."""
    if not value.fell_back:
        return html
    if block:
        template = '<p class="untranslated">({marker})</p><div lang="{lang}">{html}</div>'
    else:
        template = '<span lang="{lang}">{html}</span> <span class="untranslated">({marker})</span>'
    return format_html(template, marker=marker(), lang=value.language, html=html)


@register.filter
def translated(obj, field):
    """The field in the active language; English shown instead is tagged lang="en" and
    followed by the marker."""
    value = translation_of(obj, field)
    return _marked(value, conditional_escape(value.text))


@register.filter
def translated_lines(obj, field):
    """Like `translated`, its line breaks kept (as |linebreaksbr)."""
    value = translation_of(obj, field)
    return _marked(value, linebreaksbr(value.text, autoescape=True))


@register.filter
def translated_paragraphs(obj, field):
    """Like `translated`, printed as paragraphs (as |linebreaks); the marker comes first."""
    value = translation_of(obj, field)
    return _marked(value, linebreaks_filter(value.text, autoescape=True), block=True)


@register.simple_tag
def source_language():
    """The language the city's untranslated texts (source labels, ...) are written in."""
    return default_language()


def path_in(language, path):
    """`path` (after the script prefix) with `language`'s prefix put on or taken off."""
    current = get_language_from_path(path)
    if current:
        path = path[len(current) + 1 :] or "/"
    return path if language == default_language() else f"/{language}{path}"


@register.simple_tag(takes_context=True)
def language_versions(context):
    """This page in each language, its query string kept; [] without a request."""
    request = context.get("request")
    if request is None:
        return []
    here = request.get_full_path()
    active = active_language()
    versions = []
    for code, name in settings.LANGUAGES:
        url = translate_url(here, code)
        if url == here and code != active:
            # An address no view answers in this language (a 404 page; /es/healthz): the same
            # path with the other language's prefix.
            url = get_script_prefix()[:-1] + path_in(code, request.path_info)
            url += f"?{request.META['QUERY_STRING']}" if request.META.get("QUERY_STRING") else ""
        versions.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "current": code == active,
                "default": code == default_language(),
            }
        )
    return versions
