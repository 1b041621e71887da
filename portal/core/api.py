"""API helpers: the single permission class (django-rules permissions per view and action), ids, errors,
the control-character rule for every serializer's text fields, and the pages of lists that answer a plain
array (``LinkHeaderPagination``), and the exception handler (``exception_handler``)."""

import rules
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.core.text import ControlCharacterValidator


class RulesPermission(BasePermission):
    """Views set ``permission_map = {"list": None, "partial_update": "companies.edit_company", ...}``.

    ``None`` means open to everybody (what is listed is still scoped by the view's selector). Object
    permissions are checked against the object; a denied object is hidden by the view (404).
    """

    def has_permission(self, request, view) -> bool:
        permission = view.permission_map.get(view.action, "deny")
        if permission is None:
            return True
        if permission == "deny":
            return False
        if permission.startswith("authenticated:"):
            return request.user.is_authenticated
        return True  # checked per object

    def has_object_permission(self, request, view, obj) -> bool:
        permission = view.permission_map.get(view.action, "deny")
        if permission is None:
            return True
        if permission == "deny":
            return False
        if permission.startswith("authenticated:"):
            permission = permission.split(":", 1)[1]
        return rules.has_perm(permission, request.user, obj)


def exception_handler(exc, context):
    """DRF's, except that a 404 says DRF's own translated "Not found." whatever raised it: Django's
    ``get_object_or_404`` (a view's ``get_object``) words its 404 in English and names the model ("No
    Introduction matches the given query.")."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


def pk_or_404(value) -> int:
    """A primary key from the URL; anything else is "not found", like a missing object."""
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


def as_api_error(error: DjangoValidationError) -> serializers.ValidationError:
    """A service's ValidationError as DRF's (field errors stay per field), so the API answers 400."""
    return serializers.ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages)


def call_service(service, **kwargs):
    """Run a service; its ValidationError becomes the API's 400 (``as_api_error``)."""
    try:
        return service(**kwargs)
    except DjangoValidationError as error:
        raise as_api_error(error) from error


# A text field that may hold several lines (line breaks and tabs); DRF styles a model TextField so.
TEXTAREA = {"base_template": "textarea.html"}


class ControlCharactersSerializerMixin:
    """Every text field of the serializer refuses control characters (``portal/core/text.py``): a field
    styled as a textarea (``style={"base_template": "textarea.html"}``, as DRF styles a model
    ``TextField``) keeps line breaks and tabs; passwords are left alone. Every serializer of the project
    uses it (``tests/portal/test_control_characters.py`` checks)."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if not isinstance(field, serializers.CharField) or field.read_only:
                continue
            if field.style.get("input_type") == "password":
                continue
            multiline = field.style.get("base_template") == "textarea.html"
            validator = ControlCharacterValidator(multiline=multiline)
            if validator not in field.validators:
                field.validators.append(validator)
        return fields


class PortalSerializer(ControlCharactersSerializerMixin, serializers.Serializer):
    pass


class PortalModelSerializer(ControlCharactersSerializerMixin, serializers.ModelSerializer):
    pass


class LinkHeaderPagination(PageNumberPagination):
    """Pages of a list that answers a plain JSON array, as its clients have always read it: ``?page=n``,
    and in the headers ``X-Total-Count`` and a ``Link`` to the ``next`` and ``prev`` pages (as GitHub's API
    pages). 200 a page, so the first page is what such a list answered before it had pages. Past the last
    page: 404, as every paginated list of the API."""

    page_size = 200

    def get_paginated_response(self, data) -> Response:
        links = [
            f'<{url}>; rel="{rel}"'
            for url, rel in ((self.get_next_link(), "next"), (self.get_previous_link(), "prev"))
            if url
        ]
        headers = {"X-Total-Count": str(self.page.paginator.count)}
        if links:
            headers["Link"] = ", ".join(links)
        return Response(data, headers=headers)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return schema
