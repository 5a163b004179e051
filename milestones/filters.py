"""The timeline's filter: one plan's milestones, oldest or newest first."""

import django_filters
from django.utils.translation import gettext_lazy as _

from plans.models import Plan

from .models import Milestone

OLDEST, NEWEST = "oldest", "newest"


class MilestoneFilter(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(
        queryset=Plan.objects.published(), to_field_name="slug", label=_("Plan")
    )

    # The order of the past milestones; the view applies it (the upcoming ones stay soonest
    # first). An unknown value makes the form invalid, like an unknown plan.
    order = django_filters.ChoiceFilter(
        choices=[(OLDEST, _("Oldest first")), (NEWEST, _("Newest first"))],
        method="keep",
        label=_("Order"),
        empty_label=None,
    )

    class Meta:
        model = Milestone
        fields = ["plan", "order"]

    def keep(self, queryset, name, value):
        return queryset

    @property
    def newest_first(self):
        return self.is_valid() and self.form.cleaned_data.get("order") == NEWEST
