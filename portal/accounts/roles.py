"""Model permissions each staff role's group holds in the Django admin (kept in sync after migrate)."""

from django.apps import apps as global_apps

# app_label.codename; apps add their models here as they grow.
COORDINATOR_PERMISSIONS = [
    "accounts.view_user",
    "companies.view_company",
    "companies.change_company",
    "companies.view_membership",
    "companies.add_membership",
    "companies.change_membership",
    "companies.delete_membership",
    "companies.view_joinrequest",
    "companies.view_companycertification",
    "companies.change_companycertification",
    "postings.view_posting",
    "postings.change_posting",
    "taxonomy.view_industry",
    "taxonomy.view_capability",
    "taxonomy.view_certification",
    "taxonomy.view_lookingfor",
    "taxonomy.view_region",
]
CONSULTANT_PERMISSIONS: list[str] = []
GROUP_PERMISSIONS = {"Coordinators": COORDINATOR_PERMISSIONS, "Consultants": CONSULTANT_PERMISSIONS}


def sync_role_permissions(sender=None, apps=global_apps, **kwargs) -> None:
    """post_migrate handler: give each role group exactly its listed permissions (idempotent)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, names in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
