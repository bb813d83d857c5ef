from rest_framework import serializers

from apps.actors.models import ActorType, Entity
from apps.projects.selectors import projects_visible_to


class NameField(serializers.CharField):
    """A name as given: the services trim it and refuse what is empty or holds a NUL, naming the field."""

    def __init__(self, **kwargs):
        super().__init__(max_length=Entity._meta.get_field("name").max_length, trim_whitespace=False, **kwargs)

    def run_validators(self, value):  # DRF's NUL check answers without the field's name; the services name it
        pass


class EntitySerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=projects_visible_to(None))
    name = NameField()
    type = serializers.ChoiceField(choices=ActorType.choices, allow_blank=True, required=False)
    aliases = serializers.ListField(child=NameField(allow_blank=True), required=False)
    mentions = serializers.IntegerField(read_only=True, help_text="Annotations linked to this actor.")

    class Meta:
        model = Entity
        fields = ["id", "project", "name", "type", "aliases", "mentions"]
        validators = []  # the services refuse a duplicate name (however written), naming `name`

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["project"].queryset = projects_visible_to(request.user)
        if self.instance is not None and not isinstance(self.instance, list | tuple) and "project" in self.fields:
            self.fields["project"].read_only = True


class EntityMergeSerializer(serializers.Serializer):
    into = serializers.IntegerField(min_value=1, max_value=2**62, help_text="The entity kept.")
