from rest_framework import serializers

from apps.places.models import Place


class PlaceSerializer(serializers.ModelSerializer):
    aliases = serializers.ListField(child=serializers.CharField(max_length=200), required=False)

    class Meta:
        model = Place
        fields = ["id", "name", "aliases", "latitude", "longitude", "country_code", "admin1", "source", "project"]
        read_only_fields = ["source"]
        extra_kwargs = {"project": {"required": True, "allow_null": False}}


class PlaceListSerializer(PlaceSerializer):
    """A place as listed: a GeoNames place belongs to no project."""

    project = serializers.IntegerField(source="project_id", allow_null=True, read_only=True)


class PlaceUpdateSerializer(PlaceSerializer):
    class Meta(PlaceSerializer.Meta):
        read_only_fields = ["source", "project"]


class PlaceQuerySerializer(serializers.Serializer):
    project = serializers.IntegerField(help_text="The project whose gazetteer to search (GeoNames and its places).")
    q = serializers.CharField(required=False, help_text="A name; without it, the project's own places.")
