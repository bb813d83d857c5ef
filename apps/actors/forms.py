from django import forms

from apps.actors.models import ActorType


class AliasesField(forms.CharField):
    """Aliases typed one a line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value


class EntityForm(forms.Form):
    name = forms.CharField(max_length=200)
    type = forms.ChoiceField(choices=[("", "—"), *ActorType.choices], required=False)
    aliases = AliasesField(required=False, help_text="One a line.")
