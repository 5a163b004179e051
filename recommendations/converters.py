"""The `code` path converter: a recommendation's code in an address (see CODE_VALIDATOR), so
anything else is a 404 before any query. Registered here, once; URL modules import this module."""

from django.urls import register_converter


class CodeConverter:
    regex = r"[A-Za-z0-9][A-Za-z0-9.-]{0,19}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CodeConverter, "code")
