"""CSV: a header row of selectors.CSV_COLUMNS (the JSON Lines keys, then the normalised value flattened), then one
row per annotation (RFC 4180: CRLF, quoted as needed), written by PostgreSQL. A text cell starting with
=, +, -, @, a tab or a carriage return gets a leading apostrophe, so a spreadsheet shows it as text instead of
running it as a formula (OWASP's advice against CSV injection); a number cell (a latitude of -3.5) is left as it is."""

from collections.abc import Iterator

from apps.exports.selectors import CSV_COLUMNS, csv_lines


def render(annotations, *, document_url=None) -> Iterator[str | bytes]:
    """The header, then the rows in chunks."""
    yield ",".join(CSV_COLUMNS) + "\r\n"
    yield from csv_lines(annotations)
