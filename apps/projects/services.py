"""Writes for projects, memberships and tag sets."""

from django.db import transaction

from apps.projects.models import Membership, Project, Role, Tag

DEFAULT_TAGS = (
    # slug, label, colour, shortcut, description
    ("actor", "Actor", "#f4a261", "a", "A person, group, force or organisation that acts or is acted upon."),
    ("location", "Location", "#2a9d8f", "l", "A named place: a town, region, country, site or feature."),
    ("quantity", "Quantity", "#8ab4f8", "q", "A number of people, things, events or an amount, with its unit."),
)


@transaction.atomic
def project_create(*, name: str, owner, description: str = "", with_default_tags: bool = True) -> Project:
    """Create a project owned by `owner`, with the default tag set."""
    project = Project.objects.create(name=name, description=description, created_by=owner)
    Membership.objects.create(project=project, user=owner, role=Role.OWNER)
    if with_default_tags:
        Tag.objects.bulk_create(
            Tag(project=project, slug=slug, label=label, color=color, shortcut=key, description=text, position=i)
            for i, (slug, label, color, key, text) in enumerate(DEFAULT_TAGS)
        )
    return project


@transaction.atomic
def membership_set(*, project: Project, user, role: str) -> Membership:
    """Add `user` to the project with `role`, or change their role."""
    membership, _ = Membership.objects.update_or_create(project=project, user=user, defaults={"role": role})
    return membership
