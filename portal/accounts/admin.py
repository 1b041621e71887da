from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import TwoFactorMethod, User
from portal.core.forms import PortalModelForm


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "language", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "language"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class _TwoFactorMethodForm(PortalModelForm):
    class Meta:
        model = TwoFactorMethod
        fields = ["user", "type", "created_at", "last_used_at"]  # not ``data``: the secret stays out of view
        labels = {
            "user": _("user"),
            "type": _("two-factor method"),
            "created_at": _("created at"),
            "last_used_at": _("last used at"),
        }


def _titled(filter_class, title):
    """``filter_class`` under a translated title (the fields' own names are allauth's, in English)."""

    class Filter(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return Filter


# In place of allauth's admin of the same records: the same list, in the reader's language, to look at and
# delete only (a method is enrolled by its owner, and its secret is never shown). Deleting a user's method is
# how an administrator lets someone who lost their phone enrol again.
admin.site.unregister(Authenticator)


@admin.register(TwoFactorMethod)
class TwoFactorMethodAdmin(admin.ModelAdmin):
    form = _TwoFactorMethodForm
    list_display = ["user", "method", "created", "last_used"]
    list_filter = [
        ("type", _titled(admin.ChoicesFieldListFilter, _("two-factor method"))),
        ("created_at", _titled(admin.DateFieldListFilter, _("created at"))),
        ("last_used_at", _titled(admin.DateFieldListFilter, _("last used at"))),
    ]
    search_fields = ["user__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("two-factor method"), ordering="type")
    def method(self, obj):
        return obj.get_type_display()

    @admin.display(description=_("created at"), ordering="created_at")
    def created(self, obj):
        return obj.created_at

    @admin.display(description=_("last used at"), ordering="last_used_at")
    def last_used(self, obj):
        return obj.last_used_at
