import django.db.models.deletion
import django.db.models.functions.datetime
from django.conf import settings
from django.db import migrations, models

# live_notify(kind): one NOTIFY on the channel `lector_live` per statement and document, carrying ids only (see
# apps/live/listener.py for the payload). Generic over the table it is attached to (annotations today, events later):
# it reads each written row as jsonb, so any table with id and document_id columns can use it (start and end, when
# the table has them, tell the reader which paragraphs to fetch again, since a deleted row cannot be looked up).
# Statement-level, as reader_bump_on_*: a bulk write of 1,000 rows is one notification per document, with its ids
# when there are at most 100 of them and none otherwise (the reader then fetches the whole text).
# Triggers of one event fire in the order of their names, so tell_live_readers_on_* run after reader_bump_on_* and
# send the revision that statement gave the document.
NOTIFY = """
CREATE FUNCTION live_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    written jsonb[];
BEGIN
    -- Only documents someone has open are told about: writes nobody watches (imports, scripts, most writes) pay
    -- one index probe, and no NOTIFY, whose commit serialises the committing transactions on a global lock.
    IF NOT EXISTS (SELECT 1 FROM live_presence) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(to_jsonb(r)) INTO written FROM new_rows r;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(to_jsonb(r)) INTO written FROM old_rows r;
    ELSE
        SELECT array_agg(to_jsonb(r)) INTO written FROM (SELECT * FROM old_rows UNION ALL SELECT * FROM new_rows) r;
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
    LEFT JOIN reader_documentrevision revision ON revision.document_id = touched.document_id
    WHERE EXISTS (SELECT 1 FROM live_presence presence WHERE presence.document_id = touched.document_id);
    RETURN NULL;
END;
$$;
"""

TRIGGER = """
CREATE TRIGGER tell_live_readers_on_{event} AFTER {event} ON annotations_annotation
    REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION live_notify('annotation');
"""
TABLES = {
    "insert": "NEW TABLE AS new_rows",
    "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "OLD TABLE AS old_rows",
}

# Someone opened or closed a document's stream: every process with readers of it recounts them.
PRESENCE = """
CREATE FUNCTION live_presence_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('lector_live', json_build_object('kind', 'presence', 'document', document_id)::text)
    FROM (SELECT DISTINCT document_id FROM changed_rows) changed;
    RETURN NULL;
END;
$$;
CREATE TRIGGER live_presence_on_insert AFTER INSERT ON live_presence
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION live_presence_notify();
CREATE TRIGGER live_presence_on_delete AFTER DELETE ON live_presence
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION live_presence_notify();
"""

CREATE = NOTIFY + "".join(TRIGGER.format(event=event, tables=tables) for event, tables in TABLES.items()) + PRESENCE
DROP = "".join(f"DROP TRIGGER tell_live_readers_on_{event} ON annotations_annotation;\n" for event in TABLES) + (
    "DROP FUNCTION live_notify();\n"
    "DROP TRIGGER live_presence_on_insert ON live_presence; DROP TRIGGER live_presence_on_delete ON live_presence;\n"
    "DROP FUNCTION live_presence_notify();"
)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("reader", "0001_document_revision_triggers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Presence",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("document_id", models.BigIntegerField(db_index=True)),
                ("seen", models.DateTimeField(db_default=django.db.models.functions.datetime.Now())),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
        ),
        migrations.RunSQL(CREATE, DROP),
    ]
