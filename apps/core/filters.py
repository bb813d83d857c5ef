import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field


class RepeatedTextField(forms.Field):
    """Every value of a repeated query parameter (`?tag=a&tag=b`), each checked as a CharField is, so a NUL character
    in any of them is a 400 naming the parameter rather than a database error. Empty values are dropped."""

    widget = forms.MultipleHiddenInput  # reads every value of the parameter, not only the last

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.item = forms.CharField(required=False)

    def to_python(self, value) -> list[str]:
        if value in self.empty_values:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [text for text in (self.item.clean(item) for item in values) if text]


# An array (form style, exploded: OpenAPI's default for query arrays). An overriding schema carries its own text.
@extend_schema_field(
    {"type": "array", "items": {"type": "string"}, "description": "Repeat the parameter for several values."}
)
class RepeatedTextFilter(django_filters.Filter):
    """Matches any of the parameter's values: `field_name` IN (values)."""

    field_class = RepeatedTextField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "in")
        super().__init__(*args, **kwargs)


class StableOrderingFilter(django_filters.OrderingFilter):
    """The order asked for, then the primary key: pages never repeat or skip rows that tie, and an empty choice
    (`?ordering=,`) keeps the model's order instead of none."""

    def filter(self, qs, value):
        fields = [self.get_ordering_value(param) for param in value or () if param]
        return qs.order_by(*fields, "pk") if fields else qs
