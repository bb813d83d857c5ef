from django.urls import reverse
from rest_framework import serializers

from apps.documents.models import Document
from apps.projects.selectors import projects_visible_to


class DocumentSerializer(serializers.ModelSerializer):
    reader_url = serializers.SerializerMethodField(help_text="Path of the document's reading view.")
    annotation_counts = serializers.DictField(
        child=serializers.IntegerField(), read_only=True, help_text="Number of annotations by tag slug."
    )
    project = serializers.PrimaryKeyRelatedField(queryset=projects_visible_to(None))

    class Meta:
        model = Document
        fields = [
            "id", "project", "title", "text", "source_url", "author", "published", "created", "reader_url",
            "annotation_counts",
        ]  # fmt: skip
        read_only_fields = ["created"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["project"].queryset = projects_visible_to(request.user)
        if self.instance is not None and not isinstance(self.instance, list | tuple) and "project" in self.fields:
            self.fields["project"].read_only = True

    def get_reader_url(self, document) -> str:
        return reverse("documents:read", args=[document.pk])

    def validate_text(self, value):
        if self.instance is not None:
            raise serializers.ValidationError("The text cannot be changed: annotations point into it.")
        return value


class DocumentListItemSerializer(DocumentSerializer):
    """A document in a list: everything but the text, which only the detail returns (a page of 1,000 long reports
    would otherwise carry every text in full)."""

    class Meta(DocumentSerializer.Meta):
        fields = [field for field in DocumentSerializer.Meta.fields if field != "text"]
