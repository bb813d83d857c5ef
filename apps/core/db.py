"""Server-side prepared statements for the hottest queries: PostgreSQL plans such a query once per connection instead
of on every call (planning the span check took longer than running it)."""

import re

from django.db import connection

_NAMED_PARAMETER = re.compile(r"%\((\w+)\)s")
_ALL: list["PreparedStatement"] = []


class PreparedStatement:
    """A query written with psycopg2's `%(name)s` parameters, prepared on each database connection the first time it
    runs there. Needs session-level state, so not for a pooler in transaction mode (see README,
    Serving)."""

    def __init__(self, name: str, sql: str):
        self.name = name
        self.parameters: list[str] = []
        body = _NAMED_PARAMETER.sub(self._number, sql)  # keeps %%: PREPARE runs with (empty) parameters too
        self.prepare_sql = f"PREPARE {name} AS {body}"
        # PostgreSQL's default would re-plan each call for its parameters (a "custom plan") whenever it guesses that
        # pays, which for these array parameters is always: the generic plan is planned once and runs the same.
        self.execute_sql_alone = f"EXECUTE {name}({', '.join(f'%({p})s' for p in self.parameters)})"
        self.execute_sql = f"SET LOCAL plan_cache_mode = force_generic_plan; {self.execute_sql_alone}"

        _ALL.append(self)

    def _number(self, match: re.Match) -> str:
        if match.group(1) not in self.parameters:
            self.parameters.append(match.group(1))
        return f"${self.parameters.index(match.group(1)) + 1}"

    def prepare(self, cursor) -> None:
        """PREPARE it on the cursor's connection unless it is there already."""
        raw = connection.connection  # the cursor has connected; a reconnection is a new object with no statements
        prepared_on = getattr(connection, "lector_prepared", None)
        if prepared_on is None or prepared_on[0] is not raw:
            prepared_on = connection.lector_prepared = (raw, set())
        if self.name not in prepared_on[1]:
            # With parameters (none), as other layers may add some: pghistory prefixes its context to each query.
            cursor.execute(self.prepare_sql, {})  # PREPARE outlives a rollback of its transaction
            prepared_on[1].add(self.name)

    def execute(self, cursor, params: dict) -> None:
        self.prepare(cursor)
        # SET LOCAL lasts until the end of the transaction, so outside one (autocommit) there is none to set it in:
        # PostgreSQL's default then settles on the generic plan after a few calls whenever it costs no more.
        in_transaction = connection.in_atomic_block
        cursor.execute(self.execute_sql if in_transaction else self.execute_sql_alone, params)


def prepare_all() -> None:
    """Prepare every statement on this connection now, as a worker's first requests do (tests that count queries
    call it first, so the count is that of a request in steady state)."""
    with connection.cursor() as cursor:
        for statement in _ALL:
            statement.prepare(cursor)
