from django.contrib import admin

from apps.documents.models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "published", "created"]
    list_filter = ["project"]
    search_fields = ["title"]
    exclude = ["text"]
    readonly_fields = ["content_hash", "imported_by"]
