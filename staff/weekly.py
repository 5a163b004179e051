"""The weekly update screen: every recommendation of a plan on one page, a row each, and a new
status record for any number of them in one submit.

Each filled row goes through record_status_update, as a single edit does, with the version of
the recommendation the page was opened at: a row whose recommendation changed meanwhile is
refused alone, with what was typed kept, and the other rows are saved.
"""

import django_filters
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from plans.models import Party, Plan
from recommendations.models import (
    Phase,
    Recommendation,
    RecordPrecision,
    Status,
    Topic,
    known_date,
)
from recommendations.services import record_status_update

from .admin.attention import ANY, reason_labels

PAGE_SIZE = 50
PERMISSION = "recommendations.add_statusupdate"


class WeeklyFilter(django_filters.FilterSet):
    """Which recommendations the screen shows: one plan (the first by default), narrowed."""

    topic = django_filters.ModelChoiceFilter(
        queryset=Topic.objects.select_related("plan"),
        to_field_name="slug",
        empty_label="All topics",
    )
    party = django_filters.ModelChoiceFilter(
        queryset=Party.objects.all(),
        to_field_name="slug",
        field_name="responsibilities__party",
        distinct=True,
        label="Party (lead or support)",
        empty_label="All parties",
    )
    attention = django_filters.ChoiceFilter(
        label="Needs attention",
        empty_label="All",
        method="filter_attention",
        choices=lambda: [
            (ANY, "For any reason"),
            *((reason, labels[0]) for reason, labels in reason_labels().items()),
        ],
    )
    phase = django_filters.ChoiceFilter(
        choices=Phase.choices, field_name="current_phase", empty_label="All phases", label="Phase"
    )

    class Meta:
        model = Recommendation
        fields = ["topic", "party", "phase", "attention"]

    def filter_attention(self, queryset, name, value):
        # The admin home's rule (RecommendationQuerySet.needing_attention), as its list filter.
        return queryset.needing_attention(None if value == ANY else value)


class RowForm(forms.Form):
    """One recommendation's row. Left without a status, it changes nothing."""

    recommendation = forms.IntegerField(widget=forms.HiddenInput)
    loaded_version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    effective_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Date"
    )
    date_precision = forms.ChoiceField(
        choices=RecordPrecision.choices, initial=RecordPrecision.DAY, label="Known"
    )
    progress = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"placeholder": "usual", "min": 0, "max": 100}),
    )
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 30}), label="Public note"
    )

    def __init__(self, *args, status_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "(no change)"), *status_choices]

    @property
    def is_filled(self):
        return self.is_bound and self.cleaned_data.get("status") is not None

    def clean(self):
        cleaned_data = super().clean()
        typed = cleaned_data.get("note") or cleaned_data.get("progress") is not None
        if cleaned_data.get("status") is None and typed:
            self.add_error("status", "Choose the status this note or progress is about.")
        if cleaned_data.get("status") is not None and not cleaned_data.get("effective_date"):
            self.add_error("effective_date", "Give the date the recommendation reached it.")
        return cleaned_data


class BaseRowFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "status_choices": self.status_choices}


RowFormSet = forms.formset_factory(RowForm, formset=BaseRowFormSet, extra=0)


def _days_since(day, precision, today):
    """How long ago the latest record was, as precisely as its date allows."""
    if day is None:
        return None
    days = (today - day).days
    prefix = {RecordPrecision.BY: "at least ", RecordPrecision.MONTH: "about "}.get(precision, "")
    if days == 0 and not prefix:
        return "today"
    return f"{prefix}{days} day{'s' if days != 1 else ''} ago"


def _rows(page, forms_by_pk, statuses, today):
    for rec in page:
        yield {
            "recommendation": rec,
            "form": forms_by_pk[rec.pk],
            "status": statuses.get(rec.current_status_id),
            "last_update": known_date(rec.last_update_date, rec.last_update_precision),
            "days_since": _days_since(rec.last_update_date, rec.last_update_precision, today),
        }


