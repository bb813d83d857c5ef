from rest_framework import serializers

from apps.quantities.grammar import QUALIFIERS


class NormalizeQuantityRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=1000, trim_whitespace=False)
    project = serializers.IntegerField(required=False, min_value=1, help_text="Read with this project's vague table.")


class QuantityReadingSerializer(serializers.Serializer):
    kind = serializers.CharField()
    low = serializers.FloatField(allow_null=True)
    best = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)
    qualifier = serializers.ChoiceField(choices=QUALIFIERS, allow_null=True)
    unit = serializers.CharField(allow_null=True)
    counted = serializers.CharField(allow_null=True)
    conservative = serializers.FloatField(allow_null=True)
