from django.contrib import admin

from portal.taxonomy.models import Capability, Certification, Industry, LookingFor, Region

TERM_FIELDS = ["slug", "name_en", "name_th", "name_ja", "position"]


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = [*TERM_FIELDS, "isic_codes", "is_focus"]
    list_filter = ["is_focus"]
    search_fields = ["slug", "name_en", "name_th", "name_ja", "isic_codes"]


@admin.register(LookingFor)
class TermAdmin(admin.ModelAdmin):
    list_display = TERM_FIELDS
    search_fields = ["slug", "name_en", "name_th", "name_ja"]


@admin.register(Capability)
class CapabilityAdmin(TermAdmin):
    list_display = [*TERM_FIELDS, "group"]
    list_filter = ["group"]


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = [*TERM_FIELDS, "group", "equivalent_to"]
    list_filter = ["group"]
    search_fields = ["slug", "name_en", "name_th", "name_ja"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "country", "name_en", "name_th", "name_ja", "in_eec"]
    list_filter = ["country"]
    search_fields = ["code", "name_en", "name_th", "name_ja"]

    @admin.display(boolean=True)
    def in_eec(self, region: Region) -> bool:
        return region.in_eec
