from django.contrib import admin

from apps.projects.models import Membership, Project, Tag


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


class TagInline(admin.TabularInline):
    model = Tag
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "created_by", "created"]
    inlines = [MembershipInline, TagInline]
