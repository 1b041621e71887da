"""The dashboard's to-do list: each app registers a function (from ``AppConfig.ready()``) that returns
what waits for a person in that app, as ``Todo`` items. A function costs a fixed number of queries
whatever the counts (tests/notifications/test_dashboard.py counts them), and returns only items with
something to do. The portal layer does not import the apps; they come to it (docs/ in README)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Todo:
    role: str  # member, consultant, coordinator, admin: the dashboard groups by it
    text: str  # translated, the count in it
    url: str  # the one place where the person acts
    count: int = 0
    urgent: bool = False


_sections: list[Callable] = []


def register_todos(function: Callable) -> None:
    """``function(*, user, roles, company_ids) -> list[Todo]``."""
    if function not in _sections:
        _sections.append(function)


def todos_for(*, user, roles: set, company_ids: list[int]) -> list[Todo]:
    items: list[Todo] = []
    for function in _sections:
        items += function(user=user, roles=roles, company_ids=company_ids)
    return [item for item in items if item.count]
