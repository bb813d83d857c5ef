"""Writes for batch imports: create a batch from uploads, run it in the worker, resume one that stopped.

A batch's files are stored in PostgreSQL (ImportFile.data, zlib-compressed) when the request ends, so a worker on
any server can read them, and emptied once processed. The worker stores each file's documents in chunks, each chunk
in one transaction together with the file's and the batch's progress: a worker killed at any moment leaves whole
chunks and counts that match them, and a resumed run starts after the last stored chunk.
"""

import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce, Now

from apps.documents.importers import (
    SUPPORTED_EXTENSIONS,
    TITLE_MAX_LENGTH,
    ImportFileError,
    ParsedDocument,
    check_file_size,
    human_size,
    parse_file,
)
from apps.documents.importers.base import file_extension
from apps.documents.models import Document, ImportBatch, ImportFile
from apps.documents.services import content_hash
from apps.projects.models import Project
from apps.projects.selectors import ANNOTATE_ROLES, require_role

PROBLEMS_KEPT = 100  # per file: the first duplicates and failures are listed by name, all are counted
_INSERT_ATTEMPTS = 3  # a concurrent import of the same text makes a chunk's insert conflict; the next try sees it


@dataclass(frozen=True)
class Upload:
    """A file offered for import: its size is known before `read` is called."""

    name: str
    size: int
    read: Callable[[], bytes]


@transaction.atomic
def import_batch_create(*, project: Project, user, uploads: Iterable[Upload]) -> ImportBatch:
    """Store the uploads and queue their import; a file of the wrong type or size is failed by name, unread.

    Raises PermissionDenied unless the user may import into the project (annotators and owners).
    """
    from apps.documents.tasks import import_batch_task

    require_role(user, project, ANNOTATE_ROLES)
    batch = ImportBatch.objects.create(project=project, user=user)
    files, batch_bytes = [], 0
    for position, upload in enumerate(uploads):
        # PostgreSQL text cannot hold NUL; a name is only ever shown.
        name = upload.name.replace("\x00", "")[:500]
        file = ImportFile(batch=batch, position=position, name=name, size=upload.size)
        try:
            _check_upload(upload, batch_bytes)
            # zlib's fastest level: a quarter of the bytes to send to PostgreSQL and write, for little CPU.
            file.data = zlib.compress(upload.read(), 1)
            batch_bytes += upload.size
        except ImportFileError as error:
            file.state, file.reason = ImportFile.State.FAILED, error.reason
        except OSError as error:  # the command reads files from disk
            file.state, file.reason = ImportFile.State.FAILED, f"cannot be read: {error.strerror or error}"
        files.append(file)
        # One row at a time, so that at most one upload's bytes are held in memory.
        file.save()
        file.data = None
    failed = sum(file.state == ImportFile.State.FAILED for file in files)
    batch.files_total, batch.files_done, batch.files_failed = len(files), failed, failed
    if failed == len(files):
        batch.state, batch.finished = ImportBatch.State.FINISHED, batch.created
    batch.save()
    if batch.state == ImportBatch.State.QUEUED:
        # In the same transaction: the worker sees the task only once the files are there.
        import_batch_task.enqueue(batch.pk)
    return batch


def _check_upload(upload: Upload, batch_bytes: int) -> None:
    extension = file_extension(upload.name)
    if extension not in SUPPORTED_EXTENSIONS:
        kind = f"'{extension}' files are" if extension else "a file without an extension is"
        raise ImportFileError(upload.name, f"{kind} not supported; use one of {', '.join(SUPPORTED_EXTENSIONS)}")
    check_file_size(upload.name, upload.size, settings.LECTOR_IMPORT_MAX_FILE_BYTES)
    limit = settings.LECTOR_IMPORT_MAX_BATCH_BYTES
    if batch_bytes + upload.size > limit:
        reason = f"would take the batch past its limit of {human_size(limit)}; import it in another batch"
        raise ImportFileError(upload.name, reason)


def import_batch_resume(*, batch: ImportBatch, user) -> ImportBatch:
    """Queue a failed or stalled batch again; it goes on after the last stored chunk."""
    require_role(user, batch.project, ANNOTATE_ROLES)
    from apps.documents.selectors import import_batch_is_stalled
    from apps.documents.tasks import import_batch_task

    if not (batch.state == ImportBatch.State.FAILED or import_batch_is_stalled(batch)):
        raise ValidationError({"state": f"Only a failed or stalled import can be resumed; this one is {batch.state}."})
    with transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.QUEUED, error="", progressed=Now())
        import_batch_task.enqueue(batch.pk)
    batch.refresh_from_db()
    return batch


def import_batch_run(*, batch_id: int) -> None:
    """The worker's part: import every pending file of the batch, then mark it finished (or failed, and re-raise)."""
    started = ImportBatch.objects.filter(pk=batch_id).exclude(state=ImportBatch.State.FINISHED)
    if not started.update(state=ImportBatch.State.RUNNING, started=Coalesce(F("started"), Now()), progressed=Now()):
        return
    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        pending = batch.files.filter(state=ImportFile.State.PENDING).order_by("position")
        for file_id in pending.values_list("pk", flat=True):
            _import_file(batch, file_id)
    except Exception as error:
        ImportBatch.objects.filter(pk=batch_id).update(
            state=ImportBatch.State.FAILED,
            error=f"The import stopped ({type(error).__name__}); resume it to go on where it stopped.",
            progressed=Now(),
        )
        raise
    with transaction.atomic():
        if not batch.files.filter(state=ImportFile.State.PENDING).exists():
            ImportBatch.objects.filter(pk=batch_id).update(
                state=ImportBatch.State.FINISHED, finished=Now(), progressed=Now()
            )


