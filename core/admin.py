"""What every admin edit shares.

- The version check: each change form carries the version it was opened at; a save made from
  an older version is refused with a form error (services.lock_current), never applied. A
  delete confirmation page carries the versions it was shown at the same way.
- Errors are listed at the top of a change form, each linked to its field
  (templates/admin/change_form.html), the refusal of a stale page first.
- Saves and deletes go through the service functions, which record the acting user.
- History can be viewed, never changed: the "revert" form of django-simple-history is off.
- Translations: a fieldset per configured language, a form field per translated field
  (`title_es`, `title_vi`, ...), stored in the row's `translations` (core/translations.py).
"""

import dataclasses

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from core.translations import default_language, other_languages, translated_value
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


def refuse_vanished_rows(formset, message):
    """A row deleted by someone else after the page was opened comes back with an unknown id,
    an error the page would not show (the id is a hidden field): say it in words."""
    if any("id" in form.errors for form in formset.initial_forms):
        raise ValidationError(message, code="stale")


def posted_version(data, name="loaded_version"):
    """The version the page was opened at, as its form posted it; None if missing."""
    value = (data.get(name) or "").strip()
    return int(value) if value.isdecimal() else None


class VersionedFieldsMixin:
    """Puts the form's hidden version fields on the page (admin only renders listed fields)."""

    version_fields = ["loaded_version"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self.has_change_permission(request, obj):
            return fieldsets  # a read-only page posts nothing back
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*self.version_fields, *options["fields"]]}), *rest]


def error_summary(adminform, inline_admin_formsets):
    """Every error of a change form and its inlines, for the note at the top of the page: a
    list of {"message", "label", "anchor"} (the id of the field, the row or the inline to link
    to), each message once, the refusal of a stale page first."""
    items = []

    def add(errors, label, anchor, stale_link=None):
        for error in errors.as_data():
            stale = error.code == "stale"
            link = stale_link if stale and stale_link else (label, anchor)
            items.extend((not stale, message, *link) for message in error.messages)

    def add_form(form, prefix="", row=""):
        stale_link = None
        if not row and form.changed_data:
            # The main form's refusal as stale leads to the first field on the page that differs
            # from the saved version (changed by the editor, or by the other person).
            field = form[form.changed_data[0]]
            stale_link = (field.label, field.id_for_label)
        add(form.non_field_errors(), prefix.removesuffix(": "), row, stale_link)
        for name, errors in form.errors.items():
            if name != NON_FIELD_ERRORS:
                field = form[name]
                add(
                    errors, f"{prefix}{field.label}", row if field.is_hidden else field.id_for_label
                )

    add_form(adminform.form)
    for inline in inline_admin_formsets:
        formset, name = inline.formset, inline.opts.verbose_name
        add(formset.non_form_errors(), capfirst(name), f"{formset.prefix}-group")
        for index, form in enumerate(formset.forms):
            if formset.can_delete and formset._should_delete_form(form):
                continue  # not saved, so its errors do not count (a stale deletion's do, above)
            prefix = f"{capfirst(name)} {index + 1}: " if form.instance.pk else f"New {name}: "
            add_form(form, prefix, f"{formset.prefix}-{index}")
    summary = {}
    for _later, message, label, anchor in sorted(items, key=lambda item: item[0]):
        summary.setdefault(message, {"message": message, "label": label, "anchor": anchor})
    return list(summary.values())


class ErrorSummaryMixin:
    """A change form shown again with errors lists them at its top, each linked to its field
    (templates/admin/change_form.html prints `error_summary` in place of the usual note)."""

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        if context.get("errors"):
            context["error_summary"] = error_summary(
                context["adminform"], context.get("inline_admin_formsets", [])
            )
            context["errors"] = []  # the summary replaces Django's note and its errors
        return super().render_change_form(request, context, add, change, **kwargs)


class HistoryChangesHelper(HistoricalRecordContextHelper):
    """The History page's "Changes" column, with translations as words, not a mapping."""

    def context_for_delta_changes(self, delta):
        # A version is bookkeeping: the change reason says why it was raised.
        changes = [change for change in delta.changes if change.field != "version"]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=changes))

    def prepare_delta_change_value(self, change, value):
        if change.field != "translations":
            return super().prepare_delta_change_value(change, value)
        names = dict(settings.LANGUAGES)
        texts = [
            f"{field} ({names.get(code, code)}): {text}"
            for code, fields in (value or {}).items()
            for field, text in fields.items()
        ]
        return "; ".join(texts) or "none"


