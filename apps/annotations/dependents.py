"""What else uses an annotation. An app that builds on spans (events) registers a Dependents in its
AppConfig.ready(); the update and delete services ask them before a span is moved, retagged or deleted, so the
annotations app never imports the apps that build on it."""

from typing import Protocol

from apps.core.errors import Conflict


class Dependents(Protocol):
    label: str  # what they are, in a message: "events"

    def find(self, annotation_ids: list[int]) -> list[int]:
        """The ids of the objects that use any of these annotations (one query)."""

    def detach(self, annotation_ids: list[int]) -> None:
        """Take these annotations out of every object that uses them."""


_DEPENDENTS: dict[str, Dependents] = {}


def register(name: str, dependents: Dependents) -> None:
    _DEPENDENTS[name] = dependents


class AnnotationInUse(Conflict):
    """The span is used by other objects (events): a change or delete must say what to do with them (detach)."""

    field = "dependents"

    def __init__(self, found: dict[str, list[int]]):
        self.found = found
        named = "; ".join(f"{_DEPENDENTS[name].label} {', '.join(map(str, ids))}" for name, ids in found.items())
        super().__init__(f"This span is used by {named}: nothing was changed. Take it out of them (detach) to go on.")

    def payload(self) -> dict:
        return {"non_field_errors": [str(self)], "dependents": self.found}


def dependents_settle(annotation_ids: list[int], *, detach: bool) -> None:
    """Raise AnnotationInUse when something uses the annotations, unless `detach`: then take them out of it."""
    found = {name: ids for name, dependents in _DEPENDENTS.items() if (ids := dependents.find(annotation_ids))}
    if not found:
        return
    if not detach:
        raise AnnotationInUse(found)
    for name in found:
        _DEPENDENTS[name].detach(annotation_ids)
