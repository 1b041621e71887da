from django.contrib import admin

from portal.companies.models import Company, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "country", "registration_no", "verification_status", "created_at"]
    list_filter = ["country", "verification_status"]
    search_fields = ["name_en", "name_th", "name_ja", "registration_no"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "company", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "company__name_en", "company__name_th", "company__name_ja"]
    autocomplete_fields = ["user", "company"]
