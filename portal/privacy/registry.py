"""Other apps hold personal data too (event representatives, interviewees). portal imports none of them
(DESIGN.md), so they register here from their AppConfig.ready():

- an *exporter* ``fn(user, companies) -> dict`` adds sections to "download my data";
- a *person eraser* ``fn(name, email) -> dict[str, int]`` erases a person without an account.
"""

from collections.abc import Callable

exporters: list[Callable] = []
person_erasers: list[Callable] = []


def register_exporter(function: Callable) -> None:
    if function not in exporters:
        exporters.append(function)


def register_person_eraser(function: Callable) -> None:
    if function not in person_erasers:
        person_erasers.append(function)
