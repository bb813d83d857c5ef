from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from apps.documents import import_batches, selectors, services
from apps.documents.forms import DocumentMetadataForm, PasteForm, UploadForm
from apps.documents.import_batches import Upload
from apps.projects.selectors import ANNOTATE_ROLES, Member, access_project, membership_for

PAGE_SIZE = 25


@vary_on_headers("HX-Request")
def document_list_page(request, project_id: int):
    """A project's documents: full-text search, sorting, pagination; htmx swaps only the list."""
    project, membership = access_project(request.user, project_id)
    query = request.GET.get("q", "")
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    page = Paginator(selectors.document_list(project=project, query=query, sort=sort), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "project": project,
        "page": page,
        "query": query,
        "sort": sort,
        "member": Member(membership),
    }
    template = "documents/list.html#document-list" if request.htmx else "documents/list.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def document_import_page(request, project_id: int):
    """Import documents by pasting text, or by uploading files that a background worker imports."""
    project, _ = access_project(request.user, project_id, roles=ANNOTATE_ROLES)
    paste_form, upload_form = PasteForm(), UploadForm()
    if request.method == "POST" and "paste" in request.POST:
        paste_form = PasteForm(request.POST)
        if paste_form.is_valid():
            try:
                document = services.document_create(project=project, user=request.user, **paste_form.cleaned_data)
            except services.DuplicateDocument as duplicate:
                paste_form.add_error("text", f"This text is {duplicate}.")
            except ValidationError as error:
                paste_form.add_error(None, error)
            else:
                messages.success(request, f"Imported “{document.title}”.")
                return redirect("documents:read", document_id=document.pk)
    elif request.method == "POST":
        upload_form = UploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            uploads = [Upload(file.name, file.size, file.read) for file in upload_form.cleaned_data["files"]]
            batch = import_batches.import_batch_create(project=project, user=request.user, uploads=uploads)
            return redirect("documents:import-batch", batch_id=batch.pk)
    status = 400 if (paste_form.errors or upload_form.errors) else 200
    context = {
        "project": project,
        "paste_form": paste_form,
        "upload_form": upload_form,
        "batches": selectors.recent_import_batches(project),
    }
    return render(request, "documents/import.html", context, status=status)


@require_GET
@vary_on_headers("HX-Request")
def import_batch_page(request, batch_id: int):
    """A batch's progress and per-file report; htmx polls the progress partial until the batch is over."""
    batch = selectors.import_batch_for_member(request.user, batch_id)
    context = {
        "batch": batch,
        "project": batch.project,
        "files": selectors.import_batch_files(batch),
        "stalled": selectors.import_batch_is_stalled(batch),
        "member": Member(membership_for(request.user, batch.project)),
    }
    template = "documents/import_batch.html#batch-progress" if request.htmx else "documents/import_batch.html"
    return render(request, template, context)


@require_POST
def import_batch_resume(request, batch_id: int):
    """Queue a failed or stalled batch again (annotators and owners)."""
    batch = selectors.import_batch_for_member(request.user, batch_id)
    try:
        import_batches.import_batch_resume(batch=batch, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("documents:import-batch", batch_id=batch.pk)


@require_http_methods(["GET", "POST"])
def document_edit_page(request, document_id: int):
    """Edit a document's title and metadata."""
    document, membership = selectors.access_document(request.user, document_id, roles=ANNOTATE_ROLES)
    form = DocumentMetadataForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        services.document_update_metadata(document=document, user=request.user, **form.cleaned_data)
        messages.success(request, "Saved.")
        return redirect("documents:read", document_id=document.pk)
    status = 400 if form.errors else 200
    context = {"document": document, "form": form, "member": Member(membership)}
    return render(request, "documents/edit.html", context, status=status)


@require_POST
def document_delete(request, document_id: int):
    """Delete a document and its annotations (owners)."""
    document = selectors.document_for_reader(request.user, document_id)
    services.document_delete(document=document, user=request.user)
    messages.success(request, f"Deleted “{document.title}”.")
    return redirect("documents:list", project_id=document.project_id)
