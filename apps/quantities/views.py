from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from apps.annotations import services as annotation_services
from apps.annotations.selectors import access_annotation
from apps.core.errors import error_messages
from apps.projects.models import Role
from apps.projects.selectors import project_for_member
from apps.quantities import services
from apps.quantities.forms import VagueMagnitudeForm
from apps.quantities.grammar import VAGUE_DEFAULTS
from apps.quantities.models import VagueMagnitude
from apps.reader.answers import changed_answer, refused_answer

OWNER = [Role.OWNER]
READING_FIELDS = ("low", "best", "high", "conservative", "qualifier", "unit", "counted")


@require_http_methods(["GET", "POST"])
def vague_table_page(request, project_id: int):
    """The project's vague magnitudes ("dozens" 12 ...): the grammar's defaults and the owners' own rows (owners)."""
    project = project_for_member(request.user, project_id, roles=OWNER)
    form = VagueMagnitudeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.vague_magnitude_save(project=project, user=request.user, **form.cleaned_data)
        messages.success(request, f"“{form.cleaned_data['words']}” is read with your figures from now on.")
        return redirect("quantities:vague-table", project_id=project.pk)
    own = list(VagueMagnitude.objects.filter(project=project))
    overridden = {row.words for row in own}
    defaults = [(words, row) for words, row in VAGUE_DEFAULTS.items() if words not in overridden]
    context = {"project": project, "form": form, "own": own, "defaults": defaults}
    return render(request, "quantities/vague_table.html", context, status=400 if form.errors else 200)


@require_POST
def vague_magnitude_delete(request, project_id: int, row_id: int):
    """Drop one of the project's rows: the default reading applies again (owners)."""
    project = project_for_member(request.user, project_id, roles=OWNER)
    row = get_object_or_404(VagueMagnitude, project=project, pk=row_id)
    services.vague_magnitude_delete(row=row, user=request.user)
    messages.success(request, f"“{row.words}” is read with the default figures again.")
    return redirect("quantities:vague-table", project_id=project.pk)


@require_POST
def quantity_correct_hx(request, annotation_id: int):
    """Correct a quantity annotation's reading by hand, or (`automatic`) go back to the grammar's reading."""
    annotation, membership = access_annotation(request.user, annotation_id)
    document = annotation.document
    if request.POST.get("automatic"):
        normalized = None
    else:
        normalized = {field: request.POST.get(field, "").strip() or None for field in READING_FIELDS}
    try:
        annotation = annotation_services.annotation_update(
            annotation=annotation, user=request.user, version=request.POST.get("version"), normalized=normalized
        )
    except (annotation_services.AnnotationConflict, annotation_services.AnnotationGone) as refused:
        return refused_answer(request, document, membership, annotation, refused)
    except ValidationError as error:
        span_range = (annotation.start, annotation.end)
        return changed_answer(
            request, document, membership, span_range=span_range, details=[annotation], errors=error_messages(error)
        )
    return changed_answer(
        request, document, membership, span_range=(annotation.start, annotation.end), details=[annotation], saved=True
    )
