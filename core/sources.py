"""Sources: where a dated claim is documented (a council agenda item, a policy, a news report).

A record keeps its sources in one JSON column, a list of {"label": ..., "url": ...}, so they
are saved, versioned and kept in the history with the record they support, and reading them
costs no query. The admin edits them as lines of text, "Label | https://...", one per source.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

SOURCE_SCHEMES = ["http", "https"]
MAX_LABEL = 200
MAX_URL = 500
SEPARATOR = " | "

_url = URLValidator(schemes=SOURCE_SCHEMES)


def check_source(label, url):
    """Refuse a source the public could not follow: an empty label, a long one, or an address
    that is not a complete http(s) web address."""
    if not label:
        raise ValidationError("Give each source a label, e.g. “City Council agenda, item 12”.")
    if len(label) > MAX_LABEL:
        raise ValidationError(f"Keep a source's label under {MAX_LABEL} characters.")
    try:
        _url(url)
    except ValidationError:
        raise ValidationError(
            f"“{url}” is not a web address a reader can open: "
            "it must be complete and start with http:// or https://."
        ) from None
    if len(url) > MAX_URL:
        raise ValidationError(f"Keep a source's address under {MAX_URL} characters.")


def validate_sources(value):
    """The model field's validator: a list of {"label", "url"}, each one checked."""
    if not isinstance(value, list):
        raise ValidationError("Sources must be a list of labelled links.")
    for source in value:
        if not isinstance(source, dict) or set(source) != {"label", "url"}:
            raise ValidationError("Each source is a label and a web address.")
        check_source(source["label"], source["url"])


def parse_line(line):
    """ "Label | https://..." -> {"label", "url"}; a bare address is labelled with its host."""
    label, sep, url = line.rpartition("|")
    label, url = label.strip(), url.strip()
    if not sep:
        label = url.split("//", 1)[-1].split("/", 1)[0].removeprefix("www.")
    check_source(label, url)
    return {"label": label, "url": url}


class SourcesFormField(forms.CharField):
    """Sources as lines of text: "Label | https://...", one per line."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 80})

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            "One per line: a label, a bar, the address, e.g. "
            "“Council minutes, 12 May 2024 | https://www.okc.gov/...”. "
            "A line without a label is labelled with the site's name.",
        )
        for unused in ("encoder", "decoder", "max_length"):
            kwargs.pop(unused, None)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{s['label']}{SEPARATOR}{s['url']}" for s in value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        sources, errors = [], []
        for number, line in enumerate((value or "").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                sources.append(parse_line(line))
            except ValidationError as error:
                errors.append(ValidationError(f"Line {number}: {error.messages[0]}"))
        if errors:
            raise ValidationError(errors)
        return sources

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (initial or [])
        except ValidationError:
            return True


class SourcesField(models.JSONField):
    """A record's sources: a list of {"label", "url"}, empty by default."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("validators", [validate_sources])
        kwargs.setdefault(
            "help_text", "Where this is documented: labelled links, shown publicly beside it."
        )
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key, value in (("default", list), ("blank", True), ("validators", [validate_sources])):
            if kwargs.get(key) == value:
                del kwargs[key]
        kwargs.pop("help_text", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SourcesFormField, **kwargs})
