"""The implementation manager's admin: recommendations with their responsible parties and
status updates, topics, the list of all status updates and its history; the status scale for
superusers only.

Every save goes through recommendations.services (or core.versioning) and is checked against
the version the editor opened (core.admin), so nothing is overwritten unseen and every change
is recorded. A recommendation, its parties and its status records are one unit: a page that
adds, changes or deletes any of them is checked against the recommendation's version, and each
such change raises it.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import model_ngettext
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from core.admin import (
    HistoryListAdmin,
    ReadOnlyHistoryAdmin,
    TranslationsAdminMixin,
    VersionedAdmin,
    VersionedFieldsMixin,
    VersionedForm,
    VersionField,
    posted_version,
    refuse_vanished_rows,
)
from core.versioning import lock_current, lock_rows, save_edit
from exports.actions import export_selected_as_csv
from plans.models import Party
from recommendations.models import (
    Phase,
    Recommendation,
    Responsibility,
    Role,
    Status,
    StatusUpdate,
    Topic,
)
from recommendations.services import (
    PUBLIC_STATUS_FIELDS,
    add_responsible_party,
    check_status_correction,
    correct_status_update,
    delete_status_update,
    record_status_update,
    remove_responsible_party,
    set_published,
    set_topic,
)

from .attention import NeedsAttentionFilter

PROGRESS_ERROR = "Progress is a percentage: enter a whole number from 0 to 100."


# Changelist filters that read the figures with_progress() annotates.


class CurrentStatusFilter(admin.SimpleListFilter):
    title = "current status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        statuses = list(Status.objects.all())
        self.status_ids = {status.slug: status.pk for status in statuses}
        return [(s.slug, s.name) for s in statuses] + [("none", "No status record yet")]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(current_status_id__isnull=True)
        if self.value() in self.status_ids:
            return queryset.filter(current_status_id=self.status_ids[self.value()])
        return queryset


class PhaseFilter(admin.SimpleListFilter):
    title = "phase"
    parameter_name = "phase"

    def lookups(self, request, model_admin):
        return Phase.choices

    def queryset(self, request, queryset):
        if self.value() in Phase.values:
            return queryset.in_phase(self.value())
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue"), ("no", "Not overdue")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(is_overdue=self.value() == "yes")
        return queryset


# The inlines of a recommendation's page: its parts.


class RecommendationPartsFormSet(BaseInlineFormSet):
    """Rows that are part of the recommendation (its parties, its status records). A page that
    adds, changes or deletes one is checked against the recommendation's version it was opened
    at (the main form's loaded_version), even when the main form is unchanged; each saved
    change raises that version."""

    def check_recommendation_version(self):
        if self.instance._state.adding or not self.has_changed():
            return
        current = lock_current(self.instance, expected_version=posted_version(self.data))
        # From here on this request's saves pass the version it reached (the row is locked).
        self.instance.version = current.version


# The status update inline on a recommendation's page.


class StatusUpdateForm(VersionedForm):
    class Meta:
        model = StatusUpdate
        fields = [
            "status",
            "effective_date",
            "date_precision",
            "progress",
            "note",
            "sources",
            "correction_reason",
        ]
        widgets = {
            "note": AdminTextareaWidget(attrs={"rows": 3}),
            "correction_reason": AdminTextareaWidget(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            self.fields["effective_date"].initial = timezone.localdate
        progress = self.fields["progress"]
        progress.widget.attrs.update(min=0, max=100, placeholder="usual")
        progress.error_messages.update(
            invalid=PROGRESS_ERROR, min_value=PROGRESS_ERROR, max_value=PROGRESS_ERROR
        )

    def clean(self):
        cleaned_data = super().clean()
        if not self.instance._state.adding and not self.errors:
            # The instance still holds the saved values here; check the edited ones against them.
            edited = StatusUpdate(
                pk=self.instance.pk,
                recommendation_id=self.instance.recommendation_id,
                effective_date=cleaned_data.get("effective_date"),
            )
            if "recommendation" in cleaned_data:
                edited.recommendation_id = cleaned_data["recommendation"].pk
            check_status_correction(update=edited, saved=self.instance)
            public = [f.removesuffix("_id") for f in PUBLIC_STATUS_FIELDS]
            if set(public) & set(self.changed_data) and not cleaned_data.get("correction_reason"):
                self.add_error(
                    "correction_reason",
                    "Say why this record is corrected: the reason is shown publicly beside "
                    "the correction.",
                )
        return cleaned_data


class StatusUpdateFormSet(RecommendationPartsFormSet):
    """Saves through the services: new rows are recorded, edited rows corrected, deleted rows
    deleted, each with the acting user and the version checks (the row's and the
    recommendation's, which each of them raises)."""

    user = None  # set per request by StatusUpdateInline.get_formset

    def clean(self):
        super().clean()
        refuse_vanished_rows(
            self,
            "A status update on this page was deleted by someone else after you opened it, "
            "so your changes were not saved. Open the page again to see the current status "
            "updates, then make your change again.",
        )
        self.check_recommendation_version()
        # Errors on rows marked for deletion are otherwise ignored; a stale deletion must not be.
        self.loaded_versions = {}
        for form in self.initial_forms:
            if self.can_delete and self._should_delete_form(form):
                form.check_version()
                self.loaded_versions[form.instance.pk] = form.expected_version

    def save_new(self, form, commit=True):
        return record_status_update(
            recommendation=self.instance,
            status=form.instance.status,
            effective_date=form.instance.effective_date,
            progress=form.instance.progress,
            note=form.instance.note,
            sources=form.instance.sources,
            date_precision=form.instance.date_precision,
            translations=form.instance.translations,
            user=self.user,
            expected_recommendation_version=self.instance.version,
        )

    # self.instance.version: the version the page was opened at (checked in clean, the row
    # locked since), as this request's earlier saves raised it.

    def save_existing(self, form, obj, commit=True):
        obj.recommendation = self.instance  # so that the raised version is seen here
        return correct_status_update(
            update=obj,
            expected_version=form.expected_version,
            expected_recommendation_version=self.instance.version,
            user=self.user,
        )

    def delete_existing(self, obj, commit=True):
        obj.recommendation = self.instance
        delete_status_update(
            update=obj,
            expected_version=self.loaded_versions[obj.pk],
            expected_recommendation_version=self.instance.version,
            user=self.user,
        )


class StatusUpdateInline(TranslationsAdminMixin, VersionedFieldsMixin, admin.StackedInline):
    # Stacked: each field keeps its label and help text beside it, on a phone too.
    model = StatusUpdate
    form = StatusUpdateForm
    formset = StatusUpdateFormSet
    extra = 1
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("status", "effective_date", "date_precision", "progress"),
                    "note",
                    "sources",
                    ("correction_reason", "corrected_at"),
                    "created_by",
                ]
            },
        )
    ]
    readonly_fields = ["created_by", "corrected_at"]
    verbose_name = "status update"
    verbose_name_plural = "status updates (newest first; the empty row adds one)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("status", "created_by")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user
        defaults = ", ".join(f"{s.name} {s.default_progress}" for s in Status.objects.all())
        formset.form.base_fields[
            "progress"
        ].help_text = f"0-100. Left empty, the status's usual figure is used ({defaults})."
        return formset


