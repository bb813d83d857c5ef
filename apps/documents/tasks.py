"""Background tasks of the documents app, run by `manage.py db_worker` (django-tasks with its database backend)."""

from django_tasks import task

from apps.documents import import_batches


@task()
def import_batch_task(batch_id: int) -> None:
    """Import the pending files of a batch."""
    import_batches.import_batch_run(batch_id=batch_id)
