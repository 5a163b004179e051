"""The timeline in the admin: milestones with their date precision and linked recommendations.

A date before 1990 is refused on the date field (the model's validator); a future date is
accepted, and the milestone is shown to the public as upcoming until its day."""

from django.contrib import admin
from django.db.models import Count

from core.admin import HistoryListAdmin, TranslationsAdminMixin, VersionedAdmin
from milestones.models import Milestone
from milestones.services import delete_milestone, save_milestone


class WhenFilter(admin.SimpleListFilter):
    """Upcoming or past, by the public pages' rule (MilestoneQuerySet.upcoming and .past)."""

    title = "when"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", "Upcoming"), ("past", "Past (today or earlier)")]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.upcoming()
        if self.value() == "past":
            return queryset.past()
        return queryset


@admin.register(Milestone)
class MilestoneAdmin(TranslationsAdminMixin, VersionedAdmin):
    list_display = ["shown_date", "title", "date_precision", "plan_name", "linked", "is_published"]
    list_display_links = ["shown_date", "title"]
    list_filter = [WhenFilter, "plan", "date_precision", "is_published"]
    list_select_related = ["plan"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["recommendations"]
    fields = [
        "date",
        "date_precision",
        "plan",
        "title",
        "description",
        "recommendations",
        "sources",
        "is_published",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(linked_count=Count("recommendations"))

    @admin.display(description="date", ordering="date")
    def shown_date(self, milestone):
        return milestone.display_date

    @admin.display(description="plan", ordering="plan__order", empty_value="")
    def plan_name(self, milestone):
        return milestone.plan.short_name if milestone.plan else None

    @admin.display(description="linked recommendations", ordering="linked_count")
    def linked(self, milestone):
        return milestone.linked_count

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return
        save_milestone(
            milestone=obj,
            recommendations=form.cleaned_data["recommendations"],
            expected_version=form.expected_version,
            user=request.user,
        )

    def save_related(self, request, form, formsets, change):
        # save_milestone has saved the links with the milestone, in one history row.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def delete_checked(self, request, obj, versions):
        # The version the confirmation page showed (VersionedAdmin.delete_model): a milestone
        # someone changed since is not deleted.
        delete_milestone(
            milestone=obj, expected_version=versions["loaded_version"], user=request.user
        )


@admin.register(Milestone.history.model)
class MilestoneHistoryAdmin(HistoryListAdmin):
    """Every add, change and delete of a milestone, deleted milestones included."""

    list_display = ["when", "action", "who", "date", "title", "is_published"]
    list_select_related = ["history_user"]
    search_fields = ["title"]
