"""Live updates of the reading view: a document's event stream (served by the ASGI server, config/asgi.py), and the
fragments the page fetches when an event names a change."""

import asyncio

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db import connections
from django.http import HttpResponse, StreamingHttpResponse
from django.http.request import split_domain_port, validate_host
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.live.listener import Stream, hub, presence_line, resync_payload, sse
from apps.live.models import Presence
from apps.live.selectors import present_readers
from apps.projects.selectors import tags_for_project
from apps.reader import selectors
from apps.reader.selectors import access_document_for_reading

# A comment line this often keeps proxies and browsers from closing a quiet stream (and finds closed ones).
KEEPALIVE_SECONDS = 15


def _cors(request, response):
    """The page may be served from another origin than the stream (LECTOR_LIVE_URL names the live server's own
    port): let a page on one of ALLOWED_HOSTS read it, with its session cookie."""
    origin = request.headers.get("Origin", "")
    scheme, _, host = origin.partition("://")
    if scheme in ("http", "https") and validate_host(split_domain_port(host)[0], settings.ALLOWED_HOSTS):
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Credentials"] = "true"
        response["Vary"] = "Origin"
    return response


@require_GET
async def document_events(request, document_id: int):
    """The document's server-sent events for its reading view: `change` (ids of what was written, from PostgreSQL's
    NOTIFY) and `presence` (the line naming who else has it open). Members only (404 otherwise). ?revision= is the
    annotations' revision the page was drawn at: if it has moved, the first event asks for the whole text."""
    user = await request.auser()
    document, _ = await sync_to_async(access_document_for_reading)(user, document_id)
    if not isinstance(request, ASGIRequest):
        # Under WSGI a stream would hold a whole thread for as long as the page is open (and Django would wait for
        # its end before sending anything): 204, no stream. The ASGI server (gunicorn_live.conf.py) serves them.
        return _cors(request, HttpResponse(status=204))
    stream = Stream(document.pk, user.pk)
    hub.subscribe(stream)
    try:
        # Listening before the presence row is written, so that this process hears who joins after it.
        await hub.listening_now()
        presence = await Presence.objects.acreate(document_id=document.pk, user_id=user.pk)
        stream.presence_id = presence.pk
        present = await sync_to_async(present_readers)(document.pk)
    except BaseException:
        hub.unsubscribe(stream)
        raise
    finally:
        # Under ASGI each request has its own database connections, closed only when its response ends: a stream
        # that kept them would hold a PostgreSQL connection for as long as its page is open.
        await sync_to_async(connections.close_all)()
    if request.GET.get("revision") != str(document.annotations_revision):
        # Written since the page was drawn (or while the browser was reconnecting): fetch the whole text.
        stream.push("change", resync_payload(document.pk))

    async def events():
        try:
            yield sse("presence", presence_line(present, user.pk))
            while True:
                try:
                    yield await asyncio.wait_for(stream.queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield ": keep-alive\n\n"
        finally:
            hub.unsubscribe(stream)
            await Presence.objects.filter(pk=presence.pk).adelete()
            await sync_to_async(connections.close_all)()

    response = StreamingHttpResponse(events(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return _cors(request, response)


@require_GET
def document_changes_hx(request, document_id: int):
    """What a `change` event names, for the reading view to swap in out of band: the paragraph blocks touching
    ?start=&end= (in the layer shown), and the side panel's list."""
    document, _ = access_document_for_reading(request.user, document_id)
    span_range = tuple(_offset(request.GET.get(name)) for name in ("start", "end"))
    layer = selectors.layer_annotator(request.user, document.project, request.GET.get("layer", ""))
    mine_only = request.GET.get("mine") == "1"
    tags = list(tags_for_project(document.project))
    context = {
        "document": document,
        "blocks": selectors.changed_blocks(document, touching=span_range, annotator=layer),
        "panel": selectors.annotation_panel(
            document, tags, annotator=request.user if mine_only else None, revision=document.annotations_revision
        ),
        "mine_only": mine_only,
    }
    return render(request, "live/changes.html", context)


def _offset(value) -> int:
    value = value or ""
    return int(value) if value.isdecimal() and value.isascii() and len(value) <= 18 else 0