def _import_file(batch: ImportBatch, file_id: int) -> None:
    file = ImportFile.objects.only("name", "data").get(pk=file_id)
    try:
        documents = parse_file(file.name, zlib.decompress(file.data))
    except ImportFileError as error:
        with transaction.atomic():
            if ImportFile.objects.filter(pk=file_id, state=ImportFile.State.PENDING).update(
                state=ImportFile.State.FAILED, reason=error.reason, data=None
            ):
                ImportBatch.objects.filter(pk=batch.pk).update(
                    files_done=F("files_done") + 1, files_failed=F("files_failed") + 1, progressed=Now()
                )
        return
    del file.data
    names = [file.name] if len(documents) == 1 else [f"{file.name} #{n}" for n in range(1, len(documents) + 1)]
    while _import_next_chunk(batch, file_id, documents, names):
        pass


def _import_next_chunk(batch: ImportBatch, file_id: int, documents: list[ParsedDocument], names: list[str]) -> bool:
    """Store the file's next chunk with its progress in one transaction; False once the file is done."""
    for attempt in range(1, _INSERT_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return _store_next_chunk(batch, file_id, documents, names)
        except IntegrityError:
            if attempt == _INSERT_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _store_next_chunk(batch: ImportBatch, file_id: int, documents: list[ParsedDocument], names: list[str]) -> bool:
    progress = (
        ImportFile.objects.select_for_update()
        .only("state", "documents_done", "problems")
        .filter(pk=file_id, state=ImportFile.State.PENDING)
        .first()
    )
    if progress is None:  # another run of the same batch finished it
        return False
    start = progress.documents_done
    end = min(start + settings.LECTOR_IMPORT_CHUNK_DOCUMENTS, len(documents))
    imported, problems = _store_documents(batch, documents[start:end], names[start:end])
    duplicates = sum(problem["outcome"] == "duplicate" for problem in problems)
    failed = len(problems) - duplicates
    done = end == len(documents)
    file_update = {
        "documents_total": len(documents),
        "documents_done": end,
        "imported": F("imported") + imported,
        "duplicates": F("duplicates") + duplicates,
        "failed": F("failed") + failed,
    }
    if problems and len(progress.problems) < PROBLEMS_KEPT:
        file_update["problems"] = (progress.problems + problems)[:PROBLEMS_KEPT]
    if done:
        file_update |= {"state": ImportFile.State.DONE, "data": None}
    ImportFile.objects.filter(pk=file_id).update(**file_update)
    ImportBatch.objects.filter(pk=batch.pk).update(
        documents_imported=F("documents_imported") + imported,
        documents_duplicate=F("documents_duplicate") + duplicates,
        documents_failed=F("documents_failed") + failed,
        files_done=F("files_done") + int(done),
        progressed=Now(),
    )
    return not done


def _store_documents(batch: ImportBatch, documents: list[ParsedDocument], names: list[str]) -> tuple[int, list[dict]]:
    """Insert the new documents of a chunk in one statement, after one query for the duplicates among them."""
    candidates, problems = [], []
    for name, parsed in zip(names, documents, strict=True):
        document = Document(
            project_id=batch.project_id,
            title=parsed.title[:TITLE_MAX_LENGTH],
            text=parsed.text,
            source_url=parsed.source_url,
            author=parsed.author[:300],
            published=parsed.published,
            content_hash=content_hash(parsed.text),
            imported_by_id=batch.user_id,
        )
        try:
            document.clean_fields(exclude=["search_vector", "imported_by", "project"])
        except ValidationError as error:
            reason = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
            problems.append({"name": name, "outcome": "failed", "reason": reason, "document": None})
        else:
            candidates.append((name, document))
    hashes = {document.content_hash for _, document in candidates}
    existing = {
        digest: (pk, title)
        for digest, pk, title in Document.objects.filter(project_id=batch.project_id, content_hash__in=hashes)
        .values_list("content_hash", "pk", "title")
        .iterator()
    }
    new, first_with_text = [], {}
    for name, document in candidates:
        earlier = existing.get(document.content_hash) or first_with_text.get(document.content_hash)
        if earlier is None:
            first_with_text[document.content_hash] = document
            new.append(document)
        else:
            problems.append({"name": name, "outcome": "duplicate", "document": earlier})
    Document.objects.bulk_create(new)
    for problem in problems:
        earlier = problem["document"]
        if isinstance(earlier, Document):  # a duplicate within the chunk: its id is known only now
            earlier = (earlier.pk, earlier.title)
        if earlier is not None:
            problem["document"] = earlier[0]
            problem["reason"] = f"already imported as “{earlier[1]}”"
    return len(new), problems
