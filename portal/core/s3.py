"""The S3 backend of the private storage (``PORTAL_STORAGE=s3``); its own module so the filesystem
default never imports boto3."""

from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3Storage


@deconstructible(path="portal.core.s3.PrivateS3Storage")
class PrivateS3Storage(S3Storage):
    """Private objects in an S3 bucket/prefix: written without an ACL (they keep the bucket's owner-only
    default) and never given a URL, signed or not (README "Files")."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Private files have no URL: serve them through a permission-checked view.")
