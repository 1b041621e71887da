"""Where the portal keeps files: Django's ``STORAGES`` has ``default`` (public media: logos) and
``private`` (files only some users may see: evidence photos, import uploads, attachments).

Models point at them through the callables below (``FileField(storage=private_storage)``), so a setting
switches both to another backend without a migration. Private files have no URL: they go out only
through permission-checked views.
"""

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    """The storage for private files (``STORAGES["private"]``)."""
    return storages["private"]


def public_storage() -> Storage:
    """The storage for public media (``STORAGES["default"]``)."""
    return storages["default"]
