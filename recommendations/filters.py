"""The recommendation filters, shared by the public list, the exports and the API."""

import django_filters
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField

from core.translations import plain_text, translation
from plans.models import Party, Plan

from .models import STARTED_PHASES, Phase, Recommendation, Role, Status, Topic

STARTED = "started"

# What answers `q`: the search app's word search (search/queries.py). That app sits above this
# one, so it plugs itself in when Django starts (search/apps.py) instead of being imported.
_search = None


def register_search(function):
    """Answer `q` with `function(queryset, text)`: the matching recommendations, best first."""
    global _search
    _search = function


class NameInLanguageField(ModelChoiceField):
    """Options labelled with the object's name in the page's language."""

    def label_from_instance(self, obj):
        return plain_text(translation(obj, "name"))


class NameInLanguageFilter(django_filters.ModelChoiceFilter):
    field_class = NameInLanguageField


class ShortNameInLanguageField(ModelChoiceField):
    def label_from_instance(self, obj):
        return plain_text(translation(obj, "short_name"))


class ShortNameInLanguageFilter(django_filters.ModelChoiceFilter):
    field_class = ShortNameInLanguageField


def published_plans(request):
    return Plan.objects.published()


class RecommendationFilter(django_filters.FilterSet):
    """Filters a queryset annotated by `with_progress()` (it reads the current status).

    An unknown slug or phase makes the form invalid, so callers can show an error instead of
    a silently unfiltered list.
    """

    # Bounded, so a pasted essay is a form error rather than a query too deep for the database.
    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=200)
    plan = ShortNameInLanguageFilter(
        queryset=published_plans,
        to_field_name="slug",
        label=_("Plan"),
        empty_label=_("All plans"),
    )
    topic = NameInLanguageFilter(
        queryset=Topic.objects.filter(plan__is_published=True),
        to_field_name="slug",
        label=_("Topic"),
        empty_label=_("All topics"),
    )
    status = NameInLanguageFilter(
        queryset=Status.objects.all(),
        to_field_name="slug",
        field_name="current_status_id",
        method="filter_status",
        label=_("Status"),
        empty_label=_("All statuses"),
    )
    # "started" (in progress or implemented) is the list the home page's started count counts.
    phase = django_filters.ChoiceFilter(
        choices=[*Phase.choices, (STARTED, _("Started (in progress or implemented)"))],
        field_name="current_phase",
        method="filter_phase",
        label=_("Phase"),
        empty_label=_("All phases"),
    )
    # Each party once, by its identifier, so a filtered address is the same in every language;
    # only the parties that lead a published recommendation (one named only by an unpublished
    # recommendation stays private).
    lead = NameInLanguageFilter(
        queryset=Party.objects.none(),
        to_field_name="slug",
        method="filter_lead",
        label=_("Lead"),
        empty_label=_("All leads"),
    )

    class Meta:
        model = Recommendation
        fields = ["q", "plan", "topic", "status", "phase", "lead"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        published = Recommendation.objects.published()
        self.filters["lead"].queryset = Party.objects.leading(published)

    def search(self, queryset, name, value):
        if _search is None:
            raise ImproperlyConfigured("The q filter needs the search app in INSTALLED_APPS.")
        return _search(queryset, value)

    def filter_lead(self, queryset, name, party):
        return queryset.filter(responsibilities__party=party, responsibilities__role=Role.LEAD)

    def filter_status(self, queryset, name, value):
        return queryset.filter(current_status_id=value.pk)

    def filter_phase(self, queryset, name, value):
        if value == STARTED:
            return queryset.filter(current_phase__in=STARTED_PHASES)
        return queryset.in_phase(value)
