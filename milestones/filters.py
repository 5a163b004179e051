"""The timeline's filter: one plan's milestones."""

import django_filters
from django.utils.translation import gettext_lazy as _

from plans.models import Plan

from .models import Milestone


class MilestoneFilter(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(
        queryset=Plan.objects.published(), to_field_name="slug", label=_("Plan")
    )

    class Meta:
        model = Milestone
        fields = ["plan"]