# Recommendations.


class ResponsibilityFormSet(RecommendationPartsFormSet):
    """The parties and their roles are part of the recommendation: a change to them is checked
    against the version the page was opened at, raises the recommendation's version and is
    named in its history (RecommendationAdmin.save_related)."""

    def clean(self):
        super().clean()  # a party twice with the same role: get_unique_error_message
        refuse_vanished_rows(
            self,
            "A responsible party on this page was removed by someone else after you opened "
            "it, so your changes were not saved. Open the page again to see the current "
            "parties, then make your change again.",
        )
        self.check_recommendation_version()
        rows = [form for form in self.forms if not self._should_delete_form(form)]
        if self.instance._state.adding or not self.has_changed() or any(f.errors for f in rows):
            return
        # The recommendation's history row says what changed (simple-history's change reason).
        self.instance._change_reason = self.describe_changes()

    def describe_changes(self):
        changes = []
        for form in self.forms:
            deleted = self._should_delete_form(form)
            if not form.has_changed() or (deleted and form.instance.pk is None):
                continue
            verb = "removed" if deleted else "now" if form.instance.pk else "added"
            party, role = form.instance.party, form.instance.get_role_display()
            changes.append(f"{verb} {party.short_name or party.name} ({role})")
        return Truncator("Responsible parties: " + "; ".join(changes)).chars(100)

    def get_unique_error_message(self, unique_check):
        return "This party is listed twice with the same role. Remove one of the two rows."


