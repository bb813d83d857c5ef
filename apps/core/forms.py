"""The form renderer: `{{ field.as_field_group }}` draws label, field, errors and help the same way in every form."""

from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    field_template_name = "forms/field.html"


def add_service_errors(form, error: ValidationError) -> None:
    """A service's ValidationError shown on the form that fed it: each message under its field when the form has
    one, the rest above the form."""
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
