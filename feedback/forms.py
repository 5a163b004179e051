"""The public form: a message, an email address for a reply if wanted, and a honeypot."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MESSAGE_MAX_LENGTH


class FeedbackForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        help_text=_(
            "What is wrong or missing in this recommendation's status? Up to 2,000 characters."
        ),
        max_length=MESSAGE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 30}),
    )
    email = forms.EmailField(
        label=_("Your email address (optional)"),
        help_text=_(
            "Only if you would like a reply. Only the city's staff see it; it is never published."
        ),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # The honeypot: hidden from people (templates/feedback/form.html hides its wrapper), left
    # empty by them; a form sent with it filled came from a program and is not stored.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_from_a_program(self):
        return bool(self.cleaned_data.get("website"))
