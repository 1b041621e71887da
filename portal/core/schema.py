"""The OpenAPI schema documents what the API really answers, errors included (``DEFAULT_SCHEMA_CLASS``).

drf-spectacular only documents the success response. Every view here can also answer:

- 401 ``{"detail": …}`` with ``WWW-Authenticate: Token`` (the first authenticator is the personal token's)
  for an unknown, expired or revoked token anywhere, and for missing credentials where they are needed;
- 403 ``{"detail": …}`` for a denied action, a session without a valid CSRF token, and a staff account
  that must enrol TOTP first;
- 400 (a ``ValidationError`` body) for any request with a body: invalid fields, a malformed body, or a
  rule of the service; 415 ``{"detail": …}`` for a body in a media type the API does not parse;
- 404 ``{"detail": …}`` for an object that does not exist or that the user may not see (``{id}`` in the
  path), and for a page number past the end of a paginated list.

Views that answer 404 for another reason (an id in the body) declare it with ``NOT_FOUND``. Public
actions (``AllowAny``, no permission at all, or ``None`` in a ``RulesPermission`` map) also list the
empty security requirement: anonymous requests are allowed there.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers

from portal.core.api import PortalSerializer, RulesPermission


class ErrorDetailSerializer(PortalSerializer):
    detail = serializers.CharField()

    class Meta:
        ref_name = "ErrorDetail"


# Descriptions are API documentation, in English like the rest of the schema (not translated).
NOT_FOUND = OpenApiResponse(ErrorDetailSerializer, description="Not found, or not visible to this user.")
UNAUTHORIZED = OpenApiResponse(
    ErrorDetailSerializer, description="Missing credentials, or an unknown, expired or revoked token."
)
FORBIDDEN = OpenApiResponse(
    ErrorDetailSerializer,
    description="An action this user may not take, or a staff account that must set up two-factor "
    "authentication first.",
)
UNSUPPORTED_MEDIA_TYPE = OpenApiResponse(
    ErrorDetailSerializer, description="The body is not JSON, form-urlencoded or multipart."
)

VALIDATION_ERROR_SCHEMA = {
    "description": (
        "Field name → list of messages (`non_field_errors` for the whole object, `detail` for a malformed "
        "body); or a list: messages not tied to a field, or one error object per item of a list body."
    ),
    "oneOf": [
        {"type": "object", "additionalProperties": {}},
        {"type": "array", "items": {}},
    ],
}

BODY_METHODS = {"POST", "PUT", "PATCH"}


def _allows_anonymous(permission, request_method: str, view) -> bool:
    if isinstance(permission, permissions.AllowAny):
        return True
    if isinstance(permission, permissions.IsAuthenticatedOrReadOnly):
        return request_method in permissions.SAFE_METHODS
    if isinstance(permission, RulesPermission):
        return view.permission_map.get(getattr(view, "action", None), "deny") is None
    return False


class PortalAutoSchema(AutoSchema):
    def get_auth(self):
        auths = super().get_auth()
        view_permissions = self.view.get_permissions()
        if {} not in auths and all(_allows_anonymous(p, self.method, self.view) for p in view_permissions):
            auths.append({})
        return auths

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = {"403": FORBIDDEN}
        if self.view.get_authenticators():
            errors["401"] = UNAUTHORIZED
        if self.method in BODY_METHODS:
            errors["400"] = OpenApiResponse(self._validation_error_ref(), description="Invalid request.")
            errors["415"] = UNSUPPORTED_MEDIA_TYPE
        paginated = self._is_list_view() and self._get_paginator() is not None
        if paginated or "{" in self.path:
            errors["404"] = NOT_FOUND
        for code, response in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return dict(sorted(responses.items()))

    def _validation_error_ref(self) -> dict:
        component = ResolvedComponent(
            name="ValidationError",
            type=ResolvedComponent.SCHEMA,
            object="ValidationError",
            schema=VALIDATION_ERROR_SCHEMA,
        )
        self.registry.register_on_missing(component)
        return component.ref
