from django.urls import path

from apps.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list_page, name="list"),
    path("projects/new/", views.project_create_page, name="create"),
    path("projects/<int:project_id>/settings/", views.project_settings_page, name="settings"),
    path("projects/<int:project_id>/delete/", views.project_delete, name="delete"),
    path("projects/<int:project_id>/guidelines/", views.project_guidelines_page, name="guidelines"),
    path("projects/<int:project_id>/members/", views.project_members_page, name="members"),
    path(
        "projects/<int:project_id>/members/<int:membership_id>/remove/",
        views.project_member_remove,
        name="member-remove",
    ),
    path("projects/<int:project_id>/tags/", views.project_tags_page, name="tags"),
    path("projects/<int:project_id>/tags/<int:tag_id>/", views.project_tag_update, name="tag-update"),
    path("projects/<int:project_id>/tags/<int:tag_id>/move/", views.project_tag_move, name="tag-move"),
    path("projects/<int:project_id>/tags/<int:tag_id>/delete/", views.project_tag_delete_page, name="tag-delete"),
]