class ResponsibilityInline(admin.TabularInline):
    """The parties that carry it out, each as lead or support (history keeps every change)."""

    model = Responsibility
    formset = ResponsibilityFormSet
    extra = 1
    fields = ["party", "role"]
    autocomplete_fields = ["party"]
    verbose_name = "responsible party"
    verbose_name_plural = "responsible parties (lead or support; the empty row adds one)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("party")


class RecommendationForm(VersionedForm):
    class Meta:
        model = Recommendation
        fields = ["plan", "code", "order", "title", "topic", "text", "details"]
        error_messages = {
            NON_FIELD_ERRORS: {
                "unique_together": "This plan already has a recommendation with this code. "
                "Give each recommendation of a plan its own code."
            }
        }


def topics_by_plan(field):
    """The topic choices grouped under their plan's short name, when there is more than one
    plan: a topic of another plan is refused (Recommendation.clean), so the groups show which
    ones fit."""
    groups = {}
    for topic in field.queryset.select_related("plan"):
        groups.setdefault(topic.plan, []).append((topic.pk, str(topic)))
    if len(groups) > 1:
        field.choices = [("", field.empty_label)] + [
            (plan.short_name, choices) for plan, choices in groups.items()
        ]
    return field


# The official wording: the source's words and place, which only someone with this right (a
# superuser) changes; the manager's page shows them read-only. The short title, the background
# and the translations are ours, so the manager keeps them.
OFFICIAL_WORDING = "recommendations.change_official_wording"
OFFICIAL_FIELDS = ["plan", "code", "order", "topic", "text"]


# Bulk actions on the recommendations list, each through a service function that raises the
# versions and writes the history. The topic and the parties are chosen on a confirmation
# page, which carries the version of each recommendation it lists, as "delete selected" does.


class BulkTopicForm(forms.Form):
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(), help_text="A topic of the plan of the recommendations."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        topics_by_plan(self.fields["topic"])


class BulkPartyForm(forms.Form):
    party = forms.ModelChoiceField(queryset=Party.objects.all())
    role = forms.ChoiceField(choices=Role.choices, initial=Role.LEAD, widget=forms.RadioSelect)


def confirm_bulk_change(modeladmin, request, queryset, *, action, title, form_class, apply):
    """The confirmation page of a bulk `action`, headed `title`: a form, the recommendations
    it will change and their versions; on its post, `apply(recommendations, cleaned_data,
    expected_versions)` saves and returns the message. A refusal (another plan, a stale row)
    shows the page again, the error at its top, nothing saved."""
    recommendations = list(queryset)
    if request.POST.get("post"):
        form = form_class(request.POST)
        if form.is_valid():
            versions = {
                rec.pk: posted_version(request.POST, f"loaded_version_{rec.pk}")
                for rec in recommendations
            }
            try:
                message = apply(recommendations, form.cleaned_data, versions)
            except ValidationError as error:
                fields = getattr(error, "error_dict", {})
                form.add_error(None, error if set(fields) <= set(form.fields) else error.messages)
                recommendations = list(queryset.all())  # shown at their versions now
            else:
                modeladmin.message_user(request, message, messages.SUCCESS)
                return None  # back to the list
    else:
        form = form_class()
    opts = modeladmin.opts
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "recommendations": recommendations,
        "opts": opts,
        "action_name": action.__name__,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media + form.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(
        request, f"admin/{opts.app_label}/{opts.model_name}/bulk_change_confirmation.html", context
    )


