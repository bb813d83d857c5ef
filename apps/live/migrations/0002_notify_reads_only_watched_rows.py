import importlib

from django.db import migrations

# live_notify() as in 0001, but the written rows are filtered to the documents someone has open before anything is
# built from them. 0001 turned every written row into jsonb whenever anyone had any document open, and only then
# dropped the documents nobody reads: with one reader anywhere, every create in every other document paid that (it
# doubled the cost of a single insert). Now a write to documents nobody has open pays an index probe per row.
NOTIFY = """
CREATE OR REPLACE FUNCTION live_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    written jsonb[];
BEGIN
    -- Nobody has any document open: one probe, and no NOTIFY, whose commit serialises the committing transactions
    -- on a global lock.
    IF NOT EXISTS (SELECT 1 FROM live_presence) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(to_jsonb(r)) INTO written FROM new_rows r
        WHERE EXISTS (SELECT 1 FROM live_presence presence WHERE presence.document_id = r.document_id);
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(to_jsonb(r)) INTO written FROM old_rows r
        WHERE EXISTS (SELECT 1 FROM live_presence presence WHERE presence.document_id = r.document_id);
    ELSE
        SELECT array_agg(to_jsonb(r)) INTO written FROM (SELECT * FROM old_rows UNION ALL SELECT * FROM new_rows) r
        WHERE EXISTS (SELECT 1 FROM live_presence presence WHERE presence.document_id = r.document_id);
    END IF;
    IF written IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM pg_notify('lector_live', json_build_object(
        'kind', TG_ARGV[0],
        'op', lower(TG_OP),
        'document', touched.document_id,
        'ids', CASE WHEN cardinality(touched.ids) <= 100 THEN touched.ids END,
        'start', touched.low,
        'end', touched.high,
        'user', (nullif(current_setting('pghistory.context_metadata', true), '')::jsonb ->> 'user')::bigint,
        'revision', revision.revision
    )::text)
    FROM (
        SELECT (w ->> 'document_id')::bigint AS document_id,
               array_agg(DISTINCT (w ->> 'id')::bigint) AS ids,
               min((w ->> 'start')::bigint) AS low,
               max((w ->> 'end')::bigint) AS high
        FROM unnest(written) AS w
        GROUP BY 1
    ) touched
    LEFT JOIN reader_documentrevision revision ON revision.document_id = touched.document_id;
    RETURN NULL;
END;
$$;
"""

FIRST = importlib.import_module("apps.live.migrations.0001_presence_and_notify_triggers").NOTIFY.replace(
    "CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"
)


class Migration(migrations.Migration):
    dependencies = [("live", "0001_presence_and_notify_triggers")]

    operations = [migrations.RunSQL(NOTIFY, FIRST)]
