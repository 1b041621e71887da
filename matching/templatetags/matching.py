from django import template

from matching.reasons_text import is_warning as _is_warning
from matching.reasons_text import render_reason as _render_reason

register = template.Library()


@register.filter
def render_reason(reason: dict) -> str:
    return _render_reason(reason)


@register.filter
def is_warning(reason: dict) -> bool:
    return _is_warning(reason)