def changed_message(changed, selected, done, unchanged, **names):
    """ "2 recommendations published; 1 was already.": `done` and `unchanged` may say {was}
    and {has}, which agree with their count, and the `names` given."""

    def verbs(count):
        return {"was": "was" if count == 1 else "were", "has": "has" if count == 1 else "have"}

    opts = Recommendation._meta
    count, rest = len(changed), len(selected) - len(changed)
    message = f"{count} {model_ngettext(opts, count)} {done.format(**names, **verbs(count))}"
    if rest:
        message += f"; {rest} {unchanged.format(**names, **verbs(rest))}"
    return message + "."


@admin.action(
    description="Set the topic of the selected recommendations",
    permissions=["official_wording"],  # the topic is part of the official wording
)
def set_topic_of_selected(modeladmin, request, queryset):
    def apply(recommendations, data, versions):
        topic = data["topic"]
        changed = set_topic(
            recommendations=recommendations,
            topic=topic,
            user=request.user,
            expected_versions=versions,
        )
        return changed_message(
            changed, recommendations, "moved to “{topic}”", "{was} already", topic=topic
        )

    return confirm_bulk_change(
        modeladmin,
        request,
        queryset,
        action=set_topic_of_selected,
        title="Set the topic",
        form_class=BulkTopicForm,
        apply=apply,
    )


@admin.action(
    description="Add a responsible party to the selected recommendations",
    permissions=["add_party"],
)
def add_party_to_selected(modeladmin, request, queryset):
    def apply(recommendations, data, versions):
        party, role = data["party"], Role(data["role"])
        changed = add_responsible_party(
            recommendations=recommendations,
            party=party,
            role=role,
            user=request.user,
            expected_versions=versions,
        )
        return changed_message(
            changed,
            recommendations,
            "now {has} {party} as {role}",
            "{has} it already",
            party=party,
            role=role.label.lower(),
        )

    return confirm_bulk_change(
        modeladmin,
        request,
        queryset,
        action=add_party_to_selected,
        title="Add a responsible party",
        form_class=BulkPartyForm,
        apply=apply,
    )


@admin.action(
    description="Remove a responsible party from the selected recommendations",
    permissions=["remove_party"],
)
def remove_party_from_selected(modeladmin, request, queryset):
    def apply(recommendations, data, versions):
        party, role = data["party"], Role(data["role"])
        changed = remove_responsible_party(
            recommendations=recommendations,
            party=party,
            role=role,
            user=request.user,
            expected_versions=versions,
        )
        return changed_message(
            changed,
            recommendations,
            "no longer {has} {party} as {role}",
            "did not have it",
            party=party,
            role=role.label.lower(),
        )

    return confirm_bulk_change(
        modeladmin,
        request,
        queryset,
        action=remove_party_from_selected,
        title="Remove a responsible party",
        form_class=BulkPartyForm,
        apply=apply,
    )


# Publishing has no confirmation page, so no versions to check: the flag alone changes, on
# the locked current row, so nothing else of it is overwritten.


@admin.action(description="Publish the selected recommendations", permissions=["change"])
def publish_selected(modeladmin, request, queryset):
    recommendations = list(queryset)
    changed = set_published(recommendations=recommendations, is_published=True, user=request.user)
    message = changed_message(changed, recommendations, "published", "{was} already")
    modeladmin.message_user(request, message, messages.SUCCESS)