class ReadOnlyHistoryAdmin(ErrorSummaryMixin, SimpleHistoryAdmin):
    """Every change is in the History page; nobody can post to a history row (no revert)."""

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryChangesHelper(self.model, historical_record)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # As simple-history does, minus its select_related() without names for models without
        # foreign keys, which Django 6.1 deprecates.
        related = [f.name for f in history_manager.model.tracked_fields if f.many_to_one]
        return history_manager.filter(**{pk_name: object_id}).select_related(
            "history_user", *related
        )

    def history_view(self, request, object_id, extra_context=None):
        _valid_id_or_404(self.model._meta.pk, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("History is read-only.")
        _valid_id_or_404(self.model._meta.pk, object_id)
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        _valid_id_or_404(history.model._meta.pk, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


def _valid_id_or_404(field, value):
    """An address naming an object by something that cannot be its id ("abc" for a number)
    is a 404, as Django's own admin views make it, not a query that fails."""
    try:
        field.to_python(unquote(value))
    except ValidationError as error:
        raise Http404 from error


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

    # The delete confirmation pages post back the versions they showed (shown_versions).
    delete_confirmation_template = "admin/versioned_delete_confirmation.html"
    delete_selected_confirmation_template = "admin/versioned_delete_selected_confirmation.html"

    def shown_versions(self, obj, suffix=""):
        """The versions a delete confirmation page shows `obj` at, by field name (one per name
        in version_fields); `suffix` tells the objects of "delete selected" apart."""
        return {f"loaded_version{suffix}": obj.version}

    def render_delete_form(self, request, context):
        context["shown_versions"] = self.shown_versions(context["object"])
        return super().render_delete_form(request, context)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            # Refused (stale): the transaction rolled back, nothing is deleted. The change page
            # shows the current version and says who changed what.
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            opts = self.opts
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id])
            )

    def delete_model(self, request, obj):
        self.delete_checked(request, obj, self.posted_versions(request, ""))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_checked(request, obj, self.posted_versions(request, f"_{obj.pk}"))

    def posted_versions(self, request, suffix):
        """The versions the confirmation page posted back, by name (without the suffix)."""
        return {name: posted_version(request.POST, name + suffix) for name in self.version_fields}

    def delete_checked(self, request, obj, versions):
        """Delete `obj` unless it changed since the versions the confirmation page showed."""
        delete_edit(obj=obj, expected_version=versions["loaded_version"], user=request.user)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if "delete_selected" in actions:
            checked = dataclasses.replace(actions["delete_selected"], func=delete_selected_checked)
            actions["delete_selected"] = checked
        return actions


@admin.action(permissions=["delete"])
def delete_selected_checked(modeladmin, request, queryset):
    """Django's "delete selected", whose confirmation page carries the version of each object
    it lists; refused, with nothing deleted, if one of them changed since."""
    try:
        with transaction.atomic():
            response = delete_selected(modeladmin, request, queryset)
    except ValidationError as error:
        modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
        return None  # back to the list
    if response is not None:  # the confirmation page
        response.context_data["shown_versions"] = {
            name: version
            for obj in response.context_data["queryset"]
            for name, version in modeladmin.shown_versions(obj, f"_{obj.pk}").items()
        }
    return response


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


def translation_field_names(model, language):
    return [f"{field}_{language}" for field in model.translated_fields]


class TranslationsFormMixin:
    """Shows each stored translation in its form field and saves the fields back into the
    instance's `translations`, keeping languages that are not switched on now."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, _name in other_languages():
            for field in self._meta.model.translated_fields:
                initial = translated_value(self.instance, field, code)
                self.initial.setdefault(f"{field}_{code}", initial)

    def clean(self):
        cleaned_data = super().clean()
        for code, _name in other_languages():
            for field in self._meta.model.translated_fields:
                name = f"{field}_{code}"
                if name in self.fields and name in cleaned_data:
                    self.instance.set_translation(code, field, cleaned_data[name] or "")
        return cleaned_data


def translation_form(form_class, model):
    """`form_class` with a form field for each translated field in each other configured
    language, built per request so that the languages follow the settings."""
    language_names = dict(other_languages())
    source = dict(settings.LANGUAGES)[default_language()]
    attrs = {}
    for code, name in language_names.items():
        for field in model.translated_fields:
            model_field = model._meta.get_field(field)
            form_field = model_field.formfield(required=False)
            form_field.label = f"{capfirst(model_field.verbose_name)} ({name})"
            form_field.help_text = (
                f"Optional. Left empty, the {name} pages show the {source} text, marked "
                "“not yet translated”."
            )
            form_field.widget.attrs["lang"] = code
            if isinstance(form_field.widget, forms.Textarea):
                form_field.widget.attrs["rows"] = 3
            attrs[f"{field}_{code}"] = form_field
    return type(form_class.__name__, (TranslationsFormMixin, form_class), attrs)


class TranslationsAdminMixin:
    """For the admin of a Translatable model (or its inline): one fieldset per other
    configured language after the model's own fieldsets."""

    def translation_fieldsets(self):
        return [
            (
                name,
                {"fields": translation_field_names(self.model, code), "classes": ["translations"]},
            )
            for code, name in other_languages()
        ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # A read-only page shows what is stored, in every language, as text.
            return [*fieldsets, ("Translations", {"fields": ["stored_translations"]})]
        return [*fieldsets, *self.translation_fieldsets()]

    @admin.display(description="translations")
    def stored_translations(self, obj):
        names = dict(settings.LANGUAGES)
        rows = [
            (capfirst(self.model._meta.get_field(field).verbose_name), names.get(code, code), text)
            for code, texts in (obj.translations or {}).items()
            for field, text in texts.items()
            if field in self.model.translated_fields
        ]
        if not rows:
            return "None yet."
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{} ({})</dt><dd>{}</dd>", rows))

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = translation_form(kwargs.get("form", self.form), self.model)
        return super().get_form(request, obj, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = translation_form(kwargs.get("form", self.form), self.model)
        return super().get_formset(request, obj, **kwargs)
