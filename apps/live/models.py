from django.conf import settings
from django.db import models
from django.db.models.functions import Now


class Presence(models.Model):
    """One open live stream: who has which document open, on any server process.

    Inserted when a reading view's stream opens and deleted when it closes; a trigger (migration 0001) tells every
    server process through NOTIFY. The process serving the stream refreshes `seen` every HEARTBEAT_SECONDS, so the
    rows of a process that died without closing its streams are known to be stale and are deleted by the others."""

    document_id = models.BigIntegerField(db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen = models.DateTimeField(db_default=Now())

    def __str__(self) -> str:
        return f"user {self.user_id} reading document {self.document_id}"