@admin.action(description="Unpublish the selected recommendations", permissions=["change"])
def unpublish_selected(modeladmin, request, queryset):
    recommendations = list(queryset)
    changed = set_published(recommendations=recommendations, is_published=False, user=request.user)
    message = changed_message(changed, recommendations, "unpublished", "{was} not published")
    modeladmin.message_user(request, message, messages.SUCCESS)


@admin.register(Recommendation)
class RecommendationAdmin(TranslationsAdminMixin, VersionedAdmin):
    form = RecommendationForm
    list_display = [
        "code",
        "title",
        "plan_name",
        "topic_name",
        "current_status",
        "last_update",
        "overdue",
        "is_published",
    ]
    list_display_links = ["code", "title"]
    list_filter = [
        "plan",
        "topic",
        CurrentStatusFilter,
        PhaseFilter,
        ("responsibilities__party", admin.RelatedOnlyFieldListFilter),
        OverdueFilter,
        NeedsAttentionFilter,
        "is_published",
    ]
    list_select_related = ["plan", "topic"]
    search_fields = ["code__iexact", "title", "text"]
    search_help_text = "Search by code (e.g. 12 or MH1) or by words of the title or text."
    # On a saved recommendation's page the status updates come first, then the parties, then
    # the fields (templates/admin/recommendations/recommendation/change_form.html).
    inlines = [StatusUpdateInline, ResponsibilityInline]
    actions = [
        export_selected_as_csv,
        publish_selected,
        unpublish_selected,
        set_topic_of_selected,
        add_party_to_selected,
        remove_party_from_selected,
    ]
    # The add page's order: the source's words first, then ours; a saved recommendation's
    # page puts them in the order of the weekly work (get_fieldsets).
    fieldsets = [
        (
            "The official recommendation, as the source words it",
            {"fields": ["plan", ("code", "order"), "topic", "text"]},
        ),
        (
            "Our words and the publication",
            {"fields": ["title", "details", "estimated_completion", "is_published"]},
        ),
    ]
    progress_fieldset = (
        "Progress, from the status updates below",
        {"fields": ["current_status", "last_update", "overdue"]},
    )
    readonly_fields = ["current_status", "last_update", "overdue"]

    def get_fieldsets(self, request, obj=None):
        # The fields, then each language's (TranslationsAdminMixin).
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets  # nothing recorded yet, so no progress to show
        # Saved: the progress first (the template puts the status updates and the parties right
        # after it), then our fields, then the official wording, then the languages.
        (official_name, official), ours, *languages = fieldsets
        if not self.has_official_wording_permission(request):
            official = {
                **official,
                "description": "Read-only: the source's words, number and place are changed "
                "only by an administrator. Tell them if something here is wrong.",
            }
        return [self.progress_fieldset, ours, (official_name, official), *languages]

    def has_official_wording_permission(self, request):
        return self.has_change_permission(request) and request.user.has_perm(OFFICIAL_WORDING)

    def has_add_party_permission(self, request):
        return self.has_change_permission(request) and request.user.has_perm(
            "recommendations.add_responsibility"
        )

    def has_remove_party_permission(self, request):
        return self.has_change_permission(request) and request.user.has_perm(
            "recommendations.delete_responsibility"
        )

    def get_readonly_fields(self, request, obj=None):
        # Read-only fields are left out of the form, so a post that sends them changes nothing.
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and not self.has_official_wording_permission(request):
            return [*readonly, *OFFICIAL_FIELDS]
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return topics_by_plan(field) if db_field.name == "topic" else field

    def get_queryset(self, request):
        # Current status, latest update and overdue flag in the same query as the rows.
        return super().get_queryset(request).with_progress()

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST":
            # The unit is locked first, before any of its status records, as by every writer
            # (recommendations.services): two saves never wait on each other's locks.
            lock_rows(Recommendation, obj.pk)
        return obj

    def save_related(self, request, form, formsets, change):
        form.save_m2m()
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
            parties_changed = isinstance(formset, ResponsibilityFormSet) and formset.has_changed()
            if change and parties_changed and not form.has_changed():
                # Only the parties changed: raise the version all the same, so that a page
                # opened before cannot overwrite them, with the history row that names the
                # change; from the version this request reached (see StatusUpdateFormSet).
                save_edit(
                    obj=form.instance, expected_version=form.instance.version, user=request.user
                )

    @admin.display(description="plan", ordering="plan__order")
    def plan_name(self, rec):
        return rec.plan.short_name

    @admin.display(description="topic", ordering="topic__number")
    def topic_name(self, rec):
        # Topic names are long; the full name shows on hover and on the filter.
        return format_html(
            '<span title="{}">{}</span>', rec.topic, Truncator(str(rec.topic)).chars(28)
        )

    @admin.display(description="current status")
    def current_status(self, rec):
        return rec.current_status.name if rec.current_status else "Not started (no record)"

    @admin.display(description="latest update", ordering="last_update_date")
    def last_update(self, rec):
        return rec.last_update_date

    @admin.display(description="overdue", ordering="is_overdue")
    def overdue(self, rec):
        return "Overdue" if rec.is_overdue else ""


