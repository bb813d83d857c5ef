"""The events page and the reading view's event form and panel (thin translations to events/services.py)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from apps.annotations.models import Annotation
from apps.events import selectors, services
from apps.events.api.filters import EventFilter
from apps.events.models import SLOT_KINDS, Slot, TimePrecision
from apps.projects.models import Role, TagKind
from apps.projects.selectors import ANNOTATE_ROLES, Member, access_project
from apps.reader.selectors import access_document_for_reading


def _ids(value: str) -> list[int]:
    parts = value.replace(",", " ").split()
    return [int(part) for part in parts if part.isdecimal() and part.isascii() and len(part) <= 18]


def _panel(request, document, membership, **extra):
    context = {
        "document": document,
        "events": [(event, selectors.slot_spans(event)) for event in selectors.events_of_document(document)],
        "member": Member(membership),
        **extra,
    }
    return render(request, "events/panel.html", context)


@require_GET
def event_panel_hx(request, document_id: int):
    """The reading view's events panel: the document's events, each with its slots."""
    document, membership = access_document_for_reading(request.user, document_id)
    return _panel(request, document, membership)


def _form_context(document, chosen: list[Annotation], values: dict | None = None, errors=None) -> dict:
    """The event form, its slots proposed from the chosen spans by their tag's kind: the first two actors as actor1
    and actor2, the first place as location, the first quantity as fatalities (its conservative figure proposed)."""
    by_kind = {
        kind: [a for a in chosen if a.tag.kind == kind] for kind in (TagKind.ACTOR, TagKind.PLACE, TagKind.QUANTITY)
    }
    actors, places, quantities = by_kind[TagKind.ACTOR], by_kind[TagKind.PLACE], by_kind[TagKind.QUANTITY]
    proposed = {
        "actor1": actors[0].pk if actors else None,
        "actor2": actors[1].pk if len(actors) > 1 else None,
        "location": places[0].pk if places else None,
        "fatalities": quantities[0].pk if quantities else None,
        "fatalities_number": services.fatalities_proposed(quantities[0]) if quantities else None,
        "date": document.published.isoformat() if document.published else "",
        "time_precision": TimePrecision.DAY,
        "assoc_actor_1": [],
        "assoc_actor_2": [],
    }
    values = {**proposed, **(values or {})}
    options = {slot: by_kind[SLOT_KINDS[slot]] for slot in Slot.values}
    return {
        "document": document,
        "chosen_ids": " ".join(str(a.pk) for a in chosen),
        "values": values,
        "options": options,
        "typology": selectors.typology_for(document.project),
        "precisions": TimePrecision.choices,
        "errors": errors or {},
    }


def _chosen(document, ids: list[int]) -> list[Annotation]:
    return list(
        Annotation.objects.filter(document=document, pk__in=ids).select_related("tag").order_by("start", "-end", "id")
    )


@require_GET
def event_form_hx(request, document_id: int):
    """The event form for the chosen spans (?ids=3,7,9)."""
    document, membership = access_document_for_reading(request.user, document_id)
    if membership.role not in ANNOTATE_ROLES:
        raise PermissionDenied(f"Your role ({membership.role}) cannot code events.")
    chosen = _chosen(document, _ids(request.GET.get("ids", "")))
    return render(request, "events/form.html", _form_context(document, chosen))


def _posted(request) -> dict:
    post = request.POST
    data = {name: (int(post[name]) if post.get(name, "").isdecimal() else None) for name in
            ("actor1", "actor2", "location", "fatalities")}  # fmt: skip
    data |= {name: _ids(" ".join(post.getlist(name))) for name in ("assoc_actor_1", "assoc_actor_2")}
    number = post.get("fatalities_number", "").strip()
    precision = post.get("time_precision", "1")
    return {
        **data,
        "event_type": post.get("event_type", ""),
        "sub_event_type": post.get("sub_event_type", ""),
        "date": post.get("date") or None,
        "time_precision": int(precision) if precision.isdecimal() and len(precision) < 3 else 0,
        "fatalities_number": number or None,
        "notes": post.get("notes", ""),
    }


@require_POST
def event_create_hx(request, document_id: int):
    """Save the event form: the panel again, with the new event (its spans outlined by events.js)."""
    document, membership = access_document_for_reading(request.user, document_id)
    data = _posted(request)
    try:
        event = services.event_create(user=request.user, document=document.pk, **data)
    except ValidationError as error:
        chosen = _chosen(document, _ids(request.POST.get("chosen", "")))
        context = _form_context(document, chosen, values=data, errors=error.message_dict)
        return render(request, "events/form.html", context, status=422)
    return reswap(retarget(_panel(request, document, membership, saved=event.pk), "#events"), "innerHTML")


@require_POST
def event_delete_hx(request, event_id: int):
    """Delete an event (its spans stay)."""
    event, membership = selectors.access_event(request.user, event_id)
    services.event_delete(event=event, user=request.user, version=request.POST.get("version"))
    return _panel(request, event.document, membership)


@require_GET
def events_page(request, project_id: int):
    """The project's events, filtered by type, actor, place and date range, sorted, each linked to its spans."""
    project, membership = access_project(request.user, project_id)
    query = request.GET.copy()
    query["project"] = str(project.pk)
    events = selectors.events_visible_to(request.user).order_by("date", "id")
    filterset = EventFilter(query, queryset=events)
    rows = [(event, selectors.slot_spans(event)) for event in filterset.qs[:500]] if filterset.is_valid() else []
    context = {
        "project": project,
        "member": Member(membership),
        "filterset": filterset,
        "rows": rows,
        "typology": selectors.typology_for(project),
        "entities": project.entities.order_by("name"),
        "places": selectors.places_of_events(project),
        "query": request.GET,
        "slot_columns": ["actor1", "actor2", "location"],
        "sorts": [
            ("date", "Date, oldest first"),
            ("-date", "Date, newest first"),
            ("event_type", "Type"),
            ("-fatalities", "Fatalities, most first"),
        ],  # fmt: skip
    }
    return render(request, "events/list.html", context)


def typology_lines(types: list[dict]) -> str:
    """The typology as the editor shows it: a type a line, `Type | disorder type | sub-type; sub-type; ...`."""
    return "\n".join(f"{t['name']} | {t.get('disorder_type', '')} | {'; '.join(t['sub_types'])}" for t in types)


def typology_parsed(text: str) -> list[dict]:
    """The editor's lines as a typology (services.typology_set checks it)."""
    types = []
    for number, line in enumerate(filter(str.strip, text.splitlines()), start=1):
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 3:
            raise ValidationError({"types": f"Line {number}: write `Type | disorder type | sub-type; sub-type`."})
        name, disorder, subs = parts
        types.append(
            {"name": name, "disorder_type": disorder, "sub_types": [s.strip() for s in subs.split(";") if s.strip()]}
        )
    return types


@require_http_methods(["GET", "POST"])
def typology_page(request, project_id: int):
    """The project's event types and sub-types, for owners to edit (ACLED's until they do)."""
    project, membership = access_project(request.user, project_id, roles=[Role.OWNER])
    errors, text = [], typology_lines(selectors.typology_for(project))
    if request.method == "POST":
        text = request.POST.get("types", "")
        try:
            services.typology_set(project=project, user=request.user, types=typology_parsed(text))
            return redirect("events:types", project_id=project.pk)
        except ValidationError as error:
            errors = [message for messages in error.message_dict.values() for message in messages]
    context = {"project": project, "member": Member(membership), "text": text, "errors": errors}
    return render(request, "events/types.html", context)
