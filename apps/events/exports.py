"""Event exports: ACLED's columns, UCDP GED's, or JSONL, streamed; every row ends with its provenance (the event,
its document, a link into the reading view, and each slot's offsets and quote)."""

import calendar
import csv
import datetime
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pycountry
from django.db.models import QuerySet

from apps.actors.models import ActorType
from apps.events.api.serializers import EventSerializer
from apps.events.models import Event, Slot
from apps.events.regions import REGION_BY_COUNTRY
from apps.events.selectors import slot_spans
from apps.exports.streaming import joined

CHUNK_SIZE = 500

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]  # fmt: skip
UCDP_COLUMNS = [
    "id", "year", "type_of_violence", "dyad_name", "side_a", "side_b", "source_article", "source_headline",
    "source_date", "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude",
    "geom_wkt", "country", "region", "event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b",
    "deaths_civilians", "deaths_unknown", "best", "high", "low",
]  # fmt: skip
SLOT_COLUMNS = [f"{slot}_{part}" for slot in Slot.values for part in ("start", "end", "quote")]
PROVENANCE_COLUMNS = ["lector_event_id", "lector_incident_id", "lector_document_id", "lector_reader_url", *SLOT_COLUMNS]

# ACLED's inter codes: the actor type's position in ActorType (state forces 1 ... external/other 8).
INTER_CODES = {value: number for number, value in enumerate(ActorType.values, start=1)}
# UCDP's date_prec: 1 the day, 3 the week, 4 the month; its where_prec: 1 the place, 2 near it, 4 a region.
UCDP_DATE_PREC = {1: 1, 2: 3, 3: 4}
UCDP_WHERE_PREC = {1: 1, 2: 2, 3: 4}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """A cell as text, with a leading apostrophe when a spreadsheet would run it as a formula (as apps/exports)."""
    text = "" if value is None else str(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return text
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Line:
    """The file csv.writer writes one row to: the row comes back as its return value."""

    def write(self, value: str) -> str:
        return value


def _events(events: QuerySet[Event]) -> Iterator[tuple[Event, dict]]:
    for event in events.iterator(chunk_size=CHUNK_SIZE):
        yield event, slot_spans(event)


def _entity(annotation) -> tuple[str, str]:
    """An actor span's canonical name (or its quote while unresolved) and inter code."""
    if annotation is None:
        return "", ""
    entity = annotation.entity
    if entity is None:
        return annotation.quote, ""
    return entity.name, INTER_CODES.get(entity.type, "")


def _place(annotation) -> dict:
    """A location span's place columns (empty while unresolved)."""
    place = annotation.place if annotation is not None else None
    if place is None:
        return {"location": annotation.quote if annotation else ""}
    country = pycountry.countries.get(alpha_2=place.country_code) if place.country_code else None
    reading = annotation.normalized or {}
    return {
        "location": place.name,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "admin1": place.admin1,
        "country": getattr(country, "common_name", None) or getattr(country, "name", ""),
        "iso": int(country.numeric) if country else "",
        "iso3": country.alpha_3 if country else "",
        "region": REGION_BY_COUNTRY.get(place.country_code, ""),
        "precision": reading.get("precision") or place.precision,
    }


def _provenance(event: Event, spans: dict, document_url: Callable[[int], str]) -> list:
    actor1 = spans["actor1"]
    url = document_url(event.document_id) + (f"?focus={actor1.start}" if actor1 else "")
    cells = [event.pk, event.incident_id or "", event.document_id, url]
    for slot in Slot.values:
        value = spans[slot]
        members = value if isinstance(value, list) else ([value] if value else [])
        cells += [
            ";".join(str(a.start) for a in members),
            ";".join(str(a.end) for a in members),
            " | ".join(a.quote for a in members),
        ]
    return cells


def _source(event: Event) -> str:
    document = event.document
    return document.author or document.title


def acled_row(event: Event, spans: dict) -> list:
    """The ACLED columns of an event."""
    name1, inter1 = _entity(spans["actor1"])
    name2, inter2 = _entity(spans["actor2"])
    codes = sorted(code for code in (inter1, inter2) if code != "")
    interaction = int("".join(map(str, codes)).ljust(2, "0")) if codes else ""
    civilians = (
        spans["actor2"] is not None
        and spans["actor2"].entity is not None
        and (spans["actor2"].entity.type == ActorType.CIVILIANS)
    )
    place = _place(spans["location"])
    # A linked group of events (one incident told by several documents) shares one id, so a dataset counts it once.
    number = f"I{event.incident_id}" if event.incident_id else str(event.pk)
    return [
        f"{place.get('iso3', '') or 'XXX'}{number}",
        event.date.isoformat(),
        event.date.year,
        event.time_precision,
        event.disorder_type,
        event.event_type,
        event.sub_event_type,
        name1,
        "; ".join(_entity(a)[0] for a in spans["assoc_actor_1"]),
        inter1,
        name2,
        "; ".join(_entity(a)[0] for a in spans["assoc_actor_2"]),
        inter2,
        interaction,
        "Civilian targeting" if civilians else "",
        place.get("iso", ""),
        place.get("region", ""),
        place.get("country", ""),
        place.get("admin1", ""),
        "",
        "",
        place.get("location", ""),
        place.get("latitude", ""),
        place.get("longitude", ""),
        place.get("precision", ""),
        _source(event),
        "",
        event.notes,
        event.fatalities if event.fatalities is not None else 0,
        "",
        int(event.modified.timestamp()),
    ]


def _date_range(event: Event) -> tuple[datetime.date, datetime.date]:
    if event.time_precision == 2:
        return event.date, event.date + datetime.timedelta(days=6)
    if event.time_precision == 3:
        last = calendar.monthrange(event.date.year, event.date.month)[1]
        return event.date.replace(day=1), event.date.replace(day=last)
    return event.date, event.date


def _violence_type(spans: dict) -> int:
    """UCDP's type of violence: 3 one-sided (against civilians), 1 state-based (a state's forces), else 2."""
    types = {a.entity.type for a in (spans["actor1"], spans["actor2"]) if a is not None and a.entity is not None}
    if ActorType.CIVILIANS in types:
        return 3
    return 1 if ActorType.STATE_FORCES in types else 2


def ucdp_row(event: Event, spans: dict) -> list:
    """The UCDP GED columns of an event."""
    side_a, _ = _entity(spans["actor1"])
    side_b, _ = _entity(spans["actor2"])
    place = _place(spans["location"])
    reading = (spans["fatalities"].normalized or {}) if spans["fatalities"] is not None else {}
    best = reading.get("best") if reading.get("best") is not None else event.fatalities
    start, end = _date_range(event)
    has_point = "latitude" in place
    return [
        event.pk,
        event.date.year,
        _violence_type(spans),
        f"{side_a} - {side_b}" if side_b else side_a,
        side_a,
        side_b,
        event.document.source_url,
        event.document.title,
        event.document.published.isoformat() if event.document.published else "",
        UCDP_WHERE_PREC.get(place.get("precision"), ""),
        place.get("location", ""),
        place.get("location", ""),
        place.get("admin1", ""),
        "",
        place.get("latitude", ""),
        place.get("longitude", ""),
        f"POINT ({place['longitude']} {place['latitude']})" if has_point else "",
        place.get("country", ""),
        place.get("region", ""),
        1,
        UCDP_DATE_PREC[event.time_precision],
        start.isoformat(),
        end.isoformat(),
        "",
        "",
        "",
        "",
        best if best is not None else "",
        reading.get("high") if reading.get("high") is not None else (best if best is not None else ""),
        reading.get("low") if reading.get("low") is not None else (best if best is not None else ""),
    ]


def _csv(columns: list[str], row: Callable) -> Callable:
    def render(events: QuerySet[Event], *, document_url) -> Iterator[str]:
        writer = csv.writer(_Line())
        yield writer.writerow([*columns, *PROVENANCE_COLUMNS])
        lines = (
            writer.writerow(
                [spreadsheet_safe(cell) for cell in (*row(event, spans), *_provenance(event, spans, document_url))]
            )
            for event, spans in _events(events)
        )
        yield from joined(lines)

    return render


def render_jsonl(events: QuerySet[Event], *, document_url) -> Iterator[str]:
    """One event a line, as the API shows it (slots nested), with a link into the reading view."""
    serializer = EventSerializer()
    lines = (
        json.dumps({**serializer.to_representation(event), "reader_url": document_url(event.document_id)}) + "\n"
        for event, _ in _events(events)
    )
    yield from joined(lines)


@dataclass(frozen=True)
class EventFormat:
    render: Callable[..., Iterator[str]]
    content_type: str
    filename: str


EVENT_FORMATS = {
    "acled": EventFormat(_csv(ACLED_COLUMNS, acled_row), "text/csv; charset=utf-8", "lector-events-acled.csv"),
    "ucdp": EventFormat(_csv(UCDP_COLUMNS, ucdp_row), "text/csv; charset=utf-8", "lector-events-ucdp.csv"),
    "jsonl": EventFormat(render_jsonl, "application/x-ndjson", "lector-events.jsonl"),
}
