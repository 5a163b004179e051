"""Reads an admin form out of a page the way a browser would submit it, for tests that post
back what a real session saw."""

from html.parser import HTMLParser

from django.http import QueryDict

SKIPPED_INPUTS = {"submit", "button", "reset", "image", "file"}


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.data = QueryDict(mutable=True)
        self.select = None  # (name, multiple, [selected values], [all values])
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = self.form_id is None or attrs.get("id") == self.form_id
        if not self.in_form or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type", "text") not in SKIPPED_INPUTS:
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.appendlist(name, attrs.get("value", "on"))
            else:
                self.data.appendlist(name, attrs.get("value", ""))
        elif tag == "select" and name:
            self.select = (name, "multiple" in attrs, [], [])
        elif tag == "option" and self.select:
            self.select[3].append(attrs.get("value", ""))
            if "selected" in attrs:
                self.select[2].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = (name, [])

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self.select:
            name, multiple, selected, values = self.select
            if not selected and not multiple and values:
                selected = values[:1]  # a browser sends the first option
            for value in selected:
                self.data.appendlist(name, value)
            self.select = None
        elif tag == "textarea" and self.textarea:
            name, parts = self.textarea
            # Browsers drop the newline that follows <textarea>.
            self.data.appendlist(name, "".join(parts).removeprefix("\n"))
            self.textarea = None


def form_data(response, form_id=None):
    """The fields of the page's form (by id, or every form), as a browser would post them."""
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    reader.data["_save"] = "Save"
    return reader.data
