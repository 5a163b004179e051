"""The sign-in records (each manager sees their own), and the superuser's actions on users:
reset a second factor, end all sessions."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from . import second_factor
from .models import SignInEvent
from .sessions import end_sessions

User = get_user_model()


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    list_display = ["time", "event", "username", "address", "browser"]
    list_filter = ["event", ("user", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "time"
    search_fields = ["username", "address"]
    list_select_related = ["user"]

    def get_queryset(self, request):
        events = super().get_queryset(request)
        return events if request.user.is_superuser else events.filter(user=request.user)

    def get_list_filter(self, request):
        return self.list_filter if request.user.is_superuser else ["event"]

    # A record, never edited.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    actions = ["reset_second_factor", "end_all_sessions"]

    def has_superuser_permission(self, request):
        return request.user.is_superuser

    @admin.action(
        description="Reset the second factor (they set it up again at the next sign-in)",
        permissions=["superuser"],
    )
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            second_factor.reset(user=user, request=request)
        self.message_user(
            request,
            f"Second factor reset for {len(queryset)} user(s); their sessions have ended.",
            messages.SUCCESS,
        )

    @admin.action(
        description="End all their sessions (sign them out everywhere)",
        permissions=["superuser"],
    )
    def end_all_sessions(self, request, queryset):
        ended = sum(end_sessions(user=user, request=request) for user in queryset)
        self.message_user(request, f"{ended} session(s) ended.", messages.SUCCESS)