def weekly_update(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    plans = list(Plan.objects.all())
    if not plans:
        return TemplateResponse(
            request, "admin/weekly_update.html", {**admin.site.each_context(request), "plan": None}
        )
    by_slug = {plan.slug: plan for plan in plans}
    plan = by_slug.get(request.GET.get("plan")) or plans[0]
    recommendations = (
        Recommendation.objects.in_plan(plan).with_progress().order_by("order", "code", "pk")
    )
    filters = WeeklyFilter(request.GET, queryset=recommendations)
    filters.form.fields["topic"].queryset = Topic.objects.filter(plan=plan)
    shown = filters.qs if filters.is_valid() else recommendations.none()
    page = _page(shown, request.GET.get("page"))
    statuses = {status.pk: status for status in Status.objects.all()}
    status_choices = [(pk, status.name) for pk, status in statuses.items()]
    today = timezone.localdate()

    def formset_for(page, data=None):
        initial = [
            {
                "recommendation": rec.pk,
                "loaded_version": rec.version,
                "effective_date": today,
                "date_precision": RecordPrecision.DAY,
            }
            for rec in page
        ]
        formset = RowFormSet(data, initial=initial, prefix="rows")
        formset.status_choices = status_choices
        return formset

    saved, failed = 0, {}
    if request.method == "POST":
        formset = formset_for(page, request.POST)
        if not formset.management_form.is_valid():
            raise PermissionDenied  # a forged or truncated post; nothing to keep
        on_page = {rec.pk: rec for rec in page}
        for index, form in enumerate(formset.forms):
            if not form.is_valid():
                failed[index] = None
                continue
            rec = on_page.get(form.cleaned_data["recommendation"])
            if rec is None:
                form.add_error(None, "This recommendation is not on this page any more.")
                failed[index] = None
                continue
            if not form.is_filled:
                continue
            data = form.cleaned_data
            try:
                record_status_update(
                    recommendation=rec,
                    status=statuses[data["status"]],
                    effective_date=data["effective_date"],
                    date_precision=data["date_precision"],
                    progress=data["progress"],
                    note=data["note"],
                    user=request.user,
                    expected_recommendation_version=data["loaded_version"],
                )
            except ValidationError as error:
                _add_errors(form, error)
                failed[index] = None
            else:
                saved += 1
        if saved:
            messages.success(
                request,
                f"{saved} new status record{'s' if saved != 1 else ''} saved.",
            )
        if not failed:
            if not saved:
                messages.info(request, "Nothing to save: no row had a new status.")
            return redirect(request.get_full_path())
        messages.error(
            request,
            f"{len(failed)} row{'s' if len(failed) != 1 else ''} not saved: see the errors "
            "below. What you typed there is kept.",
        )
        # Reload the page's rows (the saved ones show their new status) and keep only what was
        # typed in the failed rows; the errors found while saving go back on them.
        page = _page(shown, request.GET.get("page"))
        kept = _keep_failed_rows(request.POST, formset, failed, page)
        errors = {
            formset.forms[i].cleaned_data.get("recommendation"): formset.forms[i].errors
            for i in failed
        }
        formset = formset_for(page, kept)
        formset.is_valid()
        for form in formset.forms:
            pk = form.initial.get("recommendation")
            for field, messages_ in (errors.get(pk) or {}).items():
                for message in messages_:
                    if message not in form.errors.get(field, []):
                        form.add_error(None if field == "__all__" else field, message)
    else:
        formset = formset_for(page)

    forms_by_pk = {form.initial["recommendation"]: form for form in formset.forms}
    rows = list(_rows(page, forms_by_pk, statuses, today))
    context = {
        **admin.site.each_context(request),
        "title": f"Weekly update: {plan.short_name}",
        "plan": plan,
        "plans": plans,
        "filters": filters,
        "page": page,
        "formset": formset,
        "rows": rows,
        "failed_rows": [row for row in rows if row["form"].errors],
        "query": _query_without_page(request.GET),
    }
    return TemplateResponse(request, "admin/weekly_update.html", context)


def _page(shown, number):
    """The page's recommendations with their figures. The page's ids come first, from the
    filtered list, so the figures are computed for its rows only, not for the rows an offset
    skips (which made the last of 100 pages ten times slower than the first)."""
    page = Paginator(shown.values_list("pk", flat=True), PAGE_SIZE).get_page(number)
    rows = shown.model.objects.filter(pk__in=list(page.object_list)).with_progress()
    page.object_list = list(rows.order_by(*shown.query.order_by))
    return page


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message.messages[0])
    else:
        for message in error.messages:
            form.add_error(None, message)


def _keep_failed_rows(post, formset, failed, page):
    """The post's typed values for the failed rows, by recommendation, laid out on the
    reloaded page. Every row gets the version it has now: a row refused because someone else
    changed its recommendation shows their change and its error, and saving it again is a
    decision made after seeing it."""
    typed = {}
    for index in failed:
        form = formset.forms[index]
        pk = form.data.get(form.add_prefix("recommendation"))
        typed[str(pk)] = {
            name: post.get(form.add_prefix(name), "")
            for name in ("status", "effective_date", "date_precision", "progress", "note")
        }
    data = QueryDict(mutable=True)
    data.update(
        {
            "rows-TOTAL_FORMS": str(len(page)),
            "rows-INITIAL_FORMS": str(len(page)),
        }
    )
    today = timezone.localdate().isoformat()
    for index, rec in enumerate(page):
        values = typed.get(str(rec.pk)) or {
            "status": "",
            "effective_date": today,
            "date_precision": RecordPrecision.DAY,
            "progress": "",
            "note": "",
        }
        data[f"rows-{index}-recommendation"] = str(rec.pk)
        data[f"rows-{index}-loaded_version"] = str(rec.version)
        for name, value in values.items():
            data[f"rows-{index}-{name}"] = value
    return data


def _query_without_page(query):
    query = query.copy()
    query.pop("page", None)
    return query.urlencode()
