from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.companies.models import Company, CompanyCertification, CompanyContact, JoinRequest, Membership
from portal.companies.services import company_refresh_derived
from portal.core.storage import delete_file_on_commit

# The admin searches a company by its name in each language (other apps' admins too).
COMPANY_NAME_SEARCH = ("company__name_en", "company__name_th", "company__name_ja")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class CertificateInline(admin.TabularInline):
    model = CompanyCertification
    extra = 0


class ContactInline(admin.TabularInline):
    model = CompanyContact
    extra = 0


class EecFilter(admin.SimpleListFilter):
    title = _("Eastern Economic Corridor")
    parameter_name = "eec"

    def lookups(self, request, model_admin):
        return [("1", _("In the EEC"))]

    def queryset(self, request, queryset):
        return queryset.in_eec() if self.value() == "1" else queryset


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "country",
        "registration_no",
        "region",
        "size_class",
        "verification_status",
        "created_at",
    ]
    list_filter = [
        "verification_status",
        "country",
        EecFilter,
        "size_class",
        "sector",
        "industries",
        "endorsed_by",
    ]
    search_fields = ["name_en", "name_th", "name_ja", "registration_no", "external_id"]
    readonly_fields = ["size_class", "size_basis", "verified_by", "verified_at", "created_at", "updated_at"]
    autocomplete_fields = ["region"]
    filter_horizontal = ["industries", "capabilities", "seeking", "requires", "looking_for"]
    inlines = [CertificateInline, ContactInline, MembershipInline]
    list_select_related = ["region"]

    def save_model(self, request, obj, form, change):
        if change and "logo" in form.changed_data:
            # A logo replaced or cleared in the admin leaves the storage once the save commits.
            delete_file_on_commit(form.initial.get("logo"))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Edits in the admin keep the derived fields (size class, search text) right, as the services do.
        company_refresh_derived(company=form.instance)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "company", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", *COMPANY_NAME_SEARCH]
    autocomplete_fields = ["user", "company"]
    list_select_related = ["user", "company"]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "company", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__email", *COMPANY_NAME_SEARCH]
    autocomplete_fields = ["user", "company"]
    list_select_related = ["user", "company"]


@admin.register(CompanyCertification)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["company", "certification", "number", "issuer", "expires_on"]
    list_filter = ["certification"]
    search_fields = [*COMPANY_NAME_SEARCH, "number"]
    autocomplete_fields = ["company"]
    list_select_related = ["company", "certification"]
