"""The public list's filters: the shared recommendation filters (which the exports and the API
take too), and the list's own order; the timeline's year."""

import django_filters
from django import forms
from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from milestones.filters import MilestoneFilter
from recommendations.filters import RecommendationFilter
from recommendations.models import Recommendation, Status

BY_CODE, BY_UPDATE, BY_STATUS = "code", "updated", "status"


class RecommendationListFilter(RecommendationFilter):
    # Applied after the filters (last in Meta.fields), so it replaces a search's relevance
    # order when chosen; without it, a search lists best matches first.
    sort = django_filters.ChoiceFilter(
        choices=[
            (BY_CODE, _("Plan order (code)")),
            (BY_UPDATE, _("Most recently updated first")),
            (BY_STATUS, _("Status, not started first")),
        ],
        method="sort_by",
        label=_("Sort by"),
        empty_label=_("Best match, then plan order"),
    )

    class Meta(RecommendationFilter.Meta):
        fields = [*RecommendationFilter.Meta.fields, "sort"]

    def sort_by(self, queryset, name, value):
        plan_order = Recommendation._meta.ordering
        if value == BY_UPDATE:
            return queryset.order_by(F("last_update_date").desc(nulls_last=True), *plan_order)
        if value == BY_STATUS:
            scale = Status.objects.filter(pk=OuterRef("current_status_id")).values("order")[:1]
            return queryset.annotate(status_order=Subquery(scale)).order_by(
                F("status_order").asc(nulls_first=True), *plan_order
            )
        return queryset.order_by(*plan_order)

    def described(self):
        """[(label, value)] of the filters applied, as the heading and the title restate them."""
        if not self.is_bound or not self.is_valid():
            return []
        described = []
        for name, field in self.form.fields.items():
            value = self.form.cleaned_data.get(name)
            if name == "sort" or value in (None, ""):
                continue
            if hasattr(field, "label_from_instance"):
                value = field.label_from_instance(value)
            elif getattr(field, "choices", None):
                value = dict(field.choices).get(value, value)
            described.append((field.label, value))
        return described


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField


class TimelineFilter(MilestoneFilter):
    """The timeline's filters: one plan, the order, and the year of past milestones shown (the
    view applies the year: the upcoming milestones are shown whatever the year)."""

    year = YearFilter(method="keep", label=_("Year"), min_value=1, max_value=9999)

    class Meta(MilestoneFilter.Meta):
        fields = [*MilestoneFilter.Meta.fields, "year"]