class TopicForm(VersionedForm):
    class Meta:
        model = Topic
        fields = ["plan", "number", "name", "slug", "description"]

    def clean_plan(self):
        plan = self.cleaned_data["plan"]
        topic = self.instance
        if not topic._state.adding and plan.pk != topic.plan_id and topic.recommendations.exists():
            raise ValidationError(
                "This topic has recommendations of its plan, so it stays in that plan. Add the "
                "topic to the other plan instead."
            )
        return plan


@admin.register(Topic)
class TopicAdmin(TranslationsAdminMixin, VersionedAdmin):
    form = TopicForm
    list_display = ["number", "name", "plan_name", "slug"]
    list_display_links = ["number", "name"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    fields = ["plan", "number", "name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    @admin.display(description="plan", ordering="plan__order")
    def plan_name(self, topic):
        return topic.plan.short_name


@admin.register(Status)
class StatusAdmin(TranslationsAdminMixin, ReadOnlyHistoryAdmin):
    """The status scale: superusers only (the manager's group has no rights on it)."""

    list_display = ["order", "name", "phase", "min_progress", "max_progress", "default_progress"]
    list_display_links = ["name"]
    fields = [
        "name",
        "slug",
        "order",
        "definition",
        "phase",
        ("min_progress", "max_progress"),
        "default_progress",
    ]


# All status updates, newest first.


class CorrectedFilter(admin.SimpleListFilter):
    title = "corrected"
    parameter_name = "corrected"

    def lookups(self, request, model_admin):
        return [("yes", "Corrected after saving"), ("no", "Never corrected")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(corrected_at__isnull=self.value() == "no")
        return queryset


class StandaloneStatusUpdateForm(StatusUpdateForm):
    """A status record's own page. The record is part of its recommendation, so an edit is
    also checked against the recommendation's version the page was opened at."""

    loaded_recommendation_version = VersionField(required=False)

    class Meta(StatusUpdateForm.Meta):
        fields = ["recommendation", *StatusUpdateForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            version = self.instance.recommendation.version
            self.initial.setdefault("loaded_recommendation_version", version)

    @property
    def expected_recommendation_version(self):
        return self.cleaned_data.get("loaded_recommendation_version")

    def check_version(self):
        # The recommendation first, as every writer locks them.
        lock_current(
            self.instance.recommendation, expected_version=self.expected_recommendation_version
        )
        super().check_version()


@admin.register(StatusUpdate)
class StatusUpdateAdmin(TranslationsAdminMixin, VersionedAdmin):
    form = StandaloneStatusUpdateForm
    list_display = [
        "effective_date",
        "recommendation_code",
        "status",
        "progress",
        "short_note",
        "created_by",
        "created_at",
        "corrected_at",
    ]
    list_display_links = ["effective_date"]
    list_filter = ["status", "recommendation__plan", "recommendation__topic", CorrectedFilter]
    list_select_related = ["recommendation", "status", "created_by"]
    search_fields = ["recommendation__code__iexact", "recommendation__title", "note"]
    search_help_text = "Search by recommendation code or by words of its title or the note."
    autocomplete_fields = ["recommendation"]
    fields = [
        "recommendation",
        ("status", "effective_date", "date_precision", "progress"),
        "note",
        "sources",
        "correction_reason",
        ("created_by", "created_at", "corrected_at"),
    ]
    readonly_fields = ["created_by", "created_at", "corrected_at"]
    version_fields = ["loaded_version", "loaded_recommendation_version"]

    def get_readonly_fields(self, request, obj=None):
        # A saved record stays with its recommendation; delete it and record it anew instead.
        return [*self.readonly_fields, *(["recommendation"] if obj else [])]

    @admin.display(description="recommendation", ordering="recommendation__order")
    def recommendation_code(self, update):
        return update.recommendation

    @admin.display(description="note")
    def short_note(self, update):
        return Truncator(update.note).chars(80)

    def save_model(self, request, obj, form, change):
        if not change:
            update = record_status_update(
                recommendation=obj.recommendation,
                status=obj.status,
                effective_date=obj.effective_date,
                progress=obj.progress,
                note=obj.note,
                sources=obj.sources,
                date_precision=obj.date_precision,
                translations=obj.translations,
                user=request.user,
            )
            obj.pk = update.pk
            obj.refresh_from_db()
        elif form.has_changed():
            correct_status_update(
                update=obj,
                expected_version=form.expected_version,
                expected_recommendation_version=form.expected_recommendation_version,
                user=request.user,
            )

    def get_object(self, request, object_id, from_field=None):
        update = super().get_object(request, object_id, from_field)
        if update is not None and request.method == "POST":
            # Its recommendation first, as every writer locks them (see RecommendationAdmin).
            lock_rows(Recommendation, update.recommendation_id)
        return update

    def shown_versions(self, obj, suffix=""):
        return {
            f"loaded_version{suffix}": obj.version,
            f"loaded_recommendation_version{suffix}": obj.recommendation.version,
        }

    def delete_checked(self, request, obj, versions):
        delete_status_update(
            update=obj,
            expected_version=versions["loaded_version"],
            expected_recommendation_version=versions["loaded_recommendation_version"],
            user=request.user,
        )

    def delete_queryset(self, request, queryset):
        # Records of one recommendation: each deletion raises its version, so the next one
        # expects the version the previous one reached, not the one the page showed.
        reached = {}
        for update in queryset.select_related("recommendation"):
            versions = self.posted_versions(request, f"_{update.pk}")
            if update.recommendation_id in reached:
                versions["loaded_recommendation_version"] = reached[update.recommendation_id]
            self.delete_checked(request, update, versions)
            reached[update.recommendation_id] = update.recommendation.version


@admin.register(StatusUpdate.history.model)
class StatusUpdateHistoryAdmin(HistoryListAdmin):
    """Every add, change and delete of a status record, deleted records included."""

    list_display = [
        "when",
        "action",
        "who",
        "recommendation",
        "status",
        "effective_date",
        "progress",
        "short_note",
    ]
    list_select_related = ["history_user", "recommendation", "status"]
    search_fields = ["recommendation__code__iexact", "note"]
    search_help_text = "Search by recommendation code or by words of the note."

    @admin.display(description="note")
    def short_note(self, row):
        return Truncator(row.note).chars(60)
