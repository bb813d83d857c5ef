import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.annotations.services import annotation_create
from apps.documents.services import DuplicateDocument, document_create
from apps.projects.models import Project, Role
from apps.projects.services import membership_set, project_create

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"


class Command(BaseCommand):
    help = (
        "Load the demo login, the sample project with its default tags and the sample documents, and two colleagues "
        "who tagged the first document, so that agreement and curation have layers to compare (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Seed even with DEBUG off (never on a real server).")

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo creates a demo/demo login; it runs only with DEBUG=1 (or --force).")
        fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(username=fixture["user"]["username"])
        if created:
            user.set_password(fixture["user"]["password"])
            user.save()
        project = Project.objects.filter(name=fixture["project"]["name"], created_by=user).first()
        if project is None:
            project = project_create(
                name=fixture["project"]["name"],
                description=fixture["project"]["description"],
                guidelines=fixture["project"]["guidelines"],
                owner=user,
            )
            project.focus_countries = fixture["project"]["focus_countries"]
            project.save(update_fields=["focus_countries"])
        imported = 0
        for entry in fixture["documents"]:
            published = entry.get("published")
            try:
                document_create(
                    project=project,
                    user=user,
                    title=entry["title"],
                    text=(FIXTURE.parent / entry["file"]).read_text(encoding="utf-8"),
                    author=entry.get("author", ""),
                    source_url=entry.get("source_url", ""),
                    published=datetime.date.fromisoformat(published) if published else None,
                )
                imported += 1
            except DuplicateDocument:
                pass
        first = project.documents.order_by("pk").first()
        for colleague in fixture["colleagues"]:
            self.colleague(project, first, colleague, user_model)
        self.stdout.write(
            f"Demo ready: log in as {user.username}/{fixture['user']['password']}; "
            f"project “{project.name}” (id {project.pk}); {imported} new document(s); colleagues "
            + ", ".join(f"{colleague['username']}/{colleague['password']}" for colleague in fixture["colleagues"])
            + " (annotators who tagged the first document)."
        )

    def colleague(self, project, document, fixture: dict, user_model) -> None:
        """An annotator of the project with their spans of the document (each quote's first occurrence), once."""
        user, created = user_model.objects.get_or_create(username=fixture["username"])
        if not created:
            return
        user.set_password(fixture["password"])
        user.save()
        membership_set(project=project, user=user, role=Role.ANNOTATOR)
        for quote, tag in fixture["spans"]:
            start = document.text.index(quote)
            annotation_create(document=document, user=user, start=start, end=start + len(quote), tag=tag)
