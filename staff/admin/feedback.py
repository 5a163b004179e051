"""Residents' feedback: what they wrote about a recommendation's status, for the manager to
review (answered, dismissed), never published. Residents' words are shown escaped, as text.

Feedback comes only from the public form: nobody adds it here. The manager views it and
changes its state and note; deleting one (a resident's request to erase it) is the
superuser's. Every change of state goes through feedback.services.review_feedback.
"""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.text import Truncator

from core.admin import VersionedAdmin
from feedback.models import Feedback, State
from feedback.services import review_feedback


@admin.register(Feedback)
class FeedbackAdmin(VersionedAdmin):
    list_display = ["created_at", "about", "excerpt", "language", "state", "reply_to", "handler"]
    list_display_links = ["created_at", "about"]
    list_filter = [
        "state",
        ("recommendation", admin.RelatedOnlyFieldListFilter),
        "language",
        "created_at",
    ]
    list_select_related = ["handled_by"]
    search_fields = ["message", "email", "about", "staff_note"]
    search_help_text = "Search by words of the message or the note, an email address, or a code."
    actions = ["mark_answered", "mark_dismissed"]
    fields = [
        "recommendation_page",
        "created_at",
        "language",
        "message",
        "reply_address",
        "state",
        "staff_note",
        ("handler", "handled_at"),
    ]
    readonly_fields = [
        "recommendation_page",
        "created_at",
        "language",
        "message",
        "reply_address",
        "handler",
        "handled_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recommendation__plan")

    def has_add_permission(self, request):
        return False

    @admin.display(description="message")
    def excerpt(self, feedback):
        return Truncator(feedback.message).chars(80)

    @admin.display(description="email given", boolean=True)
    def reply_to(self, feedback):
        return bool(feedback.email)

    @admin.display(description="handled by", ordering="handled_at", empty_value="")
    def handler(self, feedback):
        user = feedback.handled_by
        return (user.get_full_name() or user.get_username()) if user else None

    @admin.display(description="about")
    def recommendation_page(self, feedback):
        recommendation = feedback.recommendation
        if recommendation is None:  # deleted since
            return feedback.about
        return format_html('<a href="{}">{}</a>', recommendation.get_absolute_url(), feedback.about)

    @admin.display(description="email for a reply", empty_value="(none given)")
    def reply_address(self, feedback):
        if not feedback.email:
            return None
        return format_html('<a href="mailto:{}">{}</a>', feedback.email, feedback.email)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return
        review_feedback(
            feedback=obj,
            state=form.cleaned_data["state"],
            staff_note=form.cleaned_data["staff_note"],
            user=request.user,
            expected_version=form.expected_version,
        )

    def mark(self, request, queryset, state):
        for feedback in queryset:
            review_feedback(feedback=feedback, state=state, user=request.user)
        self.message_user(
            request, f"{len(queryset)} marked {State(state).label.lower()}.", messages.SUCCESS
        )

    @admin.action(description="Mark the selected feedback answered", permissions=["change"])
    def mark_answered(self, request, queryset):
        self.mark(request, queryset, State.ANSWERED)

    @admin.action(description="Mark the selected feedback dismissed", permissions=["change"])
    def mark_dismissed(self, request, queryset):
        self.mark(request, queryset, State.DISMISSED)
