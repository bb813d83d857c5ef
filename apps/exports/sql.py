"""SQL expressions that let PostgreSQL write export lines itself, as Python's json.dumps (ensure_ascii=False) and
csv.writer (excel dialect) would, so a row never passes through Python one field at a time."""

from django.db.models import Expression, F, Func, TextField, Value

# PostgreSQL's to_json escapes exactly as json.dumps(ensure_ascii=False) does: \" \\ \b \f \n \r \t, other control
# characters as lower-case \u00XX, everything else (non-ASCII included) as it is.
JSON_STRING = "to_json({value})::text"

# A time in ISO 8601 as a JSON string: PostgreSQL's own form, whatever the DateStyle, in the connection's time zone
# (Django's: UTC), "2026-03-01T09:30:05.12+00:00". It differs from datetime.isoformat() only in dropping the trailing
# zeros of the fraction, and costs a third less than building isoformat()'s form with to_char.
JSON_TIME = "to_json({value})::text"
ISO_TIME = "btrim(to_json({value})::text, '\"')"

# A cell a spreadsheet would read as a formula (OWASP's list: = + - @ tab carriage return) gets a leading
# apostrophe; then csv.writer's QUOTE_MINIMAL: quoted, quotes doubled, when the cell holds a comma, quote, CR or LF.
# (ascii() and strpos() cost a third less than left() and a regular expression, which widens the whole text first.)
_FORMULA_GUARD = "CASE WHEN ascii({value}) IN (61, 43, 45, 64, 9, 13) THEN '''' ELSE '' END"  # = + - @ tab CR
_NEEDS_QUOTES = (
    "strpos({value}, '\"') > 0 OR strpos({value}, ',') > 0 OR strpos({value}, E'\\n') > 0 "
    "OR strpos({value}, E'\\r') > 0"
)
CSV_CELL = (
    f"CASE WHEN {_NEEDS_QUOTES} THEN '\"' || {_FORMULA_GUARD} || replace({{value}}, '\"', '\"\"') || '\"' "
    f"ELSE {_FORMULA_GUARD} || {{value}} END"
)


class Template(Func):
    """`template` with each `{value}` replaced by the one source expression (compiled once, its parameters repeated
    in step)."""

    output_field = TextField()

    def __init__(self, template: str, expression, **extra):
        super().__init__(expression, **extra)
        self.template_text = template

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return self.template_text.format(value=sql), tuple(params) * self.template_text.count("{value}")


class Joined(Func):
    """The text pieces concatenated with ||."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = TextField()


def as_text(field: str) -> Expression:
    return Template("({value})::text", F(field))


def json_string(field: str) -> Expression:
    return Template(JSON_STRING, F(field))


def json_time(field: str) -> Expression:
    return Template(JSON_TIME, F(field))


def iso_time(field: str) -> Expression:
    return Template(ISO_TIME, F(field))


def json_value(field: str) -> Expression:
    """A jsonb column as JSON text (null when SQL NULL)."""
    return Template("coalesce(({value})::text, 'null')", F(field))


def json_cell(field: str) -> Expression:
    """A jsonb column as a CSV cell of its JSON text (empty when SQL NULL)."""
    return Template(CSV_CELL.replace("{value}", "coalesce(({value})::text, '')"), F(field))


def _json_path(path: tuple[str, ...]) -> str:
    # The keys are the code's own constants (the shapes of Annotation.normalized), never user input.
    if not all(key.isidentifier() for key in path):
        raise ValueError(f"Not a key of a normalised value: {path}")
    return ", ".join(f"'{key}'" for key in path)


def json_path_number_cell(field: str, path: tuple[str, ...]) -> Expression:
    """The number at `path` inside a jsonb column as a CSV cell (its JSON text: never quoted, never a formula, though
    it may start with a minus), empty when absent or not a number."""
    keys = _json_path(path)
    return Template(
        f"CASE WHEN jsonb_typeof(jsonb_extract_path({{value}}, {keys})) = 'number' "
        f"THEN jsonb_extract_path_text({{value}}, {keys}) ELSE '' END",
        F(field),
    )


def json_path_text_cell(field: str, path: tuple[str, ...]) -> Expression:
    """The value at `path` inside a jsonb column as a CSV text cell (formulas neutralised), empty when absent."""
    return Template(
        CSV_CELL.replace("{value}", f"coalesce(jsonb_extract_path_text({{value}}, {_json_path(path)}), '')"), F(field)
    )


def number_or_empty(field: str) -> Expression:
    """A nullable number column as a CSV cell (empty when NULL)."""
    return Template("coalesce(({value})::text, '')", F(field))


def csv_cell(field: str) -> Expression:
    return Template(CSV_CELL, F(field))


def json_object(members: dict[str, Expression]) -> Joined:
    """`{"key": value, ...}` as json.dumps writes it; each value already JSON text."""
    pieces = []
    for index, (key, value) in enumerate(members.items()):
        pieces += [Value(("{" if index == 0 else ", ") + f'"{key}": '), value]
    return Joined(*pieces, Value("}"))


def csv_row(cells: list[Expression]) -> Joined:
    """The cells, already CSV text, joined by commas (no line ending)."""
    pieces = []
    for index, cell in enumerate(cells):
        pieces += [Value(","), cell] if index else [cell]
    return Joined(*pieces)
