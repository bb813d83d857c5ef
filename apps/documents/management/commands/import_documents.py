import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from apps.documents.importers import SUPPORTED_EXTENSIONS, ImportFileError
from apps.documents.services import ImportReport, document_import_file
from apps.projects.models import Project


def iter_files(paths: list[str]):
    """The supported files named, and those inside named directories (recursively, sorted)."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_EXTENSIONS)
        else:
            yield path


class Command(BaseCommand):
    help = "Import documents (.txt, .md, .html, .jsonl files, or directories of them) into a project."

    def add_arguments(self, parser):
        parser.add_argument("--project", type=int, required=True, help="The project's id.")
        parser.add_argument("--user", help="Username recorded as importer (default: the project's creator).")
        parser.add_argument("paths", nargs="+")

    def handle(self, *args, project, user, paths, **options):
        project_obj = Project.objects.filter(pk=project).first()
        if project_obj is None:
            raise CommandError(f"No project with id {project}.")
        importer = project_obj.created_by
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"No user named {user!r}.")
        files = list(iter_files(paths))
        report = ImportReport()
        show_progress = sys.stderr.isatty() or options.get("verbosity", 1) > 1
        for index, path in enumerate(files, start=1):
            try:
                data = path.read_bytes()
            except OSError as error:
                report.errors.append(ImportFileError(str(path), error.strerror or str(error)))
                continue
            report.merge(document_import_file(project=project_obj, user=importer, filename=str(path), data=data))
            if show_progress:
                width = 30
                done = int(width * index / len(files))
                self.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {index}/{len(files)} files", ending="")
        if show_progress:
            self.stderr.write("")
        for name, existing in report.duplicates:
            self.stdout.write(f"duplicate: {name} (already imported as document {existing.pk})")
        for error in report.errors:
            self.stdout.write(self.style.ERROR(f"failed: {error}"))
        self.stdout.write(
            f"{len(report.imported)} imported, {len(report.duplicates)} duplicates, {len(report.errors)} failed."
        )
        if report.errors:
            raise SystemExit(1)
