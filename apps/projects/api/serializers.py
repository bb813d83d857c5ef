from rest_framework import serializers

from apps.projects.models import Project, Tag


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "project", "slug", "label", "color", "shortcut", "kind", "description"]


class ProjectSerializer(serializers.ModelSerializer):
    tags = TagSerializer(many=True, read_only=True)
    role = serializers.CharField(read_only=True, help_text="The caller's role in the project.")

    class Meta:
        model = Project
        fields = ["id", "name", "description", "created", "role", "tags"]
