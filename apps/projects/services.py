"""Writes for projects, memberships and tag sets."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.projects.models import Membership, Project, Role, Tag, TagKind
from apps.projects.selectors import require_role

DEFAULT_TAGS = (
    # slug, label, colour, shortcut, description, kind
    ("actor", "Actor", "#f4a261", "a", "A person, group, force or organisation that acts or is acted upon.", "actor"),
    ("location", "Location", "#2a9d8f", "l", "A named place: a town, region, country, site or feature.", "place"),
    ("quantity", "Quantity", "#8ab4f8", "q", "A number of people, things or events, or an amount.", "quantity"),
)


@transaction.atomic
def project_create(
    *, name: str, owner, description: str = "", guidelines: str = "", with_default_tags: bool = True
) -> Project:
    """Create a project owned by `owner`, with the default tag set."""
    project = Project.objects.create(name=name, description=description, guidelines=guidelines, created_by=owner)
    Membership.objects.create(project=project, user=owner, role=Role.OWNER)
    if with_default_tags:
        default_tags_create(project)
    return project


def default_tags_create(project: Project) -> list[Tag]:
    """Give a project the default tag set (actor, location, quantity)."""
    return Tag.objects.bulk_create(
        Tag(
            project=project, slug=slug, label=label, color=color, shortcut=key, description=text, position=i,
            kind=kind,
        )
        for i, (slug, label, color, key, text, kind) in enumerate(DEFAULT_TAGS)
    )  # fmt: skip


@transaction.atomic
def membership_set(*, project: Project, user, role: str) -> Membership:
    """Add `user` to the project with `role`, or change their role."""
    membership, _ = Membership.objects.update_or_create(project=project, user=user, defaults={"role": role})
    return membership


def _require_owner(user, project: Project) -> None:
    require_role(user, project, [Role.OWNER])


@transaction.atomic
def project_update(
    *, project: Project, user, name: str, description: str, guidelines: str, focus_countries: list[str] | None = None
) -> Project:
    """Rename a project and edit its description, guidelines and focus countries (owners only)."""
    _require_owner(user, project)
    project.name, project.description, project.guidelines = name.strip(), description, guidelines
    if focus_countries is not None:
        project.focus_countries = focus_countries
    project.full_clean()
    project.save(update_fields=["name", "description", "guidelines", "focus_countries", "modified"])
    return project


@transaction.atomic
def membership_add(*, project: Project, user, username: str, role: str) -> Membership:
    """Add a user (by username) to the project with a role, or change their role (owners only)."""
    owners = _lock_owners(project)
    _require_owner(user, project)
    member = get_user_model().objects.filter(username=username.strip()).first()
    if member is None:
        raise ValidationError({"username": f"No user is called “{username}”."})
    if role not in Role.values:
        raise ValidationError({"role": f"Choose one of {', '.join(Role.values)}."})
    existing = Membership.objects.filter(project=project, user=member).first()
    if existing is not None and existing.role == Role.OWNER and role != Role.OWNER:
        _keep_an_owner(owners, leaving=existing)
    return membership_set(project=project, user=member, role=role)


def _lock_owners(project: Project) -> set[int]:
    """Lock the project's owner rows until the transaction ends and return their ids. Two owners demoting or removing
    each other at once then take turns, and the second sees the first's change (else both could see the other still
    owner and leave the project with none)."""
    owners = Membership.objects.select_for_update().filter(project=project, role=Role.OWNER).order_by("pk")
    return set(owners.values_list("pk", flat=True))


def _keep_an_owner(owners: set[int], *, leaving: Membership) -> None:
    if not owners - {leaving.pk}:
        raise ValidationError({"role": "A project needs at least one owner: make someone else owner first."})


@transaction.atomic
def membership_remove(*, project: Project, user, membership_id: int) -> None:
    """Remove a member (owners only); the last owner cannot be removed. Their annotations stay."""
    owners = _lock_owners(project)
    _require_owner(user, project)
    membership = Membership.objects.select_for_update().filter(project=project, pk=membership_id).first()
    if membership is None:
        raise ValidationError({"member": "This person is not a member of the project."})
    if membership.role == Role.OWNER:
        _keep_an_owner(owners, leaving=membership)
    membership.delete()


def _tag_values(
    project: Project, *, slug: str, label: str, color: str, shortcut: str, description: str, kind: str, tag=None
):
    shortcut = (shortcut or "").strip().lower()
    others = Tag.objects.filter(project=project).exclude(pk=getattr(tag, "pk", None))
    errors = {}
    if shortcut and others.filter(shortcut=shortcut).exists():
        errors["shortcut"] = f"The key “{shortcut}” is already another tag's shortcut."
    if slug and others.filter(slug=slug).exists():
        errors["slug"] = f"The project already has a tag “{slug}”."
    if errors:
        raise ValidationError(errors)
    return {"label": label.strip(), "color": color, "shortcut": shortcut, "description": description, "kind": kind}


@transaction.atomic
def tag_create(
    *,
    project: Project,
    user,
    slug: str,
    label: str,
    color: str,
    shortcut: str = "",
    description: str = "",
    kind: str = TagKind.PLAIN,
):
    """Add a tag to the project's tag set, at the end (owners only)."""
    _require_owner(user, project)
    values = _tag_values(
        project, slug=slug, label=label, color=color, shortcut=shortcut, description=description,
        kind=kind or TagKind.PLAIN,
    )  # fmt: skip
    last = Tag.objects.filter(project=project).order_by("-position").values_list("position", flat=True).first()
    tag = Tag(project=project, slug=slug, position=(last or 0) + 1, **values)
    tag.full_clean()
    try:
        with transaction.atomic():
            tag.save()
    except IntegrityError as error:  # a colleague added the same slug or key since the check above
        raise ValidationError({"slug": f"The project already has a tag “{slug}” or that key."}) from error
    return tag


@transaction.atomic
def tag_update(
    *, tag: Tag, user, label: str, color: str, shortcut: str = "", description: str = "", kind: str | None = None
) -> Tag:
    """Rename, recolour, re-key, describe or re-kind a tag (owners only); its slug, used by exports and the API,
    stays."""
    _require_owner(user, tag.project)
    values = _tag_values(
        tag.project, slug="", label=label, color=color, shortcut=shortcut, description=description,
        kind=kind or tag.kind, tag=tag,
    )  # fmt: skip
    for name, value in values.items():
        setattr(tag, name, value)
    tag.full_clean()
    tag.save()
    return tag


@transaction.atomic
def tag_move(*, tag: Tag, user, offset: int) -> None:
    """Move a tag up (-1) or down (+1) in the tag set's order (owners only)."""
    _require_owner(user, tag.project)
    tags = list(Tag.objects.select_for_update().filter(project=tag.project).order_by("position", "id"))
    index = next(i for i, t in enumerate(tags) if t.pk == tag.pk)
    target = min(max(index + offset, 0), len(tags) - 1)
    tags.insert(target, tags.pop(index))
    for position, each in enumerate(tags):
        each.position = position
    Tag.objects.bulk_update(tags, ["position"])


@transaction.atomic
def project_delete(*, project: Project, user, confirm_name: str) -> None:
    """Delete a project with its documents, annotations and tags (owners only, typing its name to confirm)."""
    _require_owner(user, project)
    if confirm_name.strip() != project.name:
        raise ValidationError({"confirm_name": "Type the project's name exactly to delete it."})
    # Annotations go with their documents: their tag's RESTRICT allows it, as the same delete cascades to them.
    project.delete()
