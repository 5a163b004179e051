"""Which language a request is answered in: the URL's, and nothing else."""

from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PathLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware without `Vary: Accept-Language`.

    With i18n_patterns(prefix_default_language=False) a path under /es/ is Spanish and any
    other path English, whatever the browser's Accept-Language or cookies say (Django's own
    process_request already decides so). So a page is the same for every visitor and the page
    cache and proxies may keep it; Django would add the Vary header to every unprefixed page.
    """

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
