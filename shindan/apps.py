from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShindanConfig(AppConfig):
    name = "shindan"
    verbose_name = _("Shindan diagnoses")

    def ready(self) -> None:
        from portal.privacy.registry import register_person_eraser

        register_person_eraser(_erase_interviewees)


def _erase_interviewees(name: str, email: str) -> dict:
    """A diagnosis keeps who was interviewed by position, not by name."""
    from shindan.models import Interviewee

    if not name:
        return {"interviewees": 0}
    return {"interviewees": Interviewee.objects.filter(name=name).update(name="")}
