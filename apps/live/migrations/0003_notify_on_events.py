from django.db import migrations

# Events are told to live readers as annotations are (live_notify of migration 0001, kind 'event'): every change of
# an event or its slots writes its row (its version is raised), so one trigger per operation on the event table covers
# them. Events have no offsets: the reading view fetches its events panel again.
TABLES = {
    "insert": "NEW TABLE AS new_rows",
    "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "OLD TABLE AS old_rows",
}
CREATE = "".join(
    f"CREATE TRIGGER tell_live_readers_on_{event} AFTER {event} ON events_event REFERENCING {tables} "
    "FOR EACH STATEMENT EXECUTE FUNCTION live_notify('event');\n"
    for event, tables in TABLES.items()
)
DROP = "".join(f"DROP TRIGGER tell_live_readers_on_{event} ON events_event;\n" for event in TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("live", "0002_notify_reads_only_watched_rows"),
        ("events", "0001_events_slots_typology_incidents"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
