from django.shortcuts import render

from apps.projects.selectors import project_list_for


def project_list_page(request):
    """The projects the user belongs to."""
    return render(request, "projects/list.html", {"projects": project_list_for(request.user)})
