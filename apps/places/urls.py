from django.urls import path

from apps.places import views

app_name = "places"
urlpatterns = [
    path("projects/<int:project_id>/places/", views.project_places_page, name="list"),
    path("projects/<int:project_id>/places/<int:place_id>/", views.place_page, name="place"),
    path("projects/<int:project_id>/map/", views.project_map_page, name="map"),
    path("annotations/<int:annotation_id>/place/", views.annotation_place_choose_hx, name="choose"),
    path("annotations/<int:annotation_id>/place/candidates/", views.annotation_place_candidates_hx, name="candidates"),
]
