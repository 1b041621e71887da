"""Views call services through ``call_service_for_view``: one place turns a service's refusal into the
message the person reads, so no view writes ``try: … except ValidationError: messages.error(…)``.

The API's counterpart is ``portal.core.api.call_service`` (a refusal becomes a 400 with the messages).

    result = call_service_for_view(
        request, services.posting_publish, posting=posting, actor=request.user, success=_("Published.")
    )
    if result.ok:
        return redirect(...)
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest


@dataclass(frozen=True)
class ServiceResult:
    ok: bool
    value: Any = None
    error: ValidationError | None = None
    codes: frozenset[str] = field(default_factory=frozenset)


def error_codes(error: ValidationError) -> frozenset[str]:
    """Every ``code`` in a ValidationError (a message, a list or a dict of them)."""
    if hasattr(error, "error_dict"):
        items = [item for errors in error.error_dict.values() for item in errors]
    else:
        items = error.error_list
    return frozenset(item.code for item in items if getattr(item, "code", None))


def call_service_for_view(
    request: HttpRequest,
    service: Callable[..., Any],
    /,
    *,
    success: str = "",
    form: BaseForm | None = None,
    **kwargs,
) -> ServiceResult:
    """Run ``service(**kwargs)``. On success add ``success`` (if any) as a message; on a ValidationError
    add its messages as one error message — or, given a bound ``form``, to the form (a field's errors on
    its field when the form has it, the others above the form) so the page shows them where the person
    typed — and return a result with ``ok=False`` (nothing was written: services are atomic)."""
    try:
        value = service(**kwargs)
    except ValidationError as error:
        if form is not None:
            _add_to_form(form, error)
        else:
            messages.error(request, " ".join(error.messages))
        return ServiceResult(ok=False, error=error, codes=error_codes(error))
    if success:
        messages.success(request, success)
    return ServiceResult(ok=True, value=value)


def _add_to_form(form: BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def call_service_for_form(
    request: HttpRequest,
    form: BaseForm,
    service: Callable[..., Any],
    /,
    *,
    refused: str = "",
    name_fields: bool = False,
    **kwargs,
) -> ServiceResult | None:
    """A POST whose form carries the service's arguments: when ``form`` is valid, run
    ``call_service_for_view(request, service, **kwargs, **form.cleaned_data)``; otherwise add ``refused``
    (if any) as an error message and return None (nothing ran). With ``name_fields``, the message names
    what was wrong instead (``form_refusal``), ``refused`` standing for the fields without a label."""
    if not form.is_valid():
        message = form_refusal(form, refused) if name_fields else refused
        if message:
            messages.error(request, message)
        return None
    return call_service_for_view(request, service, **kwargs, **form.cleaned_data)


def form_refusal(form: BaseForm, unlabelled: str = "") -> str:
    """A form that did not validate, as one message for a page that posts and redirects: each field's
    errors after its label ("Reason (optional): at most 300 characters"), a field without a label (an
    accept or decline choice) as ``unlabelled``."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        if field is not None and field.label:
            parts.append(f"{field.label}: {' '.join(errors)}")
        else:
            parts.append(unlabelled or " ".join(errors))
    return " ".join(dict.fromkeys(parts))
