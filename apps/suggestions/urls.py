from django.urls import path

from apps.suggestions import views

app_name = "suggestions"
urlpatterns = [
    path("projects/<int:project_id>/suggestions/", views.quality_page, name="quality"),
    path("projects/<int:project_id>/suggestions/clear-rejections/", views.rejections_clear, name="clear-rejections"),
    path(
        "documents/<int:document_id>/suggestions/<int:suggestion_id>/accept/",
        views.suggestion_accept_hx,
        name="accept",
    ),
]
