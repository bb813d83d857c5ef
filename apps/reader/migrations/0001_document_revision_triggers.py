from django.db import migrations, models

# One statement-level trigger per kind of write (PostgreSQL allows transition tables only on single-event triggers).
# Each bumps, once per statement, the revision of every document whose annotations the statement touched.
FUNCTION_FOR = """
CREATE FUNCTION reader_bump_on_{event}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reader_documentrevision (document_id, revision)
    SELECT touched.document_id, nextval('reader_revision_seq')
    FROM (SELECT DISTINCT document_id FROM ({rows}) written ORDER BY document_id) touched
    ON CONFLICT (document_id) DO UPDATE SET revision = EXCLUDED.revision;
    RETURN NULL;
END;
$$;
CREATE TRIGGER reader_bump_on_{event} AFTER {event} ON annotations_annotation
    REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION reader_bump_on_{event}();
"""

EVENTS = {
    "insert": ("SELECT document_id FROM new_rows", "NEW TABLE AS new_rows"),
    "update": (
        "SELECT document_id FROM new_rows UNION SELECT document_id FROM old_rows",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    ),
    "delete": ("SELECT document_id FROM old_rows", "OLD TABLE AS old_rows"),
}

CREATE = "CREATE SEQUENCE reader_revision_seq;\n" + "".join(
    FUNCTION_FOR.format(event=event, rows=rows, tables=tables) for event, (rows, tables) in EVENTS.items()
)
DROP = "".join(
    f"DROP TRIGGER reader_bump_on_{event} ON annotations_annotation; DROP FUNCTION reader_bump_on_{event}();\n"
    for event in EVENTS
) + "DROP SEQUENCE reader_revision_seq;"


class Migration(migrations.Migration):
    initial = True

    dependencies = [("annotations", "0002_annotation_history")]

    operations = [
        migrations.CreateModel(
            name="DocumentRevision",
            fields=[
                ("document_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("revision", models.BigIntegerField()),
            ],
        ),
        migrations.RunSQL(CREATE, DROP),
    ]
