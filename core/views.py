from django.utils.cache import patch_cache_control


class StaffPreviewMixin:
    """Staff also see unpublished items; such a page is private, never kept by a shared cache."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if request.user.is_staff:
            patch_cache_control(response, private=True)
        return response
