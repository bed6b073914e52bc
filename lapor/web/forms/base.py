"""What every portal form shares: accessible field markup and domain errors as form errors."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates

from lapor.core.errors import DomainError


class PortalRenderer(DjangoTemplates):
    # Label, help text, error list and input tied together by id and aria-describedby.
    field_template_name = "web/forms/field.html"


RENDERER = PortalRenderer()


class PortalForm(forms.Form):
    default_renderer = RENDERER
    # A service's field name -> this form's field, where they differ.
    domain_fields: dict[str, str] = {}
    # Mark optional fields "(opsional)"; filters are all optional and say nothing.
    show_optional = True

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_domain_error(self, error: DomainError) -> None:
        """Show a service's refusal on the field it names, or above the form."""
        name = self.domain_fields.get(error.field or "", error.field)
        if name not in self.fields:
            name = None
        if name is not None and name in self.errors:
            name = None  # one message a field is enough; keep the service's for the summary
        self.add_error(name, str(error))


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; cleans to a list (possibly empty)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []

