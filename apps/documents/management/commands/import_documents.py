import sys
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from apps.documents import import_batches
from apps.documents.import_batches import Upload
from apps.documents.importers import SUPPORTED_EXTENSIONS
from apps.documents.models import ImportBatch, ImportFile
from apps.projects.models import Project

POLL_SECONDS = 0.5
WORKER_HINT_SECONDS = 10


def iter_files(paths: list[str]) -> Iterator[Path]:
    """The supported files named, and those inside named directories (recursively, sorted)."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_EXTENSIONS)
        else:
            yield path


def _upload(path: Path) -> Upload:
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # reading it fails too, and the batch reports the file with the reason
    return Upload(str(path), size, path.read_bytes)


def batches_of(uploads: list[Upload], limit: int) -> Iterator[list[Upload]]:
    """Consecutive groups of uploads of at most `limit` bytes (a file over the limit alone, to be reported)."""
    group, group_bytes = [], 0
    for upload in uploads:
        if group and group_bytes + upload.size > limit:
            yield group
            group, group_bytes = [], 0
        group.append(upload)
        group_bytes += upload.size
    if group:
        yield group


class Command(BaseCommand):
    help = (
        "Import documents (.txt, .md, .html, .jsonl files, or directories of them) into a project. The files are "
        "queued as batches for the background worker (manage.py db_worker; make run starts it); the command waits "
        "for them and prints the report, unless --detach."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", type=int, required=True, help="The project's id.")
        parser.add_argument("--user", help="Username recorded as importer (default: the project's creator).")
        parser.add_argument("--detach", action="store_true", help="Queue the batches, print their ids and return.")
        parser.add_argument("paths", nargs="+")

    def handle(self, *args, project, user, paths, detach, **options):
        project_obj = Project.objects.filter(pk=project).first()
        if project_obj is None:
            raise CommandError(f"No project with id {project}.")
        importer = project_obj.created_by
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"No user named {user!r}.")
        uploads = [_upload(path) for path in iter_files(paths)]
        batch_ids = []
        for group in batches_of(uploads, settings.LECTOR_IMPORT_MAX_BATCH_BYTES):
            try:
                batch = import_batches.import_batch_create(project=project_obj, user=importer, uploads=group)
            except PermissionDenied as error:
                raise CommandError(f"{error} Name an annotator or owner with --user.") from None
            batch_ids.append(batch.pk)
            self.stdout.write(f"queued import batch {batch.pk} ({len(group)} files)")
        if detach:
            return
        batches = self._wait(batch_ids, show_progress=sys.stderr.isatty() or options["verbosity"] > 1)
        self._report(batches)

    def _wait(self, batch_ids: list[int], *, show_progress: bool) -> list[ImportBatch]:
        started, hinted = time.monotonic(), False
        over = (ImportBatch.State.FINISHED, ImportBatch.State.FAILED)
        while True:
            batches = list(ImportBatch.objects.filter(pk__in=batch_ids).order_by("pk"))
            if show_progress:
                done, total = sum(b.files_done for b in batches), sum(b.files_total for b in batches)
                imported = sum(b.documents_imported for b in batches)
                self.stderr.write(f"\r{done}/{total} files, {imported} documents imported", ending="")
            if all(batch.state in over for batch in batches):
                if show_progress:
                    self.stderr.write("")
                return batches
            queued = all(batch.state == ImportBatch.State.QUEUED for batch in batches)
            if queued and not hinted and time.monotonic() - started > WORKER_HINT_SECONDS:
                self.stderr.write(
                    "\nStill queued: is the worker running? (`make run` starts one, or: manage.py db_worker)"
                )
                hinted = True
            time.sleep(POLL_SECONDS)

    def _report(self, batches: list[ImportBatch]) -> None:
        files = ImportFile.objects.filter(batch__in=batches).defer("data").order_by("batch", "position")
        for file in files:
            if file.state == ImportFile.State.FAILED:
                self.stdout.write(self.style.ERROR(f"failed: {file.name}: {file.reason}"))
            for problem in file.problems:
                if problem["outcome"] == "duplicate":
                    self.stdout.write(
                        f"duplicate: {problem['name']} (already imported as document {problem['document']})"
                    )
                else:
                    self.stdout.write(self.style.ERROR(f"failed: {problem['name']}: {problem['reason']}"))
        for batch in batches:
            if batch.error:
                self.stdout.write(self.style.ERROR(f"batch {batch.pk}: {batch.error}"))
        imported = sum(b.documents_imported for b in batches)
        duplicates = sum(b.documents_duplicate for b in batches)
        failed = sum(b.documents_failed + b.files_failed for b in batches)
        self.stdout.write(f"{imported} imported, {duplicates} duplicates, {failed} failed.")
        if failed or any(batch.state == ImportBatch.State.FAILED for batch in batches):
            raise SystemExit(1)
