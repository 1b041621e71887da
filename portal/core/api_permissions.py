"""The API's single permission class: django-rules permissions named per view and action."""

import rules
from rest_framework.permissions import BasePermission


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
