"""What the deals pages share: the reader's language and a form POST handed to one service."""

from django.contrib import messages as flash
from django.utils.translation import get_language

from portal.core.service_calls import call_service_for_view


def reader_language() -> str:
    return (get_language() or "en")[:2]


def post_form_to_service(request, form, service, *, success: str, refused: str = "", **kwargs) -> None:
    """A member's POST: when ``form`` is valid, call ``service`` with ``kwargs``, the acting user and the
    form's fields (a translated ``success`` flash); otherwise flash ``refused`` (if any)."""
    if form.is_valid():
        call_service_for_view(
            request, service, actor=request.user, success=success, **kwargs, **form.cleaned_data
        )
    elif refused:
        flash.error(request, refused)
