"""What every admin edit shares.

- The version check: each change form carries the version it was opened at; a save made from
  an older version is refused with a form error (services.lock_current), never applied.
- Saves and deletes go through the service functions, which record the acting user.
- History can be viewed, never changed: the "revert" form of django-simple-history is off.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from core.versioning import delete_edit, lock_current, save_edit


def _is_stale(errors):
    return any(error.code == "stale" for error in errors.as_data())


def _refused_as_stale(context):
    """Whether a change page is shown again because an edit was refused as stale."""
    form = context["adminform"].form
    if _is_stale(form.non_field_errors()):
        return True
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        if _is_stale(formset.non_form_errors()):
            return True
        if any(_is_stale(f.non_field_errors()) for f in formset.forms):
            return True
    return False


class VersionField(forms.IntegerField):
    """The version the editor opened, sent back with the form. Bookkeeping, never an edit."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False


class VersionedForm(forms.ModelForm):
    loaded_version = VersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            self.initial.setdefault("loaded_version", self.instance.version)

    @property
    def expected_version(self):
        return self.cleaned_data.get("loaded_version")

    def check_version(self):
        """Lock the saved row until the save commits; refuse an edit of an older version."""
        lock_current(self.instance, expected_version=self.expected_version)

    def clean(self):
        cleaned_data = super().clean()
        # An unchanged form overwrites nothing, so it need not be current.
        if not self.instance._state.adding and self.has_changed():
            self.check_version()
        return cleaned_data


class VersionedFieldsMixin:
    """Puts the form's hidden version field on the page (admin only renders listed fields)."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self.has_change_permission(request, obj):
            return fieldsets  # a read-only page posts nothing back
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": ["loaded_version", *options["fields"]]}), *rest]


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """Every change is in the History page; nobody can post to a history row (no revert)."""

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # As simple-history does, minus its select_related() without names for models without
        # foreign keys, which Django 6.1 deprecates.
        related = [f.name for f in history_manager.model.tracked_fields if f.many_to_one]
        return history_manager.filter(**{pk_name: object_id}).select_related(
            "history_user", *related
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("History is read-only.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class VersionedAdmin(VersionedFieldsMixin, ReadOnlyHistoryAdmin):
    """Admin for a model with a `version` field: checked saves and deletes via the services."""

    form = VersionedForm

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        if change and request.method == "POST" and _refused_as_stale(context):
            messages.warning(
                request,
                format_html(
                    'Someone saved this page after you opened it. <a href="{}">Open the '
                    "current version</a>; what you typed stays on this page until you leave it.",
                    request.path,
                ),
            )
        return super().render_change_form(request, context, add, change, **kwargs)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return
        save_edit(obj=obj, expected_version=form.expected_version, user=request.user)

    def delete_model(self, request, obj):
        # The confirmation page was loaded just now, so the version it showed is the current one.
        delete_edit(obj=obj, expected_version=obj.version, user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class HistoryListAdmin(admin.ModelAdmin):
    """A read-only list of one model's history rows (also of deleted objects): who, what, when.

    Nobody, not even a superuser, can add, change or delete a history row here.
    """

    list_filter = ["history_type"]
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="when", ordering="history_date")
    def when(self, row):
        return row.history_date

    @admin.display(description="what")
    def action(self, row):
        return ACTIONS[row.history_type]

    @admin.display(description="who", ordering="history_user__username")
    def who(self, row):
        user = row.history_user
        return (user.get_full_name() or user.get_username()) if user else "(no user recorded)"


ACTIONS = {"+": "Added", "~": "Changed", "-": "Deleted"}
