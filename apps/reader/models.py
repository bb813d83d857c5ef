from django.db import models


class DocumentRevision(models.Model):
    """A number that changes with every committed write to a document's annotations.

    Set only by PostgreSQL triggers on annotations_annotation (migration 0001), one bump per statement and document,
    so bulk writes, imports, cascades and raw SQL move it too. Its values come from a sequence, which never hands out
    a number twice (not even after a rollback), so (document, revision) names one state of the annotations for every
    app server. Not a foreign key: the row outlives a deleted document harmlessly, and no delete has to wait for it.
    """

    document_id = models.BigIntegerField(primary_key=True)
    revision = models.BigIntegerField()

    def __str__(self) -> str:
        return f"document {self.document_id} at revision {self.revision}"
