"""The form renderer: `{{ field.as_field_group }}` draws label, field, errors and help the same way in every form."""

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    field_template_name = "forms/field.html"
