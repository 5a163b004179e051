"""The query parameters every export, the report and the API share: as_of, the recommendation
filters of the public list (plan among them), and (report only) since.

Anything unexpected is refused with a readable message rather than ignored: a misspelt
`?asof=` silently giving today's figures is the worst outcome for someone citing them.
"""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.dates import EARLIEST_DATE
from plans.models import Plan
from recommendations.filters import RecommendationFilter
from recommendations.models import Recommendation

FILTER_NAMES = list(RecommendationFilter.base_filters)
DATE_FORMAT_HELP = _("Enter a date as YYYY-MM-DD, for example 2025-10-01.")
# The API's pages: this many items unless page_size asks for another number, up to the maximum.
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


class InvalidParameters(Exception):
    """Bad query parameters; `errors` maps each parameter to readable messages."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def refuse_too_early(day):
    # Nothing the portal counts is older, and a day near year 1 overflows date arithmetic.
    if day and day < EARLIEST_DATE:
        raise forms.ValidationError(
            gettext("%(date)s is before %(earliest)s: the portal has no figures that early.")
            % {"date": day.isoformat(), "earliest": EARLIEST_DATE.isoformat()}
        )


class DatesForm(forms.Form):
    as_of = forms.DateField(
        required=False, input_formats=["%Y-%m-%d"], error_messages={"invalid": DATE_FORMAT_HELP}
    )
    since = forms.DateField(
        required=False, input_formats=["%Y-%m-%d"], error_messages={"invalid": DATE_FORMAT_HELP}
    )

    def clean_as_of(self):
        as_of, today = self.cleaned_data["as_of"], timezone.localdate()
        refuse_too_early(as_of)
        # Status records cannot be dated in the future, so a future day's figures would only
        # repeat today's while looking like a forecast. Refused instead.
        if as_of and as_of > today:
            raise forms.ValidationError(
                gettext(
                    "%(date)s is after today (%(today)s): the portal has no figures for days "
                    "to come."
                )
                % {"date": as_of.isoformat(), "today": today.isoformat()}
            )
        return as_of or today

    def clean_since(self):
        since = self.cleaned_data["since"]
        refuse_too_early(since)
        return since

    def clean(self):
        cleaned = super().clean()
        as_of, since = cleaned.get("as_of"), cleaned.get("since")
        if as_of and since and since > as_of:
            self.add_error(
                "since",
                gettext("%(date)s is after the as-of date (%(as_of)s); choose an earlier date.")
                % {"date": since.isoformat(), "as_of": as_of.isoformat()},
            )
        return cleaned


class PagingForm(forms.Form):
    page = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={"invalid": _("Enter a page number: 1 or more.")},
    )
    page_size = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        error_messages={"invalid": _("Enter a whole number of items per page.")},
    )


@dataclass
class ExportParams:
    as_of: date
    since: date | None
    recommendations: QuerySet  # published, for_public_list(as_of), filtered
    filters: dict = field(default_factory=dict)  # the filters given, {name: value}
    plan: Plan | None = None  # the plan named by ?plan=, if any (else: every published plan)
    page: int = 1  # the API's lists: which page, of how many items
    page_size: int = DEFAULT_PAGE_SIZE

    def counted(self):
        """The published recommendations in scope, ready for progress()/progress_by_topic():
        those two annotate by themselves, so they get the filtered ids as one subquery."""
        published = Recommendation.objects.published()
        if not self.filters:
            return published
        return published.filter(pk__in=self.recommendations.values("pk"))

    def query_string(self, **extra):
        """The parameters that reproduce these figures, for links between the formats."""
        return urlencode({"as_of": self.as_of.isoformat(), **self.filters, **extra})


def read_params(query, *, as_of=True, filters=True, since=False, paging=False):
    """Validate a request's GET parameters; raise InvalidParameters listing every problem.

    `filters`: True for every recommendation filter, False for none, or a list of their names
    (["plan"] for the API's topics and milestones). `paging`: page and page_size (the API's
    lists)."""
    filter_names = FILTER_NAMES if filters is True else list(filters or [])
    allowed = [*(["as_of"] if as_of else []), *filter_names]
    allowed += ["since"] if since else []
    allowed += ["page", "page_size"] if paging else []
    errors = {}
    for name in query:
        values = query.getlist(name)
        if name not in allowed:
            accepted = ", ".join(allowed) if allowed else gettext("no parameters")
            errors[name] = [
                gettext("Unknown parameter. This address accepts %(accepted)s.")
                % {"accepted": accepted}
            ]
        elif len(values) > 1:
            errors[name] = [gettext("Give this parameter only once.")]
        elif "\x00" in values[0]:
            # Checked here because PostgreSQL refuses NUL in a query before any form could.
            errors[name] = [gettext("Null characters are not allowed.")]
    if errors:
        raise InvalidParameters(errors)

    dates = DatesForm({name: query[name] for name in ("as_of", "since") if name in query})
    dates.is_valid()
    errors.update({name: list(messages) for name, messages in dates.errors.items()})
    paging_form = PagingForm({name: query[name] for name in ("page", "page_size") if name in query})
    paging_form.is_valid()
    errors.update({name: list(messages) for name, messages in paging_form.errors.items()})
    day = dates.cleaned_data.get("as_of") or timezone.localdate()
    recommendations = Recommendation.objects.published().for_public_list(day)
    given = {name: query[name] for name in filter_names if query.get(name)}
    plan = None
    if given:
        filterset = RecommendationFilter(given, queryset=recommendations)
        if not filterset.is_valid():
            errors.update({name: list(messages) for name, messages in filterset.errors.items()})
        else:
            recommendations = filterset.qs
            plan = filterset.form.cleaned_data.get("plan")
    if errors:
        raise InvalidParameters(errors)
    return ExportParams(
        as_of=day,
        since=dates.cleaned_data.get("since"),
        recommendations=recommendations,
        filters=given,
        plan=plan,
        page=paging_form.cleaned_data.get("page") or 1,
        page_size=paging_form.cleaned_data.get("page_size") or DEFAULT_PAGE_SIZE,
    )
