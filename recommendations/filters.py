"""The recommendation filters, shared by the public list, the exports and the API."""

from collections import namedtuple

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField

from core.translations import plain_text, translation

from .models import STARTED_PHASES, Phase, Recommendation, Status, Topic

STARTED = "started"
# The fields `q` searches, in both languages: a resident may type either.
SEARCHED_FIELDS = ["title", "text", "details", "title_es", "text_es", "details_es"]
Lead = namedtuple("Lead", ["lead", "lead_es"])


class NameInLanguageField(ModelChoiceField):
    """Options labelled with the object's name in the page's language."""

    def label_from_instance(self, obj):
        return plain_text(translation(obj, "name"))


class NameInLanguageFilter(django_filters.ModelChoiceFilter):
    field_class = NameInLanguageField


class RecommendationFilter(django_filters.FilterSet):
    """Filters a queryset annotated by `with_progress()` (it reads the current status).

    An unknown slug or phase makes the form invalid, so callers can show an error instead of
    a silently unfiltered list.
    """

    # Bounded, so a pasted essay is a form error rather than a query too deep for the database.
    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=200)
    topic = NameInLanguageFilter(
        queryset=Topic.objects.all(),
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
    lead = django_filters.ChoiceFilter(choices=[], label=_("Lead"), empty_label=_("All leads"))

    class Meta:
        model = Recommendation
        fields = ["q", "topic", "status", "phase", "lead"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The choices are the leads the published recommendations name, read when the form is
        # built (a lead named only by an unpublished one stays private); the
        # value stays the English one, so a filtered address is the same in both languages.
        self.filters["lead"].extra["choices"] = [
            (lead, plain_text(translation(Lead(lead, lead_es), "lead")))
            for lead, lead_es in Recommendation.objects.published().lead_translations().items()
        ]

    def search(self, queryset, name, value):
        words = dict.fromkeys(value.split())
        for word in words:
            queryset = queryset.filter(
                Q.create([(f"{field}__icontains", word) for field in SEARCHED_FIELDS], Q.OR)
            )
        return queryset

    def filter_status(self, queryset, name, value):
        return queryset.filter(current_status_id=value.pk)

    def filter_phase(self, queryset, name, value):
        if value == STARTED:
            return queryset.filter(current_phase__in=STARTED_PHASES)
        return queryset.in_phase(value)
